"""The month-by-month parts of /impact/ (chart bars, table rows) joined in Python.

Each figure has twelve bars of seven values and twelve table rows: as template loops they were
most of the page's rendering time. The markup is the one the loops wrote, localised and escaped
the same way as ``{{ value }}`` (``localize``, then HTML escaping; numbers from ``bar_chart``
are written as ``|stringformat:"s"`` did).
"""

from html import escape

from django import template
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _shown(value: object, seen: dict) -> str:
    """``{{ value }}``: localised (once per distinct value of the page part) and escaped."""
    # By text, not by value: Decimal("0") == Decimal("0.0") but they are written differently.
    key = (type(value), str(value))
    if key not in seen:
        seen[key] = escape(str(localize(value)))
    return seen[key]


@register.filter
def chart_bars(chart: dict) -> SafeString:
    """The bars of ``Figure.chart`` with their month labels."""
    seen: dict = {}
    label_y = _shown(chart["label_y"], seen)
    return mark_safe(  # every value is escaped
        "".join(
            f'\n    <rect class="chart-bar" x="{bar["x"]}" y="{bar["y"]}" width="{bar["width"]}"'
            f' height="{bar["height"]}"><title>{escape(str(bar["label"]))} : '
            f"{_shown(bar['value'], seen)}</title></rect>\n"
            f'    <text class="chart-label" x="{bar["center"]}" y="{label_y}"'
            f' text-anchor="middle">{escape(str(bar["short"]))}</text>\n  '
            for bar in chart["bars"]
        )
    )


@register.filter
def month_rows(figure) -> SafeString:
    """One table row per month: the month, then the value and its unit."""
    seen: dict = {}
    unit = f" {escape(str(figure.unit))}" if figure.unit else ""
    return mark_safe(  # every value is escaped
        "".join(
            f'<tr><th scope="row">{escape(str(month))}</th>'
            f'<td class="num">{_shown(value, seen)}{unit}</td></tr>'
            for month, value in figure.months
        )
    )
