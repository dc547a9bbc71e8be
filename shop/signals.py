from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from delivery import signals as delivery
from shop import services
from shop.models import Basket, BasketLine, Product


@receiver(user_logged_in, dispatch_uid="shop.merge_basket_at_login")
def merge_basket_at_login(sender, request, user, **kwargs):
    """The basket filled before signing in follows the shopper into their account."""
    if request is not None and hasattr(request, "session"):
        services.merge_session_basket(request.session, user)


@receiver(post_save, sender=BasketLine, dispatch_uid="shop.basket_count:line_saved")
@receiver(post_delete, sender=BasketLine, dispatch_uid="shop.basket_count:line_deleted")
def basket_line_changed(sender, instance: BasketLine, **kwargs):
    """The header badge counts again, whatever wrote the line (services, checkout, admin)."""
    if BasketLine.basket.is_cached(instance):
        user_id = instance.basket.user_id
    else:
        basket = Basket.objects.filter(pk=instance.basket_id).only("user_id").first()
        user_id = basket.user_id if basket else None
    services.forget_basket_count(instance.basket_id, user_id)


@receiver(post_delete, sender=Basket, dispatch_uid="shop.basket_count:basket_deleted")
def basket_deleted(sender, instance: Basket, **kwargs):
    services.forget_basket_count(instance.pk, instance.user_id)


@receiver(post_delete, sender=Product, dispatch_uid="shop.product_photos:deleted")
def product_deleted(sender, instance: Product, **kwargs):
    """A deleted product's photo files go once the deletion commits (unless another shows them),
    whatever deleted it (the admin, a shop removed with its products)."""
    services.forget_photos_on_commit(
        [instance.photo.name, instance.photo_list.name, instance.photo_detail.name]
    )


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
