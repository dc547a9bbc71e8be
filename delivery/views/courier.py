"""The courier's page, phone first. With JavaScript its forms go to the API (queued on the
phone when the network drops); without, they post here and come back to the page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delivery import services
from delivery.forms import DeliverForm, FailForm
from delivery.models import FailureReason, Stop
from delivery.services import live, push
from delivery.views.live import live_source
from hub.services import Conflict


@login_required
def courier_page(request):
    courier = services.courier_of(request.user)
    if courier is None:
        return render(request, "delivery/courier/not_courier.html", status=403)
    rounds = list(services.rounds_of_day(courier))
    for round_ in rounds:
        round_.map_id = f"round-map-{round_.pk}"
        round_.map_data = services.round_map(list(round_.stops.all()), highlight_next=True)
    return render(
        request,
        "delivery/courier/page.html",
        {
            "courier": courier,
            "rounds": rounds,
            "reasons": FailureReason.choices,
            # Shown as « Tournée reçue le … à … », also when the phone shows its kept copy.
            "received_at": timezone.now(),
            # The « Recevoir les notifications » switch: only when the site can send push.
            "push_key": settings.WEBPUSH_VAPID_PUBLIC_KEY if push.enabled() else "",
            "live": live_source(
                "delivery:courier_stream",
                [live.courier_channel(courier.pk)],
                settings.DELIVERY_COURIER_POLL_SECONDS,
            ),
        },
    )


def _back(stop_pk) -> str:
    return reverse("delivery:courier") + f"#arret-{stop_pk}"


def _own_stop(request, pk) -> Stop:
    try:
        return services.courier_stop(request.user, pk)
    except Stop.DoesNotExist:
        raise Http404 from None


def _run(request, pk, action, success: str):
    _own_stop(request, pk)
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except Conflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, success)
    return redirect(_back(pk))


@login_required
@require_POST
def stop_pickup(request, pk):
    return _run(
        request,
        pk,
        lambda: services.record_pickup(request.user, pk),
        _("Récupération enregistrée."),
    )


@login_required
@require_POST
def visit_pickup(request, pk):
    return _run(
        request,
        pk,
        lambda: services.record_visit_pickup(request.user, pk),
        _("Récupération du passage enregistrée."),
    )


@login_required
@require_POST
def stop_deliver(request, pk):
    form = DeliverForm(request.POST, request.FILES)
    if not form.is_valid():
        _own_stop(request, pk)
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(_back(pk))
    return _run(
        request,
        pk,
        lambda: services.record_delivery(
            request.user,
            pk,
            form.cleaned_data["recipient"],
            form.cleaned_data["payment_collected"],
            form.cleaned_data["photo"],
        ),
        _("Livraison enregistrée."),
    )


@login_required
@require_POST
def stop_fail(request, pk):
    form = FailForm(request.POST)
    if not form.is_valid():
        _own_stop(request, pk)
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(_back(pk))
    return _run(
        request,
        pk,
        lambda: services.record_failure(
            request.user, pk, form.cleaned_data["reason"], form.cleaned_data["note"]
        ),
        _("Échec enregistré ; la régulation est prévenue."),
    )


def _push_refusal(request):
    """Push is for a signed-in active courier, when the site has its VAPID keys."""
    if not push.enabled():
        return JsonResponse({"detail": _("Les notifications ne sont pas activées.")}, status=404)
    if services.courier_of(request.user) is None:
        return JsonResponse(
            {"detail": _("Seuls les coursiers reçoivent ces notifications.")}, status=403
        )
    return None


@login_required
@require_POST
def push_subscribe(request):
    """Record this browser's push subscription (``PushSubscription.toJSON()``) for the
    signed-in courier."""
    if refusal := _push_refusal(request):
        return refusal
    try:
        push.subscribe(request.user, push.parse_subscription(request.body))
    except ValidationError as error:
        return JsonResponse({"detail": " ".join(error.messages)}, status=400)
    return HttpResponse(status=204)


@login_required
@require_POST
def push_unsubscribe(request):
    """Forget this browser (only among the courier's own subscriptions)."""
    try:
        data = push.parse_subscription(request.body)
    except ValidationError as error:
        return JsonResponse({"detail": " ".join(error.messages)}, status=400)
    push.unsubscribe(request.user, data["endpoint"])
    return HttpResponse(status=204)
