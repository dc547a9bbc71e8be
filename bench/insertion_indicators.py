"""Times the insertion indicators for 5,000 people over 5 years.

One command, from the repository root (it builds its own throwaway database):

    python bench/insertion_indicators.py                 # SQLite in memory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anima_insertion \\
        python bench/insertion_indicators.py             # PostgreSQL (test_anima_insertion)

Options: --people N (5000), --years N (5), --repeat N (5). Prints the median time of each
measure and writes them to bench/results/insertion_indicators.json.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anima.settings")

import django  # noqa: E402

django.setup()

from dateutil.relativedelta import relativedelta  # noqa: E402
from django.db import connection  # noqa: E402

from insertion.choices import (  # noqa: E402
    BarrierCategory,
    BarrierStatus,
    ContractKind,
    EducationLevel,
    ImmersionGoal,
    Sex,
    Workshop,
)
from insertion.contracts import monthly_hours  # noqa: E402
from insertion.exits import worked_at_least  # noqa: E402
from insertion.indicators import Period, impact_indicators, report  # noqa: E402
from insertion.models import (  # noqa: E402
    Barrier,
    Beneficiary,
    Contract,
    Exit,
    ExitReason,
    Immersion,
    PriorityNeighbourhood,
    Training,
    WorkedMonth,
)
from insertion.participants import (  # noqa: E402
    indicator_table,
    participant_table,
    participants,
)

ONE_DAY = timedelta(days=1)


def build(people: int, years: int, seed: int = 62100) -> date:
    """Create ``people`` paths starting over ``years`` years; returns the first day."""
    rng = random.Random(seed)
    first = date(2021, 1, 1)
    span = (first + relativedelta(years=years) - first).days
    reasons = list(ExitReason.objects.all())
    neighbourhoods = list(PriorityNeighbourhood.objects.all()) + [None] * 6
    persons = Beneficiary.objects.bulk_create(
        Beneficiary(
            first_name=f"Prénom{i}",
            last_name=f"Nom{i}",
            birth_date=date(1960 + rng.randrange(45), rng.randrange(1, 13), rng.randrange(1, 29)),
            sex=rng.choice(Sex.values),
            qpv=rng.choice(neighbourhoods),
            education_level=rng.choice(EducationLevel.values),
            rsa=rng.random() < 0.4,
            rqth=rng.random() < 0.1,
            unemployment_months=rng.randrange(0, 60),
        )
        for i in range(people)
    )
    contracts, exits, barriers, trainings, immersions = [], [], [], [], []
    for person in persons:
        start = first + timedelta(days=rng.randrange(span - 130))
        workshop = rng.choice(Workshop.values)
        chain, begin = [], start
        for _ in range(rng.randrange(1, 5)):
            end = begin + relativedelta(months=rng.choice((4, 6, 6, 12))) - ONE_DAY
            chain.append(
                Contract(
                    beneficiary=person,
                    kind=ContractKind.RENEWAL if chain else ContractKind.INITIAL,
                    workshop=workshop,
                    post="Poste",
                    start_date=begin,
                    end_date=end,
                    weekly_hours=Decimal(rng.choice((20, 24, 26, 30, 35))),
                )
            )
            begin = end + ONE_DAY
        person.entry_date = start
        person.age_at_entry = relativedelta(start, person.birth_date).years
        if rng.random() < 0.75:
            leave = chain[-1].start_date + timedelta(
                days=rng.randrange((chain[-1].end_date - chain[-1].start_date).days + 1)
            )
            chain[-1].ended_on = leave
            exits.append(
                Exit(
                    beneficiary=person,
                    date=leave,
                    reason=rng.choice(reasons),
                    worked_days=sum((c.effective_end - c.start_date).days + 1 for c in chain),
                    over_three_months=worked_at_least(chain, 3),
                )
            )
        contracts.append(chain)
        for _ in range(rng.randrange(0, 4)):
            found = start + timedelta(days=rng.randrange(60))
            lifted = rng.random() < 0.5
            barriers.append(
                Barrier(
                    beneficiary=person,
                    category=rng.choice(BarrierCategory.values),
                    identified_on=found,
                    status=BarrierStatus.LIFTED if lifted else BarrierStatus.IN_PROGRESS,
                    lifted_on=found + timedelta(days=rng.randrange(10, 200)) if lifted else None,
                )
            )
        if rng.random() < 0.4:
            day = start + timedelta(days=rng.randrange(30, 120))
            trainings.append(
                Training(
                    beneficiary=person,
                    title="Formation",
                    provider="Organisme",
                    start_date=day,
                    end_date=day + timedelta(days=5),
                    hours=Decimal(35),
                    qualifying=rng.random() < 0.5,
                )
            )
        if rng.random() < 0.3:
            day = start + timedelta(days=rng.randrange(30, 120))
            immersions.append(
                Immersion(
                    beneficiary=person,
                    host="Entreprise",
                    start_date=day,
                    end_date=day + timedelta(days=10),
                    goal=rng.choice(ImmersionGoal.values),
                )
            )
    Beneficiary.objects.bulk_update(persons, ["entry_date", "age_at_entry"], batch_size=1000)
    _save_chains(contracts)
    Exit.objects.bulk_create(exits, batch_size=1000)
    Barrier.objects.bulk_create(barriers, batch_size=1000)
    Training.objects.bulk_create(trainings, batch_size=1000)
    Immersion.objects.bulk_create(immersions, batch_size=1000)
    WorkedMonth.objects.bulk_create(
        (
            WorkedMonth(
                beneficiary=chain[0].beneficiary, month=month, workshop=workshop, hours=hours
            )
            for chain in contracts
            for (month, workshop), hours in monthly_hours(chain).items()
        ),
        batch_size=2000,
    )
    return first


def _save_chains(chains: list[list[Contract]]) -> None:
    """Renewals point to the contract they renew: save one link of every chain at a time."""
    depth = max(len(chain) for chain in chains)
    for level in range(depth):
        batch = []
        for chain in chains:
            if level < len(chain):
                if level:
                    chain[level].previous = chain[level - 1]
                batch.append(chain[level])
        Contract.objects.bulk_create(batch, batch_size=1000)


def timed(repeat: int, action) -> float:
    durations = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        durations.append(time.perf_counter() - began)
    return statistics.median(durations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()

    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        began = time.perf_counter()
        first = build(options.people, options.years)
        print(
            f"Data: {options.people} people over {options.years} years "
            f"({WorkedMonth.objects.count()} worked months, {Contract.objects.count()} "
            f"contracts, {Exit.objects.count()} exits) built in "
            f"{time.perf_counter() - began:.1f} s on {connection.vendor} ({test_db})"
        )
        whole = Period(first, first + relativedelta(years=options.years, months=-1))
        year = Period(first + relativedelta(years=2), first + relativedelta(years=2, months=11))
        measures = {
            f"report, whole {options.years} years": lambda: report(whole),
            "report, one year": lambda: report(year),
            "report, one month": lambda: report(Period(year.first_month, year.first_month)),
            "impact page aggregates, one year": lambda: impact_indicators(
                year.first_day, year.last_day
            ),
            "ESF+ participant list, one year": lambda: participant_table(list(participants(year))),
            "ESF+ common indicators, one year": lambda: indicator_table(
                list(participants(year)), year
            ),
        }
        results = {}
        for name, action in measures.items():
            results[name] = timed(options.repeat, action)
            print(f"  {name:<40} {results[name] * 1000:8.1f} ms (median of {options.repeat})")
        out = ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / "insertion_indicators.json").write_text(
            json.dumps({"vendor": connection.vendor, **vars(options), "seconds": results}, indent=2)
        )
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main()
