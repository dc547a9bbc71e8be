"""Organisers' pages: their events, the event form, participants, attendance and export."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.access import access_required
from hub.agenda.access import is_organiser, organisable_structures, organised_events
from hub.agenda.forms import CancelEventForm, EventForm
from hub.agenda.registrations import set_attendance
from hub.agenda.scheduling import (
    Repeat,
    available_rooms,
    cancel_event,
    create_event,
    update_event,
)
from hub.csv_export import csv_response
from hub.exceptions import Conflict
from hub.images import clean_image
from hub.models import Registration, RegistrationStatus

RECENT_DAYS = 60
RECENT_SHOWN = 20


organiser_required = access_required(is_organiser)


@organiser_required
def organiser_home(request):
    """Upcoming events first, soonest first (paginated); then the last two months' events,
    latest first."""
    now = timezone.now()
    events = (
        organised_events(request.user)
        .select_related("structure")
        .annotate(
            waiting=Sum("registrations__seats", filter=Q(registrations__status="waiting")),
        )
    )
    upcoming = events.filter(end__gte=now).order_by("start")
    recent = events.filter(end__lt=now, end__gte=now - timedelta(days=RECENT_DAYS))
    page = Paginator(upcoming, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "hub/organiser/home.html",
        {"page": page, "recent": recent.order_by("-start")[:RECENT_SHOWN], "now": now},
    )


def _apply_errors(form, error: ValidationError | Conflict) -> None:
    if isinstance(error, Conflict):
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _event_form(request, instance=None) -> EventForm:
    form = EventForm(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        structures=organisable_structures(request.user),
        rooms=available_rooms(),
    )
    return form


def _prepared(form):
    event = form.save(commit=False)
    picture = form.cleaned_data.get("picture")
    if isinstance(picture, UploadedFile):
        event.picture = clean_image(picture)
    return event


@organiser_required
def event_create(request):
    form = _event_form(request)
    if request.method == "POST" and form.is_valid():
        event = _prepared(form)
        data = form.cleaned_data
        repeat = Repeat(data["repeat"], data["repeat_until"]) if data.get("repeat") else None
        try:
            created = create_event(event, by=request.user, repeat=repeat)
        except (ValidationError, Conflict) as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Événement publié.")
                if len(created) == 1
                else _("Série publiée : %(count)s dates.") % {"count": len(created)},
            )
            return redirect("hub:organiser_event", created[0].pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "hub/organiser/event_form.html", {"form": form}, status=status)


@organiser_required
def event_edit(request, pk):
    event = get_object_or_404(organised_events(request.user), pk=pk)
    form = _event_form(request, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            update_event(_prepared(form), by=request.user)
        except (ValidationError, Conflict) as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect("hub:organiser_event", event.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "hub/organiser/event_form.html", {"form": form, "event": event}, status=status
    )


@organiser_required
def event_cancel(request, pk):
    event = get_object_or_404(organised_events(request.user).select_related("series"), pk=pk)
    form = CancelEventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            cancelled = cancel_event(
                event, by=request.user, following=form.cleaned_data["following"]
            )
        except Conflict as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(count)s date(s) annulée(s) ; les inscrit·es sont prévenu·es par e-mail.")
                % {"count": len(cancelled)},
            )
        return redirect("hub:organiser_event", event.pk)
    return render(request, "hub/organiser/event_cancel.html", {"event": event, "form": form})


def _participants(event):
    return (
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("user")
        .order_by("queued_at", "pk")
    )


@organiser_required
def organiser_event(request, pk):
    event = get_object_or_404(
        organised_events(request.user).select_related("structure", "series"), pk=pk
    )
    registrations = list(_participants(event))
    confirmed = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    context = {
        "event": event,
        "confirmed": confirmed,
        "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
        "pending": [r for r in registrations if r.status == RegistrationStatus.PENDING],
        "present": sum(r.seats for r in confirmed if r.attended),
        "can_change": event.start > timezone.now() and event.status == "published",
    }
    return render(request, "hub/organiser/event.html", context)


@organiser_required
@require_POST
def attendance(request, pk):
    registration = get_object_or_404(
        Registration.objects.select_related("event").filter(
            event__in=organised_events(request.user)
        ),
        pk=pk,
    )
    value = {"yes": True, "no": False, "": None}.get(request.POST.get("attended", ""))
    try:
        set_attendance(registration, value)
    except Conflict as error:
        return HttpResponse(error.message, status=409)
    if request.htmx:
        event = registration.event
        present = (
            event.registrations.filter(
                status=RegistrationStatus.CONFIRMED, attended=True
            ).aggregate(seats=Sum("seats"))["seats"]
            or 0
        )
        return render(
            request,
            "hub/organiser/_attendance_row.html",
            {"registration": registration, "event": event, "present": present, "oob": True},
        )
    return redirect("hub:organiser_event", registration.event_id)


@organiser_required
def participants_csv(request, pk):
    event = get_object_or_404(organised_events(request.user), pk=pk)
    filename = f"participants-{slugify(event.title)}-{timezone.localtime(event.start):%Y-%m-%d}"
    presence = {True: _("présent·e"), False: _("absent·e"), None: ""}
    rows = (
        [
            registration.name,
            registration.email,
            registration.seats,
            registration.get_status_display(),
            presence[registration.attended],
            registration.created_at,
        ]
        for registration in _participants(event)
    )
    headers = [_("Nom"), _("E-mail"), _("Places"), _("Statut"), _("Présence"), _("Inscrit·e le")]
    return csv_response(f"{filename}.csv", headers, rows)
