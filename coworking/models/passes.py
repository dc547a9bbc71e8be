"""Passes sold online: the offers of a space and each purchase, credited once paid."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coworking.models.people import Pass, PassKind, RateTier
from coworking.models.spaces import Space


class PassOffer(models.Model):
    """A pass a space sells (day pass, 10-day card, monthly), at a standard and a solidarity
    price."""

    space = models.ForeignKey(
        Space, verbose_name=_("espace"), on_delete=models.PROTECT, related_name="pass_offers"
    )
    kind = models.CharField(_("formule"), max_length=20, choices=PassKind.choices)
    credits = models.PositiveSmallIntegerField(
        _("journées comprises"),
        null=True,
        blank=True,
        help_text=_("Vide pour un abonnement : journées illimitées pendant la validité."),
    )
    validity_days = models.PositiveSmallIntegerField(_("valable (jours)"))
    price = models.DecimalField(_("prix normal"), max_digits=8, decimal_places=2)
    solidarity_price = models.DecimalField(
        _("prix solidaire"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Vide : le prix normal s'applique à tout le monde."),
    )
    sold_online = models.BooleanField(_("vendu en ligne"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("formule de pass")
        verbose_name_plural = _("formules de pass")
        ordering = ["space__position", "position", "price"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="monthly", credits__isnull=True)
                | (~Q(kind="monthly") & Q(credits__gte=1)),
                name="coworking_offer_credits_match_kind",
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0)
                & (Q(solidarity_price__isnull=True) | Q(solidarity_price__gte=0))
                & Q(validity_days__gte=1),
                name="coworking_offer_price_and_validity",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.space.name}"

    def price_for(self, tier: str):
        if tier == RateTier.SOLIDARITY and self.solidarity_price is not None:
            return self.solidarity_price
        return self.price


class PurchaseStatus(models.TextChoices):
    PENDING = "pending", _("En attente du paiement")
    PAID = "paid", _("Payé, pass crédité")
    FAILED = "failed", _("Non payé")


class PassPurchase(models.Model):
    """A pass bought online: the pass is created once the payment is charged."""

    reference = models.UUIDField(_("référence"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acheteur·se"),
        on_delete=models.PROTECT,
        related_name="pass_purchases",
    )
    offer = models.ForeignKey(
        PassOffer, verbose_name=_("formule"), on_delete=models.PROTECT, related_name="purchases"
    )
    tier = models.CharField(_("tarif"), max_length=20, choices=RateTier.choices)
    price = models.DecimalField(_("prix"), max_digits=8, decimal_places=2)
    status = models.CharField(
        _("état"), max_length=10, choices=PurchaseStatus.choices, default=PurchaseStatus.PENDING
    )
    pass_created = models.OneToOneField(
        Pass,
        verbose_name=_("pass crédité"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="purchase",
    )
    created_at = models.DateTimeField(_("acheté le"), auto_now_add=True)

    class Meta:
        verbose_name = _("achat de pass en ligne")
        verbose_name_plural = _("achats de pass en ligne")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(pass_created__isnull=False),
                name="coworking_paid_purchase_has_its_pass",
            ),
        ]

    def __str__(self):
        return f"{self.offer} — {self.user}"
