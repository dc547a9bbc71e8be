"""Template helpers of the insertion pages."""

from django import template

from insertion.access import is_direction

register = template.Library()


@register.filter
def reports_allowed(user) -> bool:
    """True when the user may see indicators, exports and the access log (direction)."""
    return is_direction(user)
