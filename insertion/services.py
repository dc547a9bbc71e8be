"""What other apps may call in ``insertion``: aggregates only, never a person's data."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from insertion.dates import month_start
from insertion.models import WorkedMonth

__all__ = ["WorkshopHours", "hours_by_workshop"]


@dataclass(frozen=True)
class WorkshopHours:
    workshop: str
    people: int
    hours: Decimal


def hours_by_workshop(first_day: date, last_day: date) -> dict[str, WorkshopHours]:
    """Contractual hours per workshop in the months from ``first_day`` to ``last_day``.

    Hours are the contracts' weekly hours times the weeks under contract, month by month
    (see ``insertion.contracts.monthly_hours``): absences, leave and overtime are not known
    here and are not subtracted or added. The delivery app may later provide the hours
    couriers actually rode (``delivery.services.courier_hours``); this is the place to use them.
    """
    rows = (
        WorkedMonth.objects.filter(month__gte=month_start(first_day), month__lte=last_day)
        .values("workshop")
        .annotate(people=Count("beneficiary", distinct=True), hours=Sum("hours"))
        .order_by("workshop")
    )
    return {
        row["workshop"]: WorkshopHours(row["workshop"], row["people"], _cents(row["hours"]))
        for row in rows
    }


def _cents(value) -> Decimal:
    # SQLite sums decimals as floats: bring them back to the cent.
    return Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)
