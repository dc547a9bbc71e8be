"""News of the round for the shopper: « votre commande est en route » when the courier starts
the round, « vous êtes le prochain arrêt » when the stop before theirs is recorded.

The courier's action only registers, inside its transaction, a task to run after commit
(``after_stop_recorded``): nothing is rendered or sent under the round's lock. The task reads
the round as it stands then and sends each message once — by e-mail, and by SMS too when the
shopper gave a French mobile number and did not untick « Me prévenir par SMS » — with a dedupe
key per event, delivery and round: a replayed action, a task run twice or two stops recorded
at once send nothing more.
No message for a delivery already settled (handed over, failed, cancelled) nor for a shopper
who stopped them (``stop_news``, from the link each message carries).
"""

from __future__ import annotations

import logging
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from anima.celery import enqueue
from delivery.models import Delivery, DeliveryStatus, Round, Stop, StopKind, StopState
from delivery.services.arrival_window import ArrivalWindow, arrival_window
from delivery.services.tracking import tracking_path
from delivery.services.zone import slot_label
from hub.services import absolute_url, is_mobile, send_email, send_sms

logger = logging.getLogger(__name__)


class NewsKind(StrEnum):
    STARTED = "started"  # the courier has started the round
    NEXT = "next"  # the stop before the shopper's is recorded: theirs is next


def after_stop_recorded(round_id: int, round_started: bool) -> None:
    """Inside the courier's transaction: once it commits, a task tells the shoppers."""
    transaction.on_commit(lambda: _enqueue(round_id, round_started), robust=True)


def _enqueue(round_id: int, round_started: bool) -> None:
    from delivery.tasks import send_shopper_news

    enqueue(send_shopper_news, round_id, round_started)


def send_round_news(round_id: int, round_started: bool = False) -> int:
    """Tell the shoppers of a round what is new (run after the courier's action committed):
    the next visit's drop-offs that they are next, and when ``round_started`` every other
    drop-off to come that the round is out. Returns how many shoppers were told."""
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None or round_.started_at is None:
        return 0
    todo = list(
        Stop.objects.filter(round_id=round_id, state=StopState.TODO)
        .select_related("delivery__slot", "delivery__relay_point")
        .order_by("sequence", "pk")
    )
    following = _next_visit(todo)
    told = 0
    for stop in todo:
        if stop.kind != StopKind.DROPOFF:
            continue
        if stop in following:
            told += _tell(stop, NewsKind.NEXT)
        elif round_started:
            told += _tell(stop, NewsKind.STARTED)
    return told


def _next_visit(todo: list[Stop]) -> list[Stop]:
    """The stops the courier makes next: the first to do and those of the same visit."""
    if not todo:
        return []
    first = todo[0]
    if not first.visit:
        return [first]
    return [stop for stop in todo if stop.visit == first.visit]


def wants_news(delivery: Delivery) -> bool:
    """Whether the shopper is still to be told: the delivery under way, messages not stopped."""
    return delivery.status in DeliveryStatus.open() and delivery.news_stopped_at is None


def _tell(stop: Stop, kind: NewsKind) -> int:
    """E-mail the shopper, and text them when they asked for it with a mobile number; each
    once (its own dedupe key): 1 when something new went out."""
    delivery = stop.delivery
    if not wants_news(delivery):
        return 0
    context = news_context(stop)
    key = f"delivery:news:{kind}:{stop.round_id}:{delivery.pk}"
    # The mail client's own « Se désabonner » button posts to the same page (one click).
    email = send_email(
        delivery.contact_email,
        f"delivery/email/news_{kind}",
        context,
        key,
        unsubscribe_url=str(context["stop_url"]),
    )
    text = None
    if delivery.news_by_sms and is_mobile(delivery.contact_phone):
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(f"delivery/sms/news_{kind}.txt", context, using="text")
        text = send_sms(delivery.contact_phone, body, f"{key}:sms")
    if email is None and text is None:
        return 0
    logger.info(
        "Shopper news %s for delivery %s: e-mail %s, SMS %s.",
        kind,
        delivery.pk,
        "sent" if email else "no",
        "sent" if text else "no",
    )
    return 1


def news_context(stop: Stop) -> dict[str, object]:
    """What the messages say: the order, the arrival window when known, the links."""
    delivery = stop.delivery
    return {
        "delivery": delivery,
        "relay_point": delivery.relay_point,
        "arrival": _arrival(stop),
        "window": slot_label(delivery.slot),
        "url": absolute_url(tracking_path(delivery)),
        "stop_url": absolute_url(stop_news_path(delivery)),
    }


def _arrival(stop: Stop) -> ArrivalWindow | None:
    if stop.expected_at is None:
        return None
    slot = stop.delivery.slot
    return arrival_window(stop.expected_at, slot.start, slot.end)


def stop_news_path(delivery: Delivery) -> str:
    return reverse("delivery:news_stop", args=[delivery.tracking_token])


def delivery_for_news(token: str) -> Delivery | None:
    """The delivery behind a message's link, or None for an unknown token."""
    if not token or len(token) > 64:
        return None
    return Delivery.objects.filter(tracking_token=token).first()


def stop_news(token: str) -> Delivery | None:
    """« Ne plus recevoir ces messages » : no more e-mail nor SMS about this delivery (the
    first time is kept); None for an unknown token."""
    delivery = delivery_for_news(token)
    if delivery is None:
        return None
    Delivery.objects.filter(pk=delivery.pk, news_stopped_at__isnull=True).update(
        news_stopped_at=timezone.now()
    )
    delivery.refresh_from_db(fields=["news_stopped_at"])
    return delivery
