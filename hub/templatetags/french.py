"""Template builtin (``TEMPLATES`` ``builtins``): the ``date`` filter writes the first of the
month « 1er », in pages and e-mails alike, with Django's formats otherwise."""

from django import template
from django.template.defaultfilters import date as django_date

from hub.formatting import french_date

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if getattr(value, "day", None) != 1:
        return django_date(value, arg)
    try:
        return french_date(value, arg)
    except (AttributeError, TypeError):
        return ""
