"""Direction's pages: indicators, their exports, the ESF+ participant list, the access log."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from insertion.access import direction_required
from insertion.audit import log_access, log_many
from insertion.choices import AccessAction
from insertion.exports import csv_response, xlsx_response
from insertion.forms import PeriodForm
from insertion.indicators import Period, report
from insertion.models import AccessLog
from insertion.participants import indicator_table, participant_table, participants

LOG_PAGE_SIZE = 50


def _period(request) -> tuple[PeriodForm, Period]:
    initial = PeriodForm.default_initial(timezone.localdate())
    form = PeriodForm(request.GET if "first_month" in request.GET else initial)
    if form.is_valid():
        data = form.cleaned_data
        return form, Period(data["first_month"], data["last_month"])
    return form, Period(initial["first_month"], initial["last_month"])


def _suffix(period: Period) -> str:
    return f"{period.first_month:%Y-%m}_{period.last_month:%Y-%m}"


@require_GET
@direction_required
def indicators(request):
    form, period = _period(request)
    context = {
        "form": form,
        "period": period,
        "report": report(period),
        "query": request.GET.urlencode(),
    }
    return render(request, "insertion/indicators.html", context)


@require_GET
@direction_required
def indicators_export(request, fmt):
    _form, period = _period(request)
    tables = report(period).tables
    log_access(
        request.user,
        AccessAction.EXPORT,
        record=_("Indicateurs"),
        detail=_suffix(period),
        path=request.get_full_path(),
    )
    if fmt == "xlsx":
        return xlsx_response(f"indicateurs-insertion_{_suffix(period)}.xlsx", tables)
    table = next((t for t in tables if t.key == request.GET.get("table", "synthese")), None)
    if table is None:
        raise Http404
    return csv_response(f"indicateurs-{table.key}_{_suffix(period)}.csv", table.headers, table.rows)


@require_GET
@direction_required
def participants_export(request, fmt):
    """The ESF+ participant list and its common indicators by gender (Excel: both sheets; CSV:
    ``?table=indicateurs`` for the indicators). Personal data: every person exported is logged."""
    _form, period = _period(request)
    people = list(participants(period))
    log_many(
        request.user,
        AccessAction.EXPORT,
        [p.pk for p in people],
        record=_("Liste des participant·es FSE+"),
        detail=_suffix(period),
        path=request.get_full_path(),
    )
    tables = [participant_table(people), indicator_table(people, period)]
    filename = f"participants-fse_{_suffix(period)}"
    if fmt == "xlsx":
        return xlsx_response(f"{filename}.xlsx", tables)
    table = next((t for t in tables if t.key == request.GET.get("table", "participants")), None)
    if table is None:
        raise Http404
    return csv_response(f"{filename}_{table.key}.csv", table.headers, table.rows)


@require_GET
@direction_required
def access_log(request):
    entries = AccessLog.objects.order_by("-at", "-pk")
    record = request.GET.get("dossier", "").strip()
    if record.isdigit():
        entries = entries.filter(beneficiary_id=int(record))
    who = request.GET.get("par", "").strip()
    if who:
        entries = entries.filter(user_email__icontains=who)
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "insertion/access_log.html", {"page": page, "record": record, "who": who}
    )
