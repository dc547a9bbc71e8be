"""Calendar arithmetic shared by the rules: legal durations are counted in calendar months."""

from collections.abc import Iterator
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

ONE_DAY = timedelta(days=1)


def last_day_of_duration(start: date, months: int) -> date:
    """Last day covered by a duration of ``months`` starting on ``start`` (4 months from 1 March
    end on 30 June)."""
    return start + relativedelta(months=months) - ONE_DAY


def inclusive_days(start: date, end: date) -> int:
    """Number of days from ``start`` to ``end``, both included (0 when ``end`` is earlier)."""
    return max((end - start).days + 1, 0)


def month_start(day: date) -> date:
    """First day of the month of ``day``."""
    return day.replace(day=1)


def month_end(day: date) -> date:
    """Last day of the month of ``day``."""
    return month_start(day) + relativedelta(months=1) - ONE_DAY


def months_between(first: date, last: date) -> Iterator[date]:
    """First days of every month from the month of ``first`` to the month of ``last``."""
    current = month_start(first)
    while current <= last:
        yield current
        current += relativedelta(months=1)


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on ``day``."""
    return relativedelta(day, birth_date).years


def long_date(day: date) -> str:
    """« 30 juin 2026 », for refusal messages."""
    from hub.services import french_date

    return french_date(day, "j F Y")
