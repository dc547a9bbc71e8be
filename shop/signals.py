from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from shop.services import merge_session_basket


@receiver(user_logged_in, dispatch_uid="shop.merge_basket_at_login")
def merge_basket_at_login(sender, request, user, **kwargs):
    """The basket filled before signing in follows the shopper into their account."""
    if request is not None and hasattr(request, "session"):
        merge_session_basket(request.session, user)
