"""E-mails of dispatch, sent through the hub after commit, in French, each once."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import Delivery, DeliveryStatus, EventKind, EventSource, Round
from delivery.services.board import unplanned_by_slot
from delivery.services.deliveries import record_event
from delivery.services.tracking import tracking_path
from delivery.services.zone import relay_point_open_for, slot_label
from hub.services import Role, absolute_url, send_email


def round_published(round_: Round) -> None:
    """Tell the courier their round is ready (again after each change published)."""
    stops = round_.stops.count()
    send_email(
        round_.courier.user.email,
        "delivery/email/round_published",
        {"round": round_, "stops": stops, "url": absolute_url(reverse("delivery:courier"))},
        dedupe_key=f"delivery:round-published:{round_.pk}:{round_.published_at:%Y%m%d%H%M%S%f}",
    )


def remind_tomorrow(today: date | None = None) -> int:
    """E-mail each shopper with a delivery tomorrow its window; return how many were sent."""
    tomorrow = (today or timezone.localdate()) + timedelta(days=1)
    deliveries = (
        Delivery.objects.filter(
            slot__date=tomorrow,
            status__in=[DeliveryStatus.AWAITING, DeliveryStatus.READY],
        )
        .select_related("slot", "relay_point")
        .prefetch_related("relay_point__hours")
    )
    sent = 0
    for delivery in deliveries:
        point = delivery.relay_point
        if point is not None and not relay_point_open_for(point, delivery.slot):
            _closed_relay_point(delivery)
            continue
        context = {
            "delivery": delivery,
            "window": slot_label(delivery.slot),
            "url": absolute_url(tracking_path(delivery)),
        }
        key = f"delivery:tomorrow:{delivery.pk}:{delivery.slot_id}"
        if send_email(delivery.contact_email, "delivery/email/tomorrow", context, key):
            sent += 1
    return sent


def _closed_relay_point(delivery: Delivery) -> None:
    """Never remind a shopper of a slot their relay point is closed in: dispatch re-plans it
    (the delivery's history says why no reminder left)."""
    message = _("Rappel de la veille non envoyé : le point relais est fermé à ce créneau.")
    if not delivery.events.filter(kind=EventKind.REMINDER_HELD).exists():
        record_event(delivery, EventKind.REMINDER_HELD, message, EventSource.SYSTEM)


def morning_summary(today: date | None = None) -> int:
    """Send the dispatch team the day's deliveries not yet in a round, per slot."""
    today = today or timezone.localdate()
    slots = unplanned_by_slot(today)
    total = sum(count for _slot, count in slots)
    if not total:
        return 0
    url = absolute_url(reverse("delivery:board") + f"?date={today:%Y-%m-%d}")
    recipients = (
        get_user_model()
        .objects.filter(groups__name=Role.DISPATCH, is_active=True)
        .values_list("email", flat=True)
        .distinct()
    )
    sent = 0
    for email in recipients:
        context = {"day": today, "slots": slots, "total": total, "url": url}
        if send_email(
            email, "delivery/email/morning_summary", context, f"delivery:summary:{today}:{email}"
        ):
            sent += 1
    return sent
