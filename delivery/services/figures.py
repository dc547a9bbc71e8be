"""Figures of the cargo-bike service: per day and month, failures, kilometres, CO2 avoided,
and the hours couriers rode (the insertion app reads those through ``courier_hours``).

A round's hours run from its planned departure to its planned return, or to the courier's
last action when it ended later; only rounds actually started count. Kilometres are the
planned distance of the rounds ridden (hub to hub, along the order of the stops).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import FailureReason, Round, Stop, StopKind, StopState
from hub.services import Indicator, month_windows

HUNDREDTH = Decimal("0.01")


@dataclass
class Row:
    """Figures of one day or one month."""

    period: date
    delivered: int = 0
    failed: int = 0
    km: Decimal = Decimal("0")

    @property
    def attempts(self) -> int:
        return self.delivered + self.failed

    @property
    def success_rate(self) -> Decimal | None:
        return _rate(self.delivered, self.attempts)

    @property
    def co2_avoided_kg(self) -> Decimal:
        return co2_avoided_kg(self.km)


@dataclass
class CourierRow:
    name: str
    rounds: int
    hours: Decimal


@dataclass
class Figures:
    first_day: date
    last_day: date
    days: list[Row] = field(default_factory=list)
    total: Row | None = None
    failures: list[tuple[str, int]] = field(default_factory=list)
    couriers: list[CourierRow] = field(default_factory=list)


def _rate(part: int, whole: int) -> Decimal | None:
    """A share between 0 and 1 (shown with ``|percent``), None when there is nothing to count."""
    if not whole:
        return None
    return (Decimal(part) / whole).quantize(Decimal("0.001"), ROUND_HALF_UP)


def co2_factor_kg_per_km() -> Decimal:
    """kg CO2e a diesel van emits per km (settings: factor per litre times consumption)."""
    per_litre = Decimal(str(settings.DELIVERY_DIESEL_KG_CO2E_PER_LITRE))
    litres = Decimal(str(settings.DELIVERY_VAN_LITRES_PER_100_KM)) / 100
    return per_litre * litres


def co2_avoided_kg(km: Decimal) -> Decimal:
    return (km * co2_factor_kg_per_km()).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _bounds(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(first_day, time()))
    end = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time()))
    return start, end


def _attempts(first_day: date, last_day: date):
    start, end = _bounds(first_day, last_day)
    return Stop.objects.filter(
        kind=StopKind.DROPOFF,
        state__in=[StopState.DONE, StopState.FAILED],
        done_at__gte=start,
        done_at__lt=end,
    )


def _ridden(first_day: date, last_day: date):
    return Round.objects.filter(date__gte=first_day, date__lte=last_day, started_at__isnull=False)


def _rows(first_day: date, last_day: date, trunc) -> dict[date, Row]:
    rows: dict[date, Row] = {}
    counts = (
        _attempts(first_day, last_day)
        .annotate(period=trunc("done_at"))
        .values("period")
        .annotate(
            delivered=Count("pk", filter=Q(state=StopState.DONE)),
            failed=Count("pk", filter=Q(state=StopState.FAILED)),
        )
    )
    for row in counts:
        key = _as_date(row["period"])
        rows[key] = Row(key, row["delivered"], row["failed"])
    field_name = "date" if trunc is TruncDate else "month"
    distances = _ridden(first_day, last_day)
    if trunc is TruncMonth:
        distances = distances.annotate(month=TruncMonth("date"))
    for row in distances.values(field_name).annotate(meters=Sum("distance_m")):
        key = _as_date(row[field_name])
        rows.setdefault(key, Row(key)).km = _km(row["meters"])
    return rows


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _km(meters) -> Decimal:
    return (Decimal(meters or 0) / 1000).quantize(Decimal("0.1"), ROUND_HALF_UP)


def daily_figures(first_day: date, last_day: date) -> Figures:
    """Every day of the period, its totals, failures by reason and hours per courier."""
    by_day = _rows(first_day, last_day, TruncDate)
    figures = Figures(first_day, last_day)
    day = first_day
    while day <= last_day:
        figures.days.append(by_day.get(day, Row(day)))
        day += timedelta(days=1)
    figures.total = _total(first_day, figures.days)
    figures.failures = failures_by_reason(first_day, last_day)
    figures.couriers = hours_per_courier(first_day, last_day)
    return figures


def monthly_figures(first_month: date, last_month: date) -> list[Row]:
    """One row per month from ``first_month`` to ``last_month`` (first days of months)."""
    last_day = (last_month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    by_month = _rows(first_month, last_day, TruncMonth)
    rows, month = [], first_month
    while month <= last_month:
        rows.append(by_month.get(month, Row(month)))
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return rows


def failures_by_reason(first_day: date, last_day: date) -> list[tuple[str, int]]:
    """Each failure reason with its count in the period, most frequent first."""
    counts = dict(
        _attempts(first_day, last_day)
        .filter(state=StopState.FAILED)
        .values("failure_reason")
        .annotate(n=Count("pk"))
        .values_list("failure_reason", "n")
    )
    rows = [(label, counts.get(value, 0)) for value, label in FailureReason.choices]
    return sorted(rows, key=lambda row: -row[1])


def _round_hours(start: datetime, end: datetime, finished_at: datetime | None) -> Decimal:
    until = max(end, finished_at) if finished_at else end
    return Decimal((until - start).total_seconds()) / 3600


def _rounds_by_user(first_day: date, last_day: date, user_ids=None):
    rounds = _ridden(first_day, last_day)
    if user_ids is not None:
        rounds = rounds.filter(courier__user_id__in=list(user_ids))
    return rounds.values_list(
        "courier__user_id",
        "courier__user__first_name",
        "courier__user__last_name",
        "start",
        "end",
        "finished_at",
    )


def courier_hours(first_day: date, last_day: date, user_ids=None) -> dict[int, Decimal]:
    """Hours ridden on rounds per courier account (user id), to the cent, in the period."""
    hours: dict[int, Decimal] = defaultdict(Decimal)
    for user_id, _first, _last, start, end, finished in _rounds_by_user(
        first_day, last_day, user_ids
    ):
        hours[user_id] += _round_hours(start, end, finished)
    return {user_id: value.quantize(HUNDREDTH, ROUND_HALF_UP) for user_id, value in hours.items()}


def hours_per_courier(first_day: date, last_day: date) -> list[CourierRow]:
    """Rounds and hours of each courier in the period, by name (for dispatch and direction)."""
    rows: dict[int, CourierRow] = {}
    for user_id, first, last, start, end, finished in _rounds_by_user(first_day, last_day):
        row = rows.setdefault(user_id, CourierRow(f"{first} {last}".strip(), 0, Decimal("0")))
        row.rounds += 1
        row.hours += _round_hours(start, end, finished)
    for row in rows.values():
        row.hours = row.hours.quantize(HUNDREDTH, ROUND_HALF_UP)
    return sorted(rows.values(), key=lambda row: row.name)


def _total(period: date, rows: list[Row]) -> Row:
    return Row(
        period,
        sum(r.delivered for r in rows),
        sum(r.failed for r in rows),
        sum((r.km for r in rows), Decimal("0")),
    )


def impact_indicators(first_day: date, last_day: date) -> list[Indicator]:
    """Deliveries by cargo bike, success rate, kilometres and CO2 avoided, for /impact/, with
    the value of each month: the days of ``daily_figures``, from its two queries, added up."""
    by_day = _rows(first_day, last_day, TruncDate)
    months = [
        _total(window, [row for day, row in by_day.items() if window <= day <= last])
        for window, last in month_windows(first_day, last_day)
    ]
    total = _total(first_day, months)

    def success_rate(row: Row) -> Decimal:
        rate = row.success_rate
        return (rate * 100).quantize(Decimal("0.1")) if rate is not None else Decimal("0")

    def by_month(value: Callable[[Row], int | Decimal]) -> tuple[tuple[date, int | Decimal], ...]:
        return tuple((row.period, value(row)) for row in months)

    return [
        Indicator(
            "delivery_delivered",
            _("Livraisons en vélo-cargo"),
            total.delivered,
            description=_(
                "Commandes remises au client par nos coursiers à vélo-cargo, comptées le jour "
                "de la remise (les échecs et les retours n'en font pas partie)."
            ),
            months=by_month(lambda row: row.delivered),
        ),
        Indicator(
            "delivery_success_rate",
            _("Taux de livraisons réussies"),
            success_rate(total),
            unit="%",
            description=_("Part des passages chez le client qui se sont conclus par une remise."),
            months=by_month(success_rate),
        ),
        Indicator(
            "delivery_km",
            _("Kilomètres parcourus à vélo-cargo"),
            total.km,
            unit="km",
            months=by_month(lambda row: row.km),
        ),
        Indicator(
            "delivery_co2_avoided",
            _("CO₂ évité par rapport à un utilitaire diesel"),
            total.co2_avoided_kg,
            unit="kg",
            description=settings.DELIVERY_VAN_CO2_SOURCE,
            months=by_month(lambda row: row.co2_avoided_kg),
        ),
    ]
