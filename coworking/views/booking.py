"""Public week views, booking, and a person's own bookings."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from coworking import services
from coworking.forms import BookingForm, parse_moment
from coworking.models import (
    Application,
    Booking,
    BookingStatus,
    OccupancyAgreement,
    Pass,
    ProofStatus,
    Resource,
    SolidarityProof,
    Space,
)
from hub.services import Conflict, absolute_url, format_money, french_date, public_page


def _published_spaces():
    resources = Resource.objects.bookable().order_by("position", "name")
    spaces = list(
        Space.objects.filter(is_published=True).prefetch_related(
            Prefetch("resources", queryset=resources, to_attr="bookable"), "opening_hours"
        )
    )
    for space in spaces:
        space.hours_lines = services.opening_hours_lines(list(space.opening_hours.all()))
    return spaces


@public_page("coworking.home")
def home(request):
    # Lazy: the spaces are read only when the page's cached copy is missing.
    return render(request, "coworking/home.html", {"spaces": SimpleLazyObject(_published_spaces)})


def _monday(value: str | None) -> date:
    today = timezone.localdate()
    try:
        day = date.fromisoformat(value) if value else today
    except ValueError:
        day = today
    day = max(day, today)
    return day - timedelta(days=day.weekday())


def _own_active_booking(request, value) -> Booking | None:
    if not value or not str(value).isdigit() or not request.user.is_authenticated:
        return None
    return Booking.objects.filter(
        pk=value, user=request.user, status=BookingStatus.CONFIRMED
    ).first()


def resource_week(request, pk):
    resource = get_object_or_404(
        Resource.objects.bookable()
        .select_related("space")
        .prefetch_related("space__opening_hours", "rates"),
        pk=pk,
    )
    monday = _monday(request.GET.get("du"))
    this_monday = _monday(None)
    plans = services.week_plan(resource, monday)
    if "du" not in request.GET and not any(plan.slots for plan in plans):
        # Nothing left to book this week (a Saturday, say): show the next one.
        monday += timedelta(days=7)
        plans = services.week_plan(resource, monday)
    today = timezone.localdate()
    return render(
        request,
        "coworking/resource_week.html",
        {
            "resource": resource,
            "hours_lines": services.opening_hours_lines(list(resource.space.opening_hours.all())),
            "plans": [plan for plan in plans if plan.day >= today],
            "monday": monday,
            "previous": monday - timedelta(days=7) if monday > this_monday else None,
            "next": monday + timedelta(days=7),
            "moving": _own_active_booking(request, request.GET.get("deplacer")),
        },
    )


def _report(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_http_methods(["GET", "POST"])
def book(request, pk):
    resource = get_object_or_404(
        Resource.objects.bookable().select_related("space").prefetch_related("rates"), pk=pk
    )
    week_url = reverse("coworking:resource_week", args=[resource.pk])
    start = parse_moment(request.POST.get("debut") or request.GET.get("debut"))
    day = timezone.localdate(start) if start else None
    if start and not services.may_book(request.user, resource, day):
        return render(request, "coworking/book_agreement_only.html", {"resource": resource})
    moving = _own_active_booking(
        request, request.POST.get("deplacer") or request.GET.get("deplacer")
    )
    if moving and moving.resource_id != resource.pk:
        moving = None  # a booking moves in time, not to another resource
    calendar = services.SpaceCalendar(resource.space, day, day) if start else None
    ends = (
        services.end_choices(
            resource, start, calendar, user=request.user, exclude=moving.pk if moving else None
        )
        if start
        else []
    )
    if not ends:
        if start and calendar.opens_at(start):
            return render(
                request,
                "coworking/book_taken.html",
                {"resource": resource, "start": start, "week_url": f"{week_url}?du={day}"},
            )
        messages.error(request, _("Ce créneau n'est pas ouvert à la réservation."))
        return redirect(week_url)
    mode, options = services.price_options(request.user, resource, start, ends)
    online = (
        moving is None
        and services.online_payment_offered()
        and any(services.payable_amount(price) for _end, price in options)
    )
    form = BookingForm(
        request.POST or None, options=options, allow_repeat=moving is None, online=online
    )
    if request.method == "POST" and form.is_valid():
        try:
            booking = _perform(request, form, resource, start, moving)
        except ValidationError as error:
            _report(form, error)
        except Conflict as error:
            form.add_error(None, error.message)
        else:
            if booking is not None and booking.status == BookingStatus.HELD:
                return _pay(request, booking)
            return redirect("coworking:my_bookings")
    return render(
        request,
        "coworking/book.html",
        {
            "resource": resource,
            "start": start,
            "form": form,
            "mode": mode,
            "online": online,
            "hold_minutes": settings.PAYMENTS_CHECKOUT_MINUTES,
            "moving": moving,
            "week_url": week_url + f"?du={day.isoformat()}",
        },
    )


def _pay(request, booking: Booking):
    """Off to the payment page; the place stays held meanwhile."""
    try:
        return redirect(services.booking_payment_page(booking))
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("coworking:my_bookings")


def _perform(request, form, resource, start, moving) -> Booking | None:
    """Book, book weekly or move; returns the booking made alone (None otherwise)."""
    user, data = request.user, form.cleaned_data
    if moving:
        services.move_booking(moving, start, data["end"], by=request.user)
        messages.success(request, _("Votre réservation a été déplacée."))
    elif data.get("repeat"):
        result = services.book_weekly(
            user, resource, start, data["end"], data["until"], data["on_clash"] == "none"
        )
        messages.success(
            request, _("%(count)s réservation(s) faite(s).") % {"count": len(result.made)}
        )
        for day, reason in result.skipped:
            messages.warning(request, f"{french_date(day, 'l j F')} : {reason}")
    else:
        booking = services.book(user, resource, start, data["end"], pay_online=form.pays_online)
        if booking.status != BookingStatus.HELD:
            messages.success(
                request,
                _("C'est réservé : %(resource)s, %(when)s.")
                % {
                    "resource": resource.name,
                    "when": french_date(timezone.localtime(booking.start), "l j F à H:i"),
                },
            )
        return booking
    return None


def _upcoming_and_passes(user):
    """What the payment of a booking or a pass changes on « Mes réservations »."""
    mine = Booking.objects.filter(user=user).select_related("resource__space")
    # A late-cancelled booking is still owed: it stays in the list, marked as such.
    upcoming = mine.filter(
        status__in=[BookingStatus.HELD, BookingStatus.CONFIRMED, BookingStatus.LATE_CANCELLED],
        end__gte=timezone.now(),
    ).order_by("start")[:50]
    passes = list(Pass.objects.filter(user=user, valid_until__gte=timezone.localdate()))
    for pass_ in passes:
        pass_.left = services.credits_left(pass_)
    return {
        "upcoming": upcoming,
        "passes": passes,
        "coworker": services.coworker_for(user),
        "pending_proof": SolidarityProof.objects.filter(
            user=user, status=ProofStatus.PENDING
        ).exists(),
    }


@login_required
def my_bookings(request):
    user, now = request.user, timezone.now()
    mine = Booking.objects.filter(user=user).select_related("resource__space")
    history = Paginator(mine.filter(start__lt=now).order_by("-start"), 20).get_page(
        request.GET.get("page")
    )
    lists = _upcoming_and_passes(user)
    coworker = lists["coworker"]
    today = timezone.localdate()
    months = [today.replace(day=1) - relativedelta(months=n) for n in range(3)]
    return render(
        request,
        "coworking/my_bookings.html",
        {
            **lists,
            "checks": _checks(request, lists["upcoming"]),
            "since": int(now.timestamp()),
            "page": history,
            "feed_url": absolute_url(reverse("coworking:person_feed", args=[coworker.feed_token])),
            "applications": Application.objects.filter(applicant=user)[:3],
            "agreements": OccupancyAgreement.objects.filter(holder=user).select_related("resource"),
            "leases": services.leases_of(user),
            "months": months,
        },
    )


def _checks(request, upcoming) -> list[services.PaymentCheck]:
    """The payments « Mes réservations » follows: those waiting for their charge, and the one
    still open that the person just came back from (named by the return page)."""
    checks = services.payments_being_confirmed(request.user, upcoming)
    followed = services.payment_followed(request.user, request.GET.get(services.PAYMENT_FOLLOWED))
    if followed and all(check.reference != followed.reference for check in checks):
        checks.append(followed)
    return checks


# How long « Mes réservations » waits for a charge before telling the person to come back.
PAYMENT_CHECK_SECONDS = 90


@never_cache
@login_required
def payment_check(request, reference):
    """Polled by « Mes réservations » while a payment is being confirmed: nothing (204) while
    it waits, then the outcome with the bookings and passes as they now stand (out of band)."""
    check = services.payment_check(request.user, reference)
    if check is None:
        raise Http404
    since = _int(request.GET.get("depuis"))
    waited = int(timezone.now().timestamp()) - since if since is not None else 0
    following = (services.PaymentState.WAITING, services.PaymentState.OPEN)
    if check.state in following and waited < PAYMENT_CHECK_SECONDS:
        return HttpResponse(status=204)
    context = {"check": check, "since": since or 0, "settled": True}
    if check.state in (services.PaymentState.PAID, services.PaymentState.FAILED):
        context.update(_upcoming_and_passes(request.user))
    return render(request, "coworking/_payment_check.html", context)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    booking = get_object_or_404(
        Booking.objects.select_related("resource__space"),
        pk=pk,
        user=request.user,
        status__in=[BookingStatus.CONFIRMED, BookingStatus.HELD],
    )
    deadline = services.cancellation_deadline(booking)
    if request.method == "POST":
        try:
            cancelled = services.cancel_booking(booking, by=request.user)
        except Conflict as error:
            messages.error(request, error.message)
        else:
            if cancelled.status == BookingStatus.LATE_CANCELLED and cancelled.paid_online:
                messages.warning(
                    request,
                    _(
                        "Réservation annulée tardivement : %(kept)s sont retenus, le reste vous "
                        "est remboursé sur votre carte."
                    )
                    % {"kept": format_money(cancelled.amount_due)},
                )
            elif cancelled.status == BookingStatus.LATE_CANCELLED:
                messages.warning(request, _("Réservation annulée tardivement : elle reste due."))
            elif cancelled.paid_online:
                messages.success(
                    request,
                    _("Réservation annulée, sans frais : vous êtes remboursé·e sur votre carte."),
                )
            else:
                messages.success(request, _("Réservation annulée, sans frais."))
        return redirect("coworking:my_bookings")
    return render(
        request,
        "coworking/cancel.html",
        {"booking": booking, "deadline": deadline, "late": timezone.now() > deadline},
    )


@login_required
@require_POST
def pay(request, pk):
    """Pay a booking held for its online payment (the payment page, again)."""
    booking = get_object_or_404(Booking, pk=pk, user=request.user, status=BookingStatus.HELD)
    return _pay(request, booking)
