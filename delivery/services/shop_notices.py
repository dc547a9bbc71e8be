"""The hand-over to the shop, made durable: an outbox row written with the delivery's change,
relayed after commit through ``delivery.signals`` and retried until the shop has handled it.

A courier's or dispatcher's answer never depends on the shop: the shop's handler runs later,
in its own transaction, and a failure leaves the notice pending for the next relay.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone

from anima.celery import enqueue_on_commit
from delivery import signals
from delivery.models import Delivery, DeliveryStatus, NoticeKind, Pickup, PickupStatus, ShopNotice

logger = logging.getLogger(__name__)

SIGNALS = {
    NoticeKind.PICKED_UP: signals.parcel_picked_up,
    NoticeKind.DELIVERED: signals.parcel_delivered,
    NoticeKind.FAILED: signals.delivery_failed,
    NoticeKind.REPLANNED: signals.delivery_replanned,
    NoticeKind.RETURNED: signals.delivery_returned,
}
RETRY_FIRST_SECONDS = 60
RETRY_MAX_SECONDS = 3600


def notify_shop(delivery: Delivery, kind: str, **payload) -> ShopNotice:
    """Record, inside the caller's transaction, what the shop must hear; relayed after commit."""
    notice = ShopNotice.objects.create(
        delivery=delivery, kind=kind, payload={"order_number": delivery.order_number, **payload}
    )
    from delivery.tasks import relay_shop_notices

    # A broker that is down must not turn the courier's recorded action into an error: the
    # shared helper logs it and the scheduled relay (relay_pending_shop_notices) picks it up.
    enqueue_on_commit(relay_shop_notices, delivery.pk)
    return notice


def relay_notices(delivery_id: int) -> int:
    """Relay a delivery's pending notices in order, stopping at the first the shop fails."""
    pending = ShopNotice.objects.filter(delivery_id=delivery_id, handled_at__isnull=True)
    relayed = 0
    for notice_id in pending.order_by("pk").values_list("pk", flat=True):
        if not relay_notice(notice_id):
            break
        relayed += 1
    return relayed


def relay_notice(notice_id: int) -> bool:
    """Tell the shop one notice; True once it is handled (now or by an earlier run)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            # Claiming by a conditional update locks the row on both databases: a second relay
            # waits, then finds the notice handled and sends nothing.
            claimed = ShopNotice.objects.filter(pk=notice_id, handled_at__isnull=True).update(
                handled_at=now, last_attempt_at=now, attempts=F("attempts") + 1, last_error=""
            )
            if not claimed:
                return True
            notice = ShopNotice.objects.get(pk=notice_id)
            SIGNALS[notice.kind].send(Delivery, notice_id=notice.pk, **notice.payload)
    except Exception as error:  # the shop's handler may fail in any way: keep the notice pending
        logger.exception("Shop notice %s not handled", notice_id)
        ShopNotice.objects.filter(pk=notice_id).update(
            attempts=F("attempts") + 1,
            last_attempt_at=now,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        return False
    return True


def retry_delay(attempts: int) -> timedelta:
    """How long a failed notice waits before the next try: doubling, capped at an hour."""
    seconds = RETRY_FIRST_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, RETRY_MAX_SECONDS))


def relay_due_notices(now: datetime | None = None) -> int:
    """The scheduled relay: every delivery with a pending notice due again is retried."""
    now = now or timezone.now()
    pending = ShopNotice.objects.filter(handled_at__isnull=True).values_list(
        "delivery_id", "attempts", "last_attempt_at"
    )
    due = {
        delivery_id
        for delivery_id, attempts, last in pending
        if last is None or last + retry_delay(attempts) <= now
    }
    return sum(relay_notices(delivery_id) for delivery_id in sorted(due))


@dataclass(frozen=True)
class DeliveryProgress:
    """Where a delivery stands, for the shop to check its order against."""

    order_number: str
    delivered: bool
    returned: bool
    picked_up_shop_ids: frozenset[int]
    payment_collected: bool
    notice_pending: bool


def delivery_progress(order_numbers: list[str]) -> dict[str, DeliveryProgress]:
    """The progress of these orders' deliveries (three queries whatever their number)."""
    deliveries = Delivery.objects.filter(order_number__in=order_numbers).prefetch_related(
        Prefetch("pickups", queryset=Pickup.objects.filter(status=PickupStatus.PICKED_UP))
    )
    pending = set(
        ShopNotice.objects.filter(
            handled_at__isnull=True, delivery__order_number__in=order_numbers
        ).values_list("delivery_id", flat=True)
    )
    return {
        found.order_number: DeliveryProgress(
            order_number=found.order_number,
            delivered=found.status == DeliveryStatus.DELIVERED,
            returned=found.status == DeliveryStatus.RETURNED,
            picked_up_shop_ids=frozenset(p.shop_id for p in found.pickups.all()),
            payment_collected=found.payment_collected,
            notice_pending=found.pk in pending,
        )
        for found in deliveries
    }
