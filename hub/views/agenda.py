"""Public agenda pages: list, event page, registration, the private registration link, iCal."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from hub.agenda import paid_seats
from hub.agenda.emails import waiting_position
from hub.agenda.forms import AgendaFilter, RegistrationForm
from hub.agenda.ical import calendar_file
from hub.agenda.registrations import (
    cancel_registration,
    confirm_visitor,
    register,
    registration_for,
)
from hub.exceptions import Conflict
from hub.models import ACTIVE_STATUSES, Event, Registration, RegistrationStatus
from hub.whole_pages import public_page

PAGE_SIZE = 12
FEED_PAST_DAYS = 30
FEED_LIMIT = 500


@public_page("hub.agenda")
def agenda(request):
    # Lazy, the filters too (building them copies every filter: a sixth of a cached page's
    # cost): read only when the page's cached copy is missing.
    filters = SimpleLazyObject(
        lambda: AgendaFilter(
            request.GET or None, queryset=Event.objects.upcoming().select_related("structure")
        )
    )
    page = SimpleLazyObject(
        lambda: Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    )
    return render(
        request,
        "hub/agenda/list.html",
        {"page": page, "filters": filters, "query": request.GET.urlencode()},
    )


def _my_registration(request, event) -> Registration | None:
    if not request.user.is_authenticated:
        return None
    return (
        event.registrations.filter(user=request.user, status__in=ACTIVE_STATUSES)
        .order_by("-pk")
        .first()
    )


def _render_event(request, event, form=None, status=200):
    mine = _my_registration(request, event)
    context = {
        "event": event,
        "state": event.registration_state(),
        "mine": mine,
        "position": waiting_position(mine) if mine and mine.status == "waiting" else None,
        "form": form or RegistrationForm(event=event, user=request.user),
        "paid_online": paid_seats.paid_online(event),
    }
    return render(request, "hub/agenda/detail.html", context, status=status)


def event_detail(request, pk):
    event = get_object_or_404(Event.objects.select_related("structure", "series"), pk=pk)
    return _render_event(request, event)


def _too_many_visitor_requests(email: str) -> bool:
    """Each visitor registration mails a confirmation link: limit them per address."""
    key = f"hub:event-visitor:{email.lower()}"
    if cache.add(key, 1, timeout=3600):
        return False
    return cache.incr(key) > settings.EVENT_VISITOR_REGISTRATIONS_PER_HOUR


@require_POST
def event_register(request, pk):
    event = get_object_or_404(Event.objects.select_related("structure"), pk=pk)
    form = RegistrationForm(request.POST, event=event, user=request.user)
    if not form.is_valid():
        return _render_event(request, event, form, status=400)
    data = form.cleaned_data
    user = request.user if request.user.is_authenticated else None
    if user is None and _too_many_visitor_requests(data["email"]):
        form.add_error("email", _("Trop de demandes pour cette adresse. Réessayez dans une heure."))
        return _render_event(request, event, form, status=429)
    try:
        registration = register(
            event,
            seats=data["seats"],
            user=user,
            name=data.get("name", ""),
            email=data.get("email", ""),
        )
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _render_event(request, event, form, status=400)
    except Conflict as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _render_event(request, event, form, status=409)
    if registration.status == RegistrationStatus.HELD:
        return _pay_seat(request, registration)
    messages.success(request, _registered_message(registration))
    return redirect(event)


def _pay_seat(request, registration: Registration):
    """Off to the payment page; the seat stays held meanwhile."""
    try:
        return redirect(paid_seats.payment_page(registration))
    except Conflict as error:
        messages.error(request, error.message)
        return redirect(registration.get_absolute_url())


def _registered_message(registration: Registration) -> str:
    if registration.status == RegistrationStatus.PENDING:
        return _(
            "Presque fini : ouvrez le lien envoyé à %(email)s pour confirmer votre inscription."
        ) % {"email": registration.email}
    if registration.status == RegistrationStatus.CONFIRMED:
        return _("C'est noté : votre inscription est confirmée. Un e-mail vous a été envoyé.")
    return _(
        "L'événement est complet : vous êtes en position %(position)s sur la liste d'attente. "
        "Vous serez prévenu·e par e-mail si une place se libère."
    ) % {"position": waiting_position(registration)}


@never_cache
def registration_manage(request, pk, token):
    """The private page behind the link of the e-mails: confirm, see the status, cancel."""
    registration = registration_for(pk, token)
    if registration is None:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                registration = confirm_visitor(registration)
                messages.success(request, _registered_message(registration))
            elif action == "pay" and registration.status == RegistrationStatus.HELD:
                return _pay_seat(request, registration)
            elif action == "cancel":
                cancel_registration(registration, by=request.user)
                messages.success(request, _("Votre inscription est annulée. Merci de l'avoir dit."))
            else:
                return HttpResponse(status=400)
        except Conflict as error:
            messages.error(request, error.message)
        return redirect(registration.get_absolute_url())
    position = (
        waiting_position(registration)
        if registration.status == RegistrationStatus.WAITING
        else None
    )
    return render(
        request,
        "hub/agenda/registration.html",
        {
            "registration": registration,
            "event": registration.event,
            "position": position,
            "can_cancel": registration.status in ACTIVE_STATUSES
            and registration.event.start > timezone.now(),
        },
    )


@login_required
def my_registrations(request):
    registrations = (
        Registration.objects.filter(user=request.user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event", "event__structure")
        .order_by("-event__start")
    )
    page = Paginator(registrations, 20).get_page(request.GET.get("page"))
    return render(
        request, "hub/agenda/my_registrations.html", {"page": page, "now": timezone.now()}
    )


@login_required
@require_POST
def my_registration_cancel(request, pk):
    registration = get_object_or_404(Registration, pk=pk, user=request.user)
    try:
        cancel_registration(registration, by=request.user)
        messages.success(request, _("Votre inscription est annulée. Merci de l'avoir dit."))
    except Conflict as error:
        messages.error(request, error.message)
    return redirect("hub:my_registrations")


def _ical_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def agenda_ical(request):
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    events = Event.objects.filter(end__gte=since).select_related("structure")
    events = AgendaFilter(request.GET or None, queryset=events).qs[:FEED_LIMIT]
    return _ical_response(calendar_file(events, _("Agenda d'Anima")), "agenda-anima.ics")


@require_GET
def event_ical(request, pk):
    event = get_object_or_404(Event.objects.select_related("structure"), pk=pk)
    return _ical_response(calendar_file([event], event.title), f"evenement-{event.pk}.ics")
