"""Figures of the cargo-bike service for dispatch and direction."""

from datetime import date, timedelta

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from delivery import services
from delivery.forms import MonthForm
from delivery.views.access import figures_required

MONTHS_SHOWN = 12


def _month(request) -> date:
    form = MonthForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["month"].replace(day=1)
    return timezone.localdate().replace(day=1)


def _last_day(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _months_before(month: date, count: int) -> date:
    for _step in range(count):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


@figures_required
def figures_page(request):
    month = _month(request)
    figures = services.daily_figures(month, _last_day(month))
    months = services.monthly_figures(_months_before(month, MONTHS_SHOWN - 1), month)
    return render(
        request,
        "delivery/figures.html",
        {
            "month": month,
            "month_form": MonthForm(initial={"month": month}),
            "figures": figures,
            "months": months,
            "factor": services.co2_factor_kg_per_km(),
            "source": settings.DELIVERY_VAN_CO2_SOURCE,
        },
    )
