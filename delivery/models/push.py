"""Where a courier's phone receives web push (one row per browser that said yes)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PushSubscription(models.Model):
    """A browser's push subscription for one courier account: the push service's ``endpoint``
    and the browser's keys (``p256dh``: its P-256 public key, ``auth``: the shared secret),
    as the browser's ``PushSubscription.toJSON()`` gives them (base64url)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
    )
    endpoint = models.URLField(
        _("adresse du service de notification"), max_length=1000, unique=True
    )
    p256dh = models.CharField(_("clé publique du navigateur"), max_length=200)
    auth = models.CharField(_("secret d'authentification"), max_length=100)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement aux notifications")
        verbose_name_plural = _("abonnements aux notifications")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.endpoint[:60]}"
