from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from delivery.signals import parcel_delivered, parcel_picked_up
from shop import services
from shop.models import MerchantOrder, MerchantOrderStatus, Order


@receiver(user_logged_in, dispatch_uid="shop.merge_basket_at_login")
def merge_basket_at_login(sender, request, user, **kwargs):
    """The basket filled before signing in follows the shopper into their account."""
    if request is not None and hasattr(request, "session"):
        services.merge_session_basket(request.session, user)


@receiver(parcel_picked_up, dispatch_uid="shop.parcel_picked_up")
def part_picked_up(sender, order_number: str, merchant_id: int, **kwargs):
    """A courier took a shop's part: it is handed over."""
    part = MerchantOrder.objects.filter(
        order__number=order_number, merchant_id=merchant_id, status=MerchantOrderStatus.READY
    ).first()
    if part is not None:
        services.mark_part_handed_over(part)


@receiver(parcel_delivered, dispatch_uid="shop.parcel_delivered")
def order_delivered(sender, order_number: str, **kwargs):
    """The courier delivered the order to the shopper or the relay point."""
    order = Order.objects.filter(number=order_number).first()
    if order is not None:
        services.mark_order_delivered(order)
