from django import template
from django.utils import formats

from delivery.geocoding import uses_local_gazetteer
from delivery.models import StopState
from hub.services import kilograms

register = template.Library()


@register.filter
def duration(seconds) -> str:
    """1 h 05, or 25 min."""
    hours, minutes = divmod(round((seconds or 0) / 60), 60)
    return f"{hours} h {minutes:02d}" if hours else f"{minutes} min"


@register.filter
def clock(seconds) -> str:
    """Seconds of the day as 14:05."""
    minutes = round((seconds or 0) / 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# The one weight formatting of the project: the board, route sheets and the courier's page
# round the same grams the same way.
register.filter("kg", kilograms)


@register.filter
def km(meters) -> str:
    return f"{formats.number_format((meters or 0) / 1000, 1)} km"


@register.filter
def pending_count(stops) -> int:
    """How many of these stops are still to do."""
    return sum(1 for stop in stops if stop.state == StopState.TODO)


@register.inclusion_tag("delivery/_local_address_notice.html")
def local_address_notice() -> dict:
    """Says plainly, with two examples, when addresses come from the demo's local list."""
    return {"shown": uses_local_gazetteer()}
