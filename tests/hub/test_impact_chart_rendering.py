"""/impact/'s month-by-month bars and table rows, joined in Python for speed, write exactly
what the template loops they replace wrote: same numbers the French way, same escaping."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from hub.impact import Figure

LOOPS = Template(
    "{% for bar in chart.bars %}"
    '\n    <rect class="chart-bar" x="{{ bar.x|stringformat:"s" }}"'
    ' y="{{ bar.y|stringformat:"s" }}"'
    ' width="{{ bar.width|stringformat:"s" }}" height="{{ bar.height|stringformat:"s" }}">'
    "<title>{{ bar.label }} : {{ bar.value }}</title></rect>\n"
    '    <text class="chart-label" x="{{ bar.center|stringformat:"s" }}" y="{{ chart.label_y }}"'
    ' text-anchor="middle">{{ bar.short }}</text>\n  '
    "{% endfor %}|"
    "{% for month, value in figure.months %}"
    '<tr><th scope="row">{{ month }}</th><td class="num">{{ value }}'
    "{% if figure.unit %} {{ figure.unit }}{% endif %}</td></tr>"
    "{% endfor %}"
)
FILTERS = Template("{% load impact_charts %}{{ chart|chart_bars }}|{{ figure|month_rows }}")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "unit, values",
    [
        ("kg", [Decimal("612.6"), Decimal("0.0"), Decimal("1328.0"), Decimal("0")]),
        ("", [1886, 0, 12, 1_234_567]),
        ("%", [Decimal("92.8"), Decimal("100.0"), Decimal("0.0"), Decimal("7.5")]),
        ("<m²> & « places »", [3, 0, 0, 1]),
    ],
)
def test_the_joined_bars_and_rows_are_what_the_template_loops_wrote(language, unit, values):
    months = [f"{name} 2026" for name in ["janv.", "févr.", "l'été <b>", "déc."]]
    figure = Figure(
        "key", "Label", values[0], unit, "", True, list(zip(months, values, strict=True))
    )
    context = {"chart": figure.chart, "figure": figure}

    with translation.override(language):
        expected = LOOPS.render(Context(context))
        written = FILTERS.render(Context(context))

    assert written == expected
    assert "&lt;b&gt;" in written and "<b>" not in written
