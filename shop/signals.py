from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from delivery import signals as delivery
from shop import services


@receiver(user_logged_in, dispatch_uid="shop.merge_basket_at_login")
def merge_basket_at_login(sender, request, user, **kwargs):
    """The basket filled before signing in follows the shopper into their account."""
    if request is not None and hasattr(request, "session"):
        services.merge_session_basket(request.session, user)


@receiver(delivery.parcel_picked_up, dispatch_uid="shop.parcel_picked_up")
def part_picked_up(sender, order_number: str, merchant_id: int, **kwargs):
    """A courier took a shop's part: it is handed over."""
    services.part_picked_up(order_number, merchant_id)


@receiver(delivery.parcel_delivered, dispatch_uid="shop.parcel_delivered")
def order_delivered(sender, order_number: str, payment_collected: bool = False, **kwargs):
    """The courier delivered the order to the shopper or the relay point."""
    services.order_delivered(order_number, payment_collected)


@receiver(delivery.delivery_failed, dispatch_uid="shop.delivery_failed")
def delivery_failed(
    sender, order_number: str, reason: str, note: str = "", notice_id=None, **kwargs
):
    """The drop-off failed: the shopper is told why."""
    services.delivery_failed(order_number, reason, note, notice_id)


@receiver(delivery.delivery_replanned, dispatch_uid="shop.delivery_replanned")
def delivery_replanned(
    sender, order_number: str, slot_id: int, relay_point_id=None, notice_id=None, **kwargs
):
    """Dispatch planned a new attempt: the order shows the new window (and relay point)."""
    services.delivery_replanned(order_number, slot_id, relay_point_id, notice_id)


@receiver(delivery.delivery_returned, dispatch_uid="shop.delivery_returned")
def delivery_returned(sender, order_number: str, reason: str = "", **kwargs):
    """Dispatch sent the parcels back to the shops: the order is closed, nothing charged."""
    services.delivery_returned(order_number, reason)
