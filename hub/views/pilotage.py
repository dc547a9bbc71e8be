"""/pilotage/ (staff) and /impact/ (public, with the monthly export for staff)."""

from functools import partial

from django.shortcuts import render
from django.utils.translation import gettext as _

from hub.access import access_required, is_active_staff
from hub.csv_export import csv_response
from hub.dashboard import dashboard_for
from hub.impact import CACHE_SECONDS, collect, period_choices, period_from
from hub.roles import Role, has_role
from hub.whole_pages import public_page

staff_required = access_required(is_active_staff)


@staff_required
def dashboard(request):
    return render(request, "hub/pilotage.html", {"panels": dashboard_for(request.user)})


def _roles(user) -> frozenset[str]:
    """The viewer's roles, all of them for a superuser (figures kept for some roles)."""
    return frozenset(role for role in Role.values if has_role(user, role))


# Its figures depend on the member's roles: kept whole for visitors without a session only.
@public_page("hub.impact", seconds=lambda: CACHE_SECONDS, members=False)
def impact(request):
    period = period_from(request.GET.get("periode"))
    staff = request.user.is_authenticated and request.user.is_staff
    roles = _roles(request.user)
    return render(
        request,
        "hub/impact.html",
        {
            "period": period,
            "choices": period_choices(),
            # Called by the template only when its cached copy of the figures is missing.
            "sources": partial(collect, period, staff=staff, roles=roles),
            "staff": staff,
            "roles_key": ",".join(sorted(roles)),
            "impact_cache_seconds": CACHE_SECONDS,
        },
    )


@staff_required
def impact_csv(request):
    period = period_from(request.GET.get("periode"))
    rows = []
    for source in collect(period, staff=True, roles=_roles(request.user)):
        for figure in source.figures:
            value = _("non publié") if figure.value is None else figure.value
            row = [source.name, figure.label]
            rows.append([*row, period.label, value, figure.unit, figure.description])
            for month, monthly in figure.months:
                rows.append([*row, month, monthly, figure.unit, figure.description])
    headers = [
        _("Domaine"),
        _("Indicateur"),
        _("Période"),
        _("Valeur"),
        _("Unité"),
        _("Ce qui est compté"),
    ]
    return csv_response(f"impact-{period.key}.csv", headers, rows)
