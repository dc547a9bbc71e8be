"""The delivery's outbox to the shop: what the shop must hear, kept until it has heard it."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from delivery.models.deliveries import Delivery


class NoticeKind(models.TextChoices):
    PICKED_UP = "picked_up", _("Partie récupérée")
    DELIVERED = "delivered", _("Livrée")
    FAILED = "failed", _("Échec")
    REPLANNED = "replanned", _("Reprogrammée")
    RETURNED = "returned", _("Rapportée aux commerces")


class ShopNotice(models.Model):
    """One change of a delivery the shop must follow, written in the same transaction as the
    change and relayed after commit, again and again until the shop's handler succeeds."""

    delivery = models.ForeignKey(
        Delivery,
        verbose_name=_("livraison"),
        on_delete=models.CASCADE,
        related_name="shop_notices",
    )
    kind = models.CharField(_("étape"), max_length=12, choices=NoticeKind.choices)
    payload = models.JSONField(_("données"), default=dict, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    handled_at = models.DateTimeField(_("traité par la boutique le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_attempt_at = models.DateTimeField(_("dernière tentative"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        verbose_name = _("avis à la boutique")
        verbose_name_plural = _("avis à la boutique")
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["delivery"],
                condition=Q(handled_at__isnull=True),
                name="shopnotice_pending",
            )
        ]

    def __str__(self):
        return f"{self.delivery.order_number} · {self.get_kind_display()}"
