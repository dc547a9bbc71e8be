"""/impact/: every registered ``ImpactSource`` over a period, with monthly figures and charts.

Sources are asked once for the whole period. Each figure carries its month-by-month values,
computed by the source in the same few queries as the total (grouped by month), so figures that
do not add up (rates, occupancy, distinct counts) stay right; a source that gives totals only is
asked again once per month. The result is cached for a few minutes: the page is public and each
source aggregates over its own tables.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hub.formatting import french_date
from hub.registry import ImpactSource, Indicator, month_windows, registry

CACHE_SECONDS = 600
LAST_12_MONTHS = "12-mois"
YEARS_BACK = 4
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 360, 170, 18, 24


@dataclass(frozen=True)
class Period:
    key: str
    first: date
    last: date
    label: str

    def months(self) -> list[tuple[date, date]]:
        return month_windows(self.first, self.last)


def period_choices(today: date | None = None) -> list[tuple[str, str]]:
    """The last 12 months, then the last few calendar years."""
    today = today or timezone.localdate()
    years = [(str(year), str(year)) for year in range(today.year, today.year - YEARS_BACK, -1)]
    return [(LAST_12_MONTHS, _("Les 12 derniers mois")), *years]


def period_from(key: str | None, today: date | None = None) -> Period:
    """The period named by ``key`` (« 12-mois » or a year); the last 12 months otherwise."""
    today = today or timezone.localdate()
    if key in dict(period_choices(today)) and key != LAST_12_MONTHS:
        year = int(key)
        last = min(date(year, 12, 31), today)
        return Period(key, date(year, 1, 1), last, _period_label(date(year, 1, 1), last))
    months = today.year * 12 + today.month - 1 - 11
    first = date(months // 12, months % 12 + 1, 1)
    return Period(LAST_12_MONTHS, first, today, _period_label(first, today))


def _period_label(first: date, last: date) -> str:
    return _("du %(first)s au %(last)s") % {
        "first": french_date(first, "j F Y"),
        "last": french_date(last, "j F Y"),
    }


@dataclass
class Figure:
    key: str
    label: str
    value: int | Decimal | None
    unit: str
    description: str
    public: bool
    months: list[tuple[str, int | Decimal | None]] = field(default_factory=list)

    @property
    def chart(self) -> dict:
        return bar_chart(self.months)


@dataclass
class SourceFigures:
    name: str
    figures: list[Figure]


def bar_chart(months: list[tuple[str, int | Decimal | None]]) -> dict:
    """Geometry of an SVG bar chart (drawn by the template, styled by CSS classes)."""
    count = max(len(months), 1)
    slot = CHART_WIDTH / count
    top = max((float(value or 0) for _label, value in months), default=0) or 1
    usable = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    bars = []
    for index, (label, value) in enumerate(months):
        height = round(usable * float(value or 0) / top, 1)
        bars.append(
            {
                "x": round(index * slot + slot * 0.15, 1),
                "width": round(slot * 0.7, 1),
                "y": round(CHART_HEIGHT - CHART_BOTTOM - height, 1),
                "height": height,
                "center": round(index * slot + slot / 2, 1),
                "label": label,
                "short": label.split(" ")[0],
                "value": value,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": CHART_HEIGHT - CHART_BOTTOM,
        "label_y": CHART_HEIGHT - 8,
        "bars": bars,
    }


def _month_label(first: date) -> str:
    # « N »: French abbreviations that tell June (« juin ») from July (« juil. »).
    return french_date(first, "N Y")


def collect(
    period: Period, staff: bool, roles: frozenset[str] = frozenset()
) -> list[SourceFigures]:
    """Every source's indicators for ``period`` that the viewer may see: public ones, staff-only
    ones when ``staff``, and those kept for some roles when ``roles`` holds one of them."""
    # Labels and descriptions are translated when computed: one cache entry per language.
    language = translation.get_language()
    audience = ",".join(sorted(roles))
    key = f"hub:impact:{language}:{period.key}:{period.last.isoformat()}:{int(staff)}:{audience}"
    return cache.get_or_set(key, lambda: _collect(period, staff, roles), CACHE_SECONDS)


def _visible(indicator, staff: bool, roles: frozenset[str]) -> bool:
    if indicator.roles:
        return bool(roles & set(indicator.roles))
    return staff or indicator.public


def _collect(period: Period, staff: bool, roles: frozenset[str]) -> list[SourceFigures]:
    result = []
    for source in sorted(registry.impact, key=lambda item: (item.order, str(item.name))):
        indicators = [
            indicator
            for indicator in source.indicators(period.first, period.last)
            if _visible(indicator, staff, roles)
        ]
        monthly = _monthly_values(source, [i for i in indicators if i.monthly], period)
        figures = [
            Figure(
                key=indicator.key,
                label=str(indicator.label),
                value=indicator.value,
                unit=str(indicator.unit),
                description=str(indicator.description),
                public=indicator.public and not indicator.roles,
                months=monthly.get(indicator.key, []),
            )
            for indicator in indicators
        ]
        if figures:
            result.append(SourceFigures(name=str(source.name), figures=figures))
    return result


def _monthly_values(
    source: ImpactSource, indicators: list[Indicator], period: Period
) -> dict[str, list[tuple[str, int | Decimal | None]]]:
    """Each indicator's (month label, value) series: from the values the source computed with
    the totals, or by asking it once per month when it gave totals only."""
    if not indicators:
        return {}
    months = period.months()
    labels = [_month_label(first) for first, _last in months]
    if all(indicator.months is not None for indicator in indicators):
        by_month = [dict(indicator.months or ()) for indicator in indicators]
    else:
        asked = [{i.key: i.value for i in source.indicators(first, last)} for first, last in months]
        by_month = [
            {
                first: values[indicator.key]
                for (first, _last), values in zip(months, asked, strict=True)
                if indicator.key in values
            }
            for indicator in indicators
        ]
    return {
        indicator.key: [
            (label, values.get(first, 0))
            for label, (first, _last) in zip(labels, months, strict=True)
        ]
        for indicator, values in zip(indicators, by_month, strict=True)
    }
