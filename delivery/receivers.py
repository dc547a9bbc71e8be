"""Reactions to sign-in and to courier profiles: keep the account menu's courier flag right."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from delivery.models import Courier
from delivery.services import forget_courier_flag, remember_courier_flag
from delivery.services.push import forget_user


@receiver(user_logged_in, dispatch_uid="delivery.courier_flag_at_login")
def courier_flag_at_login(sender, request, user, **kwargs):
    remember_courier_flag(user)


@receiver(post_save, sender=Courier, dispatch_uid="delivery.courier_saved")
@receiver(post_delete, sender=Courier, dispatch_uid="delivery.courier_deleted")
def courier_changed(sender, instance, **kwargs):
    forget_courier_flag(instance.user_id)


@receiver(user_logged_out, dispatch_uid="delivery.push_off_at_logout")
def push_off_at_logout(sender, request, user, **kwargs):
    """A phone signed out receives no more round news (another person may use it next)."""
    if user is not None:
        forget_user(user)
