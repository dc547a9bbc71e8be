"""Online payments: what was asked, held, captured, released, refunded and paid out.

Every amount is in integer cents (euros × 100). Nothing about a card is stored: the provider's
hosted page collects it, Anima keeps only the provider's ids and the amounts.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class PayoutAccount(models.Model):
    """A seller's account at the provider (a shop's Stripe Express account), keyed by the app
    that owns the seller (``payee`` = "shop.merchant:12")."""

    payee = models.CharField(_("bénéficiaire"), max_length=100, unique=True)
    label = models.CharField(_("nom"), max_length=150)
    provider_id = models.CharField(_("compte chez le prestataire"), max_length=100, unique=True)
    details_submitted = models.BooleanField(_("informations transmises"), default=False)
    payouts_enabled = models.BooleanField(_("virements activés"), default=False)
    transfers_enabled = models.BooleanField(_("reversements activés"), default=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("compte de versement")
        verbose_name_plural = _("comptes de versement")
        ordering = ["label"]

    def __str__(self):
        return self.label

    @property
    def is_active(self) -> bool:
        """Whether the account can receive its share of online payments."""
        return self.details_submitted and self.payouts_enabled and self.transfers_enabled


class PaymentStatus(models.TextChoices):
    OPEN = "open", _("En attente du paiement")
    AUTHORISED = "authorised", _("Montant réservé sur la carte")
    CAPTURED = "captured", _("Débité")
    RELEASED = "released", _("Libéré sans débit")
    FAILED = "failed", _("Non abouti")


class Payment(models.Model):
    """One online payment: a hosted checkout, an authorisation for the whole amount, then one
    capture of the accepted parts (the rest released), refunds and payouts."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    purpose = models.CharField(_("objet"), max_length=40)
    reference = models.CharField(_("référence"), max_length=60)
    description = models.CharField(_("libellé"), max_length=200)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("payeur·se"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    email = models.EmailField(_("e-mail du payeur"))
    status = models.CharField(
        _("état"), max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.OPEN
    )
    amount = models.PositiveIntegerField(_("montant autorisé (centimes)"))
    captured = models.PositiveIntegerField(_("débité (centimes)"), default=0)
    refunded = models.PositiveIntegerField(_("remboursé (centimes)"), default=0)
    fee = models.PositiveIntegerField(_("frais du prestataire (centimes)"), default=0)
    checkout_id = models.CharField(_("session de paiement"), max_length=100, blank=True)
    checkout_url = models.URLField(_("page de paiement"), max_length=500, blank=True)
    checkout_expires_at = models.DateTimeField(_("page valable jusqu'au"), null=True, blank=True)
    intent_id = models.CharField(_("intention de paiement"), max_length=100, blank=True)
    charge_id = models.CharField(_("débit"), max_length=100, blank=True)
    capture_before = models.DateTimeField(_("à débiter avant le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    authorised_at = models.DateTimeField(_("autorisé le"), null=True, blank=True)
    settled_at = models.DateTimeField(_("soldé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("paiement en ligne")
        verbose_name_plural = _("paiements en ligne")
        ordering = ["-created_at", "-pk"]
        permissions = [("refund_payment", _("Rembourser un paiement en ligne"))]
        indexes = [
            models.Index(fields=["status", "updated_at"]),
            models.Index(fields=["purpose", "-created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "reference"], name="payment_once_per_reference"
            ),
            models.CheckConstraint(
                condition=Q(captured__lte=F("amount")) & Q(refunded__lte=F("captured")),
                name="payment_amounts_consistent",
            ),
        ]

    def __str__(self):
        return f"{self.description} ({self.amount / 100:.2f} €)"

    @property
    def released(self) -> int:
        """Cents held and then given back without being charged."""
        if self.status in (PaymentStatus.CAPTURED, PaymentStatus.RELEASED):
            return self.amount - self.captured
        return 0


class PartStatus(models.TextChoices):
    PENDING = "pending", _("En attente de décision")
    ACCEPTED = "accepted", _("Acceptée, à débiter")
    CAPTURED = "captured", _("Débitée")
    RELEASED = "released", _("Libérée sans débit")


class PaymentPart(models.Model):
    """The share of a payment that one seller (or the platform) is owed once accepted."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="parts")
    key = models.CharField(_("clé"), max_length=60)
    label = models.CharField(_("libellé"), max_length=150)
    amount = models.PositiveIntegerField(_("montant (centimes)"))
    account = models.ForeignKey(
        PayoutAccount,
        verbose_name=_("compte de versement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        help_text=_("Vide : la part revient au pôle (frais de livraison, pass, événement)."),
    )
    commission_rate = models.DecimalField(
        _("commission (%)"), max_digits=5, decimal_places=2, default=0
    )
    status = models.CharField(
        _("état"), max_length=10, choices=PartStatus.choices, default=PartStatus.PENDING
    )
    commission = models.PositiveIntegerField(_("commission (centimes)"), default=0)
    fee = models.PositiveIntegerField(_("part des frais (centimes)"), default=0)
    refunded = models.PositiveIntegerField(_("remboursé (centimes)"), default=0)

    class Meta:
        verbose_name = _("part d'un paiement")
        verbose_name_plural = _("parts des paiements")
        ordering = ["payment", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "key"], name="payment_part_key_once"),
            models.CheckConstraint(
                condition=Q(refunded__lte=F("amount")), name="payment_part_refund_within_amount"
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.amount / 100:.2f} €)"

    @property
    def payout_amount(self) -> int:
        """What the seller is owed for this part: the part less commission and fees."""
        return max(self.amount - self.commission - self.fee, 0)


class OperationStatus(models.TextChoices):
    PENDING = "pending", _("À transmettre")
    DONE = "done", _("Effectué")
    FAILED = "failed", _("Refusé par le prestataire")


class Payout(models.Model):
    """A transfer of a seller's share to its payout account, after the capture."""

    part = models.OneToOneField(PaymentPart, on_delete=models.PROTECT, related_name="payout")
    account = models.ForeignKey(
        PayoutAccount, verbose_name=_("compte"), on_delete=models.PROTECT, related_name="payouts"
    )
    amount = models.PositiveIntegerField(_("montant (centimes)"))
    reversed = models.PositiveIntegerField(_("repris (centimes)"), default=0)
    status = models.CharField(
        _("état"), max_length=10, choices=OperationStatus.choices, default=OperationStatus.PENDING
    )
    provider_id = models.CharField(_("virement chez le prestataire"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("transmis le"), null=True, blank=True)

    class Meta:
        verbose_name = _("reversement")
        verbose_name_plural = _("reversements")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(reversed__lte=F("amount")), name="payout_reversal_within_amount"
            ),
        ]

    def __str__(self):
        return f"{self.account} — {self.amount / 100:.2f} €"


class Refund(models.Model):
    """Money given back to the payer, for one part or, without a part, from the whole payment."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    part = models.ForeignKey(
        PaymentPart, on_delete=models.PROTECT, null=True, blank=True, related_name="refunds"
    )
    amount = models.PositiveIntegerField(_("montant (centimes)"))
    reason = models.CharField(_("motif"), max_length=250)
    status = models.CharField(
        _("état"), max_length=10, choices=OperationStatus.choices, default=OperationStatus.PENDING
    )
    provider_id = models.CharField(
        _("remboursement chez le prestataire"), max_length=100, blank=True
    )
    reversal_id = models.CharField(_("reprise au commerce"), max_length=100, blank=True)
    reversal_amount = models.PositiveIntegerField(_("repris au commerce (centimes)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    done_at = models.DateTimeField(_("effectué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("remboursement")
        verbose_name_plural = _("remboursements")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self):
        return f"{self.amount / 100:.2f} € — {self.reason}"


class WebhookEvent(models.Model):
    """A provider event already handled: the same event id is never handled twice."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notification du prestataire")
        verbose_name_plural = _("notifications du prestataire")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.event_id}"
