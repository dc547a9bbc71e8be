"""Funder indicators for a period of whole months (aggregates, never one person).

Periods are whole months because anonymised records keep year-month dates only: the figures
of a period are the same before and after anonymisation.

Exit rates (circulaire DGEFP 2008-21, ASP rules for an ACI):
- counted exits = exits of the period, minus « retrait des sorties constatées » exits and minus
  exits after less than 3 months worked in total (``Exit.over_three_months``);
- dynamic exit rate = (emploi durable + emploi de transition + sorties positives) / counted
  exits; target 60 %;
- durable employment rate = emploi durable / counted exits; target 25 %.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hub.services import Indicator, Role, month_windows
from insertion.choices import (
    BarrierCategory,
    EducationLevel,
    ExitCategory,
    ImmersionGoal,
    Sex,
    Workshop,
)
from insertion.dates import inclusive_days, month_end, month_start
from insertion.exports import Table
from insertion.models import Barrier, Beneficiary, Exit, Immersion, Training, WorkedMonth
from insertion.services import hours_by_workshop

FULL_TIME_WEEKLY_HOURS = Decimal(35)
DYNAMIC_CATEGORIES = (ExitCategory.DURABLE, ExitCategory.TRANSITION, ExitCategory.POSITIVE)


@dataclass(frozen=True)
class Period:
    first_month: date
    last_month: date

    @classmethod
    def covering(cls, first_day: date, last_day: date) -> "Period":
        return cls(month_start(first_day), month_start(last_day))

    @property
    def first_day(self) -> date:
        return self.first_month

    @property
    def last_day(self) -> date:
        return month_end(self.last_month)

    @property
    def days(self) -> int:
        return inclusive_days(self.first_day, self.last_day)

    def dates(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.first_day, f"{field}__lte": self.last_day})


def rate(part: int, whole: int) -> Decimal | None:
    """A percentage rounded to one decimal, or None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def fte(hours: Decimal, period: Period) -> Decimal:
    """Full-time equivalents: hours over 35 hours a week for every week of the period."""
    full_time = FULL_TIME_WEEKLY_HOURS * period.days / 7
    return (Decimal(hours) / full_time).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class ExitFigures:
    total: int
    withdrawn: int
    short: int
    counted: int
    by_category: dict[str, int]  # counted exits per category

    @property
    def dynamic(self) -> int:
        return sum(self.by_category.get(category, 0) for category in DYNAMIC_CATEGORIES)

    @property
    def dynamic_rate(self) -> Decimal | None:
        return rate(self.dynamic, self.counted)

    @property
    def durable_rate(self) -> Decimal | None:
        return rate(self.by_category.get(ExitCategory.DURABLE, 0), self.counted)


def exit_figures(rows: list[dict]) -> ExitFigures:
    """Rates from rows of (category, total, over_three_months) counts."""
    total = withdrawn = short = 0
    by_category: dict[str, int] = {}
    for row in rows:
        total += row["total"]
        if row["category"] == ExitCategory.WITHDRAWN:
            withdrawn += row["total"]
            continue
        short += row["total"] - row["long"]
        by_category[row["category"]] = by_category.get(row["category"], 0) + row["long"]
    return ExitFigures(total, withdrawn, short, sum(by_category.values()), by_category)


def _figures_of(rows: list[dict]) -> ExitFigures:
    return exit_figures(
        [{"category": r["reason__category"], "total": r["total"], "long": r["long"]} for r in rows]
    )


def _exit_rows(period: Period, by_month: bool = False) -> list[dict]:
    """Exits of the period per category and reason (and per ``month`` when ``by_month``)."""
    exits = Exit.objects.filter(period.dates("date"))
    fields = ["reason__category", "reason__label", "reason__order"]
    if by_month:
        exits, fields = exits.annotate(month=TruncMonth("date")), [*fields, "month"]
    return list(
        exits.values(*fields)
        .annotate(total=Count("pk"), long=Count("pk", filter=Q(over_three_months=True)))
        .order_by("reason__category", "reason__order", "reason__label")
    )


def employed(period: Period):
    """Ids of people under contract at some point in the period."""
    return (
        WorkedMonth.objects.filter(month__gte=period.first_month, month__lte=period.last_month)
        .values("beneficiary")
        .distinct()
    )


PROFILE = [
    ("women", _lazy("Femmes"), Q(sex=Sex.FEMALE)),
    ("men", _lazy("Hommes"), Q(sex=Sex.MALE)),
    ("non_binary", _lazy("Personnes non binaires"), Q(sex=Sex.NON_BINARY)),
    ("under_26", _lazy("Moins de 26 ans à l'entrée"), Q(age_at_entry__lt=26)),
    ("26_49", _lazy("26 à 49 ans à l'entrée"), Q(age_at_entry__gte=26, age_at_entry__lt=50)),
    ("over_50", _lazy("50 ans ou plus à l'entrée"), Q(age_at_entry__gte=50)),
    *[
        (f"education_{value}", label, Q(education_level=value))
        for value, label in EducationLevel.choices
    ],
    ("qpv", _lazy("Résident·es d'un quartier prioritaire (QPV)"), Q(qpv__isnull=False)),
    ("rsa", _lazy("Bénéficiaires du RSA"), Q(rsa=True)),
    ("ass", _lazy("Bénéficiaires de l'ASS"), Q(ass=True)),
    ("aah", _lazy("Bénéficiaires de l'AAH"), Q(aah=True)),
    ("rqth", _lazy("Travailleur·ses handicapé·es (RQTH)"), Q(rqth=True)),
    (
        "long_unemployed",
        _lazy("Chômage de 12 mois ou plus à l'entrée"),
        Q(unemployment_months__gte=12),
    ),
]


def _profile(period: Period) -> tuple[int, dict[str, int]]:
    people = Beneficiary.objects.filter(pk__in=employed(period))
    figures = people.aggregate(
        total=Count("pk"), **{key: Count("pk", filter=q) for key, _label, q in PROFILE}
    )
    return figures.pop("total"), figures


@dataclass
class Report:
    period: Period
    people: int
    entries: int
    hours: Decimal
    fte: Decimal
    exits: ExitFigures
    qpv_share: Decimal | None
    tables: list[Table]


def report(period: Period) -> Report:
    """Every indicator of the period, with the tables shown on the page and exported."""
    workshops = hours_by_workshop(period.first_day, period.last_day)
    hours = sum((w.hours for w in workshops.values()), Decimal(0))
    people, profile = _profile(period)
    entries = Beneficiary.objects.filter(period.dates("entry_date")).count()
    exit_rows = _exit_rows(period)
    exits = _figures_of(exit_rows)
    result = Report(
        period=period,
        people=people,
        entries=entries,
        hours=hours,
        fte=fte(hours, period),
        exits=exits,
        qpv_share=rate(profile["qpv"], people),
        tables=[],
    )
    result.tables = [
        _summary_table(result),
        _workshop_table(workshops, period),
        _exit_table(exit_rows),
        _barrier_table(period),
        _training_table(period),
        Table(
            "profil",
            _("Profil des personnes salariées"),
            [_("Caractéristique"), _("Personnes"), _("Part (%)")],
            [[label, profile[key], rate(profile[key], people)] for key, label, _q in PROFILE],
        ),
    ]
    return result


def _summary_table(result: Report) -> Table:
    exits = result.exits
    return Table(
        "synthese",
        _("Synthèse"),
        [_("Indicateur"), _("Valeur")],
        [
            [_("Personnes salariées en insertion sur la période"), result.people],
            [_("Entrées"), result.entries],
            [_("Sorties"), exits.total],
            [_("dont retraits des sorties constatées"), exits.withdrawn],
            [_("dont sorties après moins de 3 mois travaillés"), exits.short],
            [_("Sorties comptabilisées"), exits.counted],
            [_("Sorties dynamiques (durable, transition, positive)"), exits.dynamic],
            [_("Taux de sorties dynamiques (%)"), exits.dynamic_rate],
            [_("Taux de sorties en emploi durable (%)"), exits.durable_rate],
            [_("Heures travaillées (contrats)"), result.hours],
            [_("Équivalents temps plein"), result.fte],
            [_("Part de résident·es QPV (%)"), result.qpv_share],
        ],
    )


def _workshop_table(workshops, period: Period) -> Table:
    rows = []
    for value, label in Workshop.choices:
        if value in workshops:
            figures = workshops[value]
            ridden = "" if figures.ridden_hours is None else figures.ridden_hours
            rows.append([label, figures.people, figures.hours, fte(figures.hours, period), ridden])
    return Table(
        "ateliers",
        _("Heures par atelier"),
        [
            _("Atelier"),
            _("Personnes"),
            _("Heures"),
            _("ETP"),
            # Hours actually ridden on cargo-bike rounds, from the dispatch records.
            _("dont heures de tournée à vélo-cargo"),
        ],
        rows,
    )


def _exit_table(rows: list[dict]) -> Table:
    labels = dict(ExitCategory.choices)
    return Table(
        "sorties",
        _("Sorties par catégorie et motif"),
        [_("Catégorie"), _("Motif"), _("Sorties"), _("dont après 3 mois travaillés ou plus")],
        [[labels[r["reason__category"]], r["reason__label"], r["total"], r["long"]] for r in rows],
    )


def _barrier_table(period: Period) -> Table:
    counts = {
        row["category"]: row
        for row in Barrier.objects.filter(period.dates("identified_on") | period.dates("lifted_on"))
        .values("category")
        .annotate(
            identified=Count("pk", filter=period.dates("identified_on")),
            lifted=Count("pk", filter=period.dates("lifted_on")),
        )
        .order_by()
    }
    return Table(
        "freins",
        _("Freins identifiés et levés"),
        [_("Frein"), _("Identifiés"), _("Levés")],
        [
            [
                label,
                counts.get(value, {}).get("identified", 0),
                counts.get(value, {}).get("lifted", 0),
            ]
            for value, label in BarrierCategory.choices
        ],
    )


def _training_table(period: Period) -> Table:
    trainings = Training.objects.filter(period.dates("start_date")).aggregate(
        count=Count("pk"),
        qualifying=Count("pk", filter=Q(qualifying=True)),
        hours=Sum("hours"),
        people=Count("beneficiary", distinct=True),
    )
    immersions = dict(
        Immersion.objects.filter(period.dates("start_date"))
        .values_list("goal")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return Table(
        "formations",
        _("Formations et immersions"),
        [_("Indicateur"), _("Valeur")],
        [
            [_("Formations commencées"), trainings["count"]],
            [_("dont qualifiantes"), trainings["qualifying"]],
            [_("Heures de formation"), Decimal(trainings["hours"] or 0).quantize(Decimal("0.1"))],
            [_("Personnes formées"), trainings["people"]],
            [_("Immersions (PMSMP)"), sum(immersions.values())],
            *[
                [_("PMSMP : %s") % label, immersions.get(value, 0)]
                for value, label in ImmersionGoal.choices
            ],
        ],
    )


PUBLIC_MINIMUM = 5


@dataclass(frozen=True)
class PublicExits:
    """What the public may read of a window's people and exits (None: withheld)."""

    people: int | None
    exits: int | None
    dynamic: int | None


def twelve_months(first_day: date, last_day: date) -> bool:
    """True for a calendar year or the 12 months to date: the only windows figures about
    people are published for (a shorter one, set beside a longer one, tells a month apart)."""
    return month_start(first_day) <= month_start(last_day) - relativedelta(months=11)


def publishable(people: int, exits: int, dynamic: int) -> PublicExits:
    """Suppress every count under 5, and whatever would let one be recomputed.

    Exits split into dynamic ones and the others (total minus dynamic): publishing the total and
    the dynamic count publishes the others too, so the dynamic count is shown only when both it
    and the others reach 5 (complementary suppression). A total under 5 hides both.
    """

    def shown(count: int) -> int | None:
        return count if count >= PUBLIC_MINIMUM else None

    others = exits - dynamic
    return PublicExits(
        people=shown(people),
        exits=shown(exits),
        dynamic=dynamic if shown(dynamic) is not None and shown(others) is not None else None,
    )


def impact_indicators(first_day: date, last_day: date) -> list[Indicator]:
    """Aggregates for the impact page.

    For everyone: people employed, exits and dynamic exits, as totals over a calendar year or
    the 12 months to date only (never month by month, never a shorter window), each count under
    5 withheld with whatever would let it be recomputed (``publishable``). Month-by-month exits
    per category only for ``cip`` and ``direction``, who see the records anyway: a month holds
    one or two exits of a workforce of about sixty, so a public count would tell who left for
    which reason.
    """
    period = Period.covering(first_day, last_day)
    people = employed(period).count()
    rows = _exit_rows(period, by_month=True)
    exits = _figures_of(rows)
    by_category: dict[str, int] = {}
    by_month: dict[tuple[date, str], int] = {}
    for row in rows:
        category = row["reason__category"]
        by_category[category] = by_category.get(category, 0) + row["total"]
        key = (row["month"], category)
        by_month[key] = by_month.get(key, 0) + row["total"]
    windows = [window for window, _last in month_windows(first_day, last_day)]
    if twelve_months(first_day, last_day):
        public = publishable(people, exits.total, exits.dynamic)
    else:
        public = PublicExits(None, None, None)
    rule = _(
        "Publié sur une année complète ou les 12 derniers mois ; un effectif de moins de 5, ou "
        "qui permettrait d'en déduire un, n'est pas publié, pour ne désigner personne."
    )
    return [
        Indicator(
            "insertion_people",
            _("Salarié·es en parcours d'insertion"),
            public.people,
            description=_("Personnes sous contrat d'insertion (CDDI) chez ADLC sur la période.")
            + " "
            + rule,
            monthly=False,
        ),
        Indicator(
            "insertion_exits",
            _("Sorties de parcours"),
            public.exits,
            description=_("Personnes sorties d'un parcours d'insertion sur la période.")
            + " "
            + rule,
            monthly=False,
        ),
        Indicator(
            "insertion_exits_dynamic",
            _("Sorties dynamiques"),
            public.dynamic,
            description=_(
                "Sorties vers un emploi durable, un emploi de transition ou une sortie positive "
                "(formation…), après 3 mois de travail ou plus, sur la période."
            )
            + " "
            + rule,
            monthly=False,
        ),
        *[
            Indicator(
                f"insertion_exits_{value}",
                _("Sorties : %s") % label,
                by_category.get(value, 0),
                description=_(
                    "Réservé aux conseiller·es en insertion et à la direction : par mois, ces "
                    "petits nombres désignent des personnes."
                ),
                public=False,
                roles=(Role.CIP, Role.DIRECTION),
                months=tuple(
                    (window, by_month.get((month_start(window), value), 0)) for window in windows
                ),
            )
            for value, label in ExitCategory.choices
        ],
    ]
