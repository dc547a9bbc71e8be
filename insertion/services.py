"""What other apps may call in ``insertion``: aggregates only, never a person's data."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

import delivery.services as delivery
from insertion.choices import Workshop
from insertion.dates import month_start
from insertion.models import WorkedMonth

__all__ = ["WorkshopHours", "hours_by_workshop"]


@dataclass(frozen=True)
class WorkshopHours:
    workshop: str
    people: int
    hours: Decimal
    # Cargo-bike couriers only: hours actually ridden on rounds (None for other workshops).
    ridden_hours: Decimal | None = None


def hours_by_workshop(first_day: date, last_day: date) -> dict[str, WorkshopHours]:
    """Contractual hours per workshop in the months from ``first_day`` to ``last_day``, and for
    the cargo-bike workshop the hours its people rode on rounds in those days.

    Hours are the contracts' weekly hours times the weeks under contract, month by month
    (see ``insertion.contracts.monthly_hours``): absences, leave and overtime are not known
    here and are not subtracted or added. Ridden hours come from ``delivery.services
    .courier_hours`` for the accounts linked to the workshop's people (a person without a
    linked account rides no counted round).
    """
    rows = (
        WorkedMonth.objects.filter(month__gte=month_start(first_day), month__lte=last_day)
        .values("workshop")
        .annotate(people=Count("beneficiary", distinct=True), hours=Sum("hours"))
        .order_by("workshop")
    )
    ridden = _ridden_hours(first_day, last_day)
    return {
        row["workshop"]: WorkshopHours(
            row["workshop"],
            row["people"],
            _cents(row["hours"]),
            ridden if row["workshop"] == Workshop.COURIER else None,
        )
        for row in rows
    }


def _ridden_hours(first_day: date, last_day: date) -> Decimal:
    accounts = (
        WorkedMonth.objects.filter(
            month__gte=month_start(first_day),
            month__lte=last_day,
            workshop=Workshop.COURIER,
            beneficiary__user__isnull=False,
        )
        .values_list("beneficiary__user_id", flat=True)
        .distinct()
    )
    hours = delivery.courier_hours(first_day, last_day, user_ids=list(accounts))
    return _cents(sum(hours.values(), Decimal(0)))


def _cents(value) -> Decimal:
    # SQLite sums decimals as floats: bring them back to the cent.
    return Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)
