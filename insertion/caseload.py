"""The counsellors' caseload: who is where in their path, and what is due.

The same definitions feed the caseload filters, the dashboard panel and the reminder e-mails.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from insertion.choices import BarrierStatus
from insertion.exits import ESF_FOLLOWUP_MONTHS
from insertion.models import Barrier, Beneficiary, Contract, Exit, Interview, PassIae

CONTRACT_REMINDER_DAYS = (60, 30)
PASS_REMINDER_DAYS = 90


def interview_interval() -> timedelta:
    """How long a person in their path may go without an interview."""
    return timedelta(weeks=settings.INSERTION_INTERVIEW_EVERY_WEEKS)


def with_path_state(people: QuerySet[Beneficiary]) -> QuerySet[Beneficiary]:
    """Annotate current workshop, contract end, PASS end, last interview and open barriers
    with subqueries, so a page of people costs one query whatever their history."""
    latest_contract = Contract.objects.filter(beneficiary=OuterRef("pk")).order_by("-start_date")
    latest_pass = PassIae.objects.filter(beneficiary=OuterRef("pk")).order_by("-start_date")
    last_interview = Interview.objects.filter(beneficiary=OuterRef("pk")).order_by("-date")
    open_barriers = (
        Barrier.objects.filter(beneficiary=OuterRef("pk"))
        .exclude(status=BarrierStatus.LIFTED)
        .values("beneficiary")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return people.annotate(
        current_workshop=Subquery(latest_contract.values("workshop")[:1]),
        contract_end=Subquery(
            latest_contract.annotate(end=Coalesce("ended_on", "end_date")).values("end")[:1]
        ),
        pass_end=Subquery(latest_pass.values("end_date")[:1]),
        last_interview=Subquery(last_interview.values("date")[:1]),
        open_barriers=Coalesce(Subquery(open_barriers), 0),
    )


def contract_ending(people: QuerySet, today: date, within_days: int) -> QuerySet:
    """People in their path whose current contract ends within ``within_days``."""
    return people.filter(
        exit__isnull=True,
        contract_end__gte=today,
        contract_end__lte=today + timedelta(days=within_days),
    )


def pass_expiring(people: QuerySet, today: date, within_days: int = PASS_REMINDER_DAYS) -> QuerySet:
    """People in their path whose PASS IAE ends within ``within_days``."""
    return people.filter(
        exit__isnull=True, pass_end__gte=today, pass_end__lte=today + timedelta(days=within_days)
    )


def without_interview(people: QuerySet, today: date, weeks: int | None = None) -> QuerySet:
    """People in their path not seen for ``weeks`` (default: the configured interval)."""
    since = today - (timedelta(weeks=weeks) if weeks else interview_interval())
    return people.filter(exit__isnull=True, entry_date__lte=since).filter(
        Q(last_interview__isnull=True) | Q(last_interview__lt=since)
    )


def with_open_barriers(people: QuerySet) -> QuerySet:
    return people.filter(open_barriers__gt=0)


def followups_due(today: date) -> QuerySet[Exit]:
    """Exits whose six-month ESF+ check is due and not yet recorded."""
    return Exit.objects.filter(
        beneficiary__anonymised_at__isnull=True,
        followup_on__isnull=True,
        date__lte=today - relativedelta(months=ESF_FOLLOWUP_MONTHS),
    )


@dataclass(frozen=True)
class DueCounts:
    contracts_30: int
    contracts_60: int
    passes_90: int
    interviews_overdue: int
    followups: int


def due_counts(people: QuerySet[Beneficiary], today: date) -> DueCounts:
    """What a counsellor should act on today, for the given people."""
    state = with_path_state(people.identified())
    return DueCounts(
        contracts_30=contract_ending(state, today, 30).count(),
        contracts_60=contract_ending(state, today, 60).count(),
        passes_90=pass_expiring(state, today).count(),
        interviews_overdue=without_interview(state, today).count(),
        followups=followups_due(today).filter(beneficiary__in=people).count(),
    )


@dataclass(frozen=True)
class TimelineEvent:
    day: date
    kind: str
    title: str
    text: str = ""
    url: str = ""


def timeline(person: Beneficiary) -> list[TimelineEvent]:
    """A person's path, newest first (reads the prefetched relations)."""
    events = []
    for contract in person.contracts.all():
        text = f"{contract.get_workshop_display()} — {contract.post}"
        events.append(
            TimelineEvent(contract.start_date, "contract", contract.get_kind_display(), text)
        )
        if contract.ended_on:
            ground = contract.get_end_ground_display() if contract.end_ground else ""
            events.append(
                TimelineEvent(contract.ended_on, "contract", _("Fin anticipée du contrat"), ground)
            )
    for interview in person.interviews.all():
        events.append(
            TimelineEvent(
                interview.date, "interview", interview.get_kind_display(), interview.summary
            )
        )
    for barrier in person.barriers.all():
        category = barrier.get_category_display()
        events.append(
            TimelineEvent(barrier.identified_on, "barrier", _("Frein identifié : %s") % category)
        )
        for action in barrier.actions.all():
            events.append(
                TimelineEvent(
                    action.date, "barrier", _("Action : %s") % category, action.description
                )
            )
        if barrier.lifted_on:
            events.append(
                TimelineEvent(barrier.lifted_on, "barrier", _("Frein levé : %s") % category)
            )
    for training in person.trainings.all():
        events.append(
            TimelineEvent(training.start_date, "training", _("Formation"), training.title)
        )
    for immersion in person.immersions.all():
        events.append(
            TimelineEvent(immersion.start_date, "immersion", _("Immersion (PMSMP)"), immersion.host)
        )
    exit_record = getattr(person, "exit", None)
    if exit_record:
        events.append(
            TimelineEvent(exit_record.date, "exit", _("Sortie"), exit_record.reason.label)
        )
    return sorted(events, key=lambda event: event.day, reverse=True)


def next_renewable(person: Beneficiary) -> Contract | None:
    """The contract a renewal would extend: the latest one, if it was not cut short."""
    latest = max(person.contracts.all(), key=lambda c: c.start_date, default=None)
    if latest is None or latest.ended_on or getattr(latest, "renewal", None):
        return None
    return latest
