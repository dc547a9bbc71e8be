"""/pilotage/ (staff) and /impact/ (public, with the monthly export for staff)."""

import csv
from functools import partial, wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from hub.dashboard import dashboard_for
from hub.impact import CACHE_SECONDS, collect, period_choices, period_from


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@staff_required
def dashboard(request):
    return render(request, "hub/pilotage.html", {"panels": dashboard_for(request.user)})


def impact(request):
    period = period_from(request.GET.get("periode"))
    staff = request.user.is_authenticated and request.user.is_staff
    return render(
        request,
        "hub/impact.html",
        {
            "period": period,
            "choices": period_choices(),
            # Called by the template only when its cached copy of the figures is missing.
            "sources": partial(collect, period, staff=staff),
            "staff": staff,
            "impact_cache_seconds": CACHE_SECONDS,
        },
    )


@staff_required
def impact_csv(request):
    period = period_from(request.GET.get("periode"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="impact-{period.key}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Domaine"),
            _("Indicateur"),
            _("Période"),
            _("Valeur"),
            _("Unité"),
            _("Ce qui est compté"),
        ]
    )
    for source in collect(period, staff=True):
        for figure in source.figures:
            row = [source.name, figure.label]
            writer.writerow([*row, period.label, figure.value, figure.unit, figure.description])
            for month, value in figure.months:
                writer.writerow([*row, month, value, figure.unit, figure.description])
    return response
