from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from delivery.models import DeliverySlot, FulfilmentMode, RelayPoint
from hub.services import PhoneField
from shop.models.catalogue import Product, Unit, line_label, quantity_label
from shop.models.merchants import Merchant

CENT = Decimal("0.01")
# What names, reaches or locates the buyer: never copied into the order's history.
ORDER_PERSONAL_FIELDS = [
    "idempotency_key",
    "address",
    "address_label",
    "latitude",
    "longitude",
    "contact_name",
    "contact_phone",
    "contact_email",
    "note",
]


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Carte bancaire à la livraison ou au retrait")
    CASH = "cash", _("Espèces")
    CHEQUE = "cheque", _("Chèque")
    ONLINE = "online", _("Carte bancaire en ligne")

    @classmethod
    def on_delivery(cls) -> list[tuple[str, str]]:
        return [(value, label) for value, label in cls.choices if value != cls.ONLINE]


class PaymentStatus(models.TextChoices):
    DUE = "due", _("À régler à la remise")
    PAID = "paid", _("Réglée")
    PENDING = "pending", _("Paiement en ligne en attente")
    AUTHORISED = (
        "authorised",
        _("Montant réservé sur la carte, débité quand les commerces acceptent"),
    )
    RELEASED = "released", _("Rien n'a été débité")
    REFUNDED = "refunded", _("Remboursée")


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Passée")
    IN_PROGRESS = "in_progress", _("En préparation")
    READY = "ready", _("Prête")
    COMPLETED = "completed", _("Terminée")
    CANCELLED = "cancelled", _("Annulée")


class MerchantOrderStatus(models.TextChoices):
    PLACED = "placed", _("À accepter")
    ACCEPTED = "accepted", _("Acceptée")
    READY = "ready", _("Prête")
    HANDED_OVER = "handed_over", _("Remise au coursier")
    COLLECTED = "collected", _("Retirée")
    DELIVERED = "delivered", _("Livrée")
    REFUSED = "refused", _("Refusée")
    CANCELLED = "cancelled", _("Annulée")

    @classmethod
    def open(cls) -> list[str]:
        return [cls.PLACED, cls.ACCEPTED, cls.READY, cls.HANDED_OVER]

    @classmethod
    def dropped(cls) -> list[str]:
        return [cls.REFUSED, cls.CANCELLED]


def vat_breakdown(lines) -> list[dict]:
    """Per VAT rate: amount incl. VAT, excl. VAT and the VAT itself (prices include VAT)."""
    by_rate: dict[Decimal, Decimal] = defaultdict(Decimal)
    for line in lines:
        by_rate[line.vat_rate] += line.total
    return [vat_row(rate, by_rate[rate]) for rate in sorted(by_rate)]


def vat_row(rate: Decimal, gross: Decimal) -> dict:
    """One rate of a receipt: the amount excl. VAT is rounded to the cent, the VAT is the rest."""
    net = (gross / (1 + rate / 100)).quantize(CENT, rounding=ROUND_HALF_UP)
    return {"rate": rate, "gross": gross, "net": net, "vat": gross - net}


class Order(models.Model):
    """One checkout by a shopper, split into one merchant order per shop."""

    # Set by ``place_order`` when it answers a repeated request with the order already placed.
    replayed = False

    number = models.CharField(_("numéro"), max_length=20, unique=True, editable=False)
    shopper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("client·e"),
        on_delete=models.PROTECT,
        related_name="shop_orders",
    )
    idempotency_key = models.CharField(max_length=100, editable=False)
    status = models.CharField(
        _("statut"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.PLACED
    )
    fulfilment = models.CharField(
        _("mode de retrait"), max_length=10, choices=FulfilmentMode.choices
    )
    address = models.CharField(_("adresse saisie"), max_length=250, blank=True)
    address_label = models.CharField(_("adresse trouvée"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    distance_km = models.DecimalField(
        _("distance du centre (km)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    relay_point = models.ForeignKey(
        RelayPoint,
        verbose_name=_("point relais"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    slot = models.ForeignKey(
        DeliverySlot,
        verbose_name=_("créneau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    slot_held = models.BooleanField(_("place de créneau réservée"), default=False)
    contact_name = models.CharField(_("nom du contact"), max_length=150)
    contact_phone = PhoneField(_("téléphone du contact"))
    # « Me prévenir par SMS » at checkout: the delivery's news by text message too. Opt-in
    # (CNIL): false unless the shopper ticked it.
    news_by_sms = models.BooleanField(_("prévenir par SMS"), default=False)
    contact_email = models.EmailField(_("e-mail du contact"))
    note = models.TextField(_("instructions"), blank=True, max_length=500)
    payment_method = models.CharField(_("paiement"), max_length=10, choices=PaymentMethod.choices)
    payment_status = models.CharField(
        _("règlement"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.DUE
    )
    items_total = models.DecimalField(_("articles TTC"), max_digits=9, decimal_places=2)
    delivery_fee = models.DecimalField(_("frais de livraison"), max_digits=7, decimal_places=2)
    total = models.DecimalField(_("total TTC"), max_digits=9, decimal_places=2)
    total_weight_grams = models.PositiveIntegerField(_("poids total (g)"), default=0)
    # Paid online: shops must answer before the card authorisation lapses.
    accept_by = models.DateTimeField(_("à accepter avant le"), null=True, blank=True)
    created_at = models.DateTimeField(_("passée le"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancel_reason = models.CharField(_("motif d'annulation"), max_length=250, blank=True)
    # Field-level history (who changed what, when) of what the order is, not of who the buyer
    # is: contact, address, position, instructions and the request key are left out.
    history = HistoricalRecords(excluded_fields=ORDER_PERSONAL_FIELDS)

    class Meta:
        verbose_name = _("commande")
        verbose_name_plural = _("commandes")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["shopper", "-created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["shopper", "idempotency_key"], name="order_once_per_idempotency_key"
            ),
            models.CheckConstraint(
                condition=~Q(fulfilment__in=FulfilmentMode.to_an_address())
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False) & ~Q(address="")),
                name="order_address_delivery_has_position",
            ),
            models.CheckConstraint(
                condition=~Q(fulfilment=FulfilmentMode.RELAY) | Q(relay_point__isnull=False),
                name="order_relay_delivery_has_relay_point",
            ),
            models.CheckConstraint(
                condition=Q(fulfilment=FulfilmentMode.COLLECT, slot__isnull=True)
                | (~Q(fulfilment=FulfilmentMode.COLLECT) & Q(slot__isnull=False)),
                name="order_slot_only_for_cargo_bike",
            ),
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(delivery_fee__gte=0), name="order_totals_positive"
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("shop:order_detail", args=[self.number])

    @property
    def by_cargo_bike(self) -> bool:
        return self.fulfilment in FulfilmentMode.by_cargo_bike()

    @property
    def can_be_cancelled(self) -> bool:
        return self.status == OrderStatus.PLACED

    @property
    def paid_online(self) -> bool:
        return self.payment_method == PaymentMethod.ONLINE

    def kept_lines(self):
        """Lines of merchant orders that were neither refused nor cancelled (prefetched)."""
        return [
            line
            for merchant_order in self.merchant_orders.all()
            if merchant_order.status not in MerchantOrderStatus.dropped()
            for line in merchant_order.lines.all()
        ]

    def vat_breakdown(self) -> list[dict]:
        return vat_breakdown(self.kept_lines())


class MerchantOrder(models.Model):
    """The part of an order that one shop prepares."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="merchant_orders")
    merchant = models.ForeignKey(
        Merchant, verbose_name=_("commerce"), on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=MerchantOrderStatus.choices,
        default=MerchantOrderStatus.PLACED,
    )
    subtotal = models.DecimalField(_("sous-total TTC"), max_digits=9, decimal_places=2)
    weight_grams = models.PositiveIntegerField(_("poids (g)"), default=0)
    refusal_reason = models.CharField(_("motif du refus"), max_length=250, blank=True)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commande par commerce")
        verbose_name_plural = _("commandes par commerce")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["merchant", "status", "-created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["order", "merchant"], name="one_part_per_merchant"),
        ]

    def __str__(self):
        return f"{self.order.number} · {self.merchant}"

    def vat_breakdown(self) -> list[dict]:
        return vat_breakdown(self.lines.all())


class OrderLine(models.Model):
    """A product as it was sold: name, unit, price and VAT are copied at checkout."""

    merchant_order = models.ForeignKey(
        MerchantOrder, on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("produit"), max_length=120)
    unit = models.CharField(_("unité"), max_length=10, choices=Unit.choices)
    unit_price = models.DecimalField(_("prix unitaire TTC"), max_digits=8, decimal_places=2)
    vat_rate = models.DecimalField(_("taux de TVA"), max_digits=4, decimal_places=1)
    quantity = models.PositiveIntegerField(_("quantité"))
    weight_grams = models.PositiveIntegerField(_("poids unitaire (g)"), default=0)

    class Meta:
        verbose_name = _("ligne de commande")
        verbose_name_plural = _("lignes de commande")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_line_quantity"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return line_label(self.quantity, self.unit, self.name)

    @property
    def quantity_label(self) -> str:
        return quantity_label(self.quantity, self.unit)

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


class OrderEvent(models.Model):
    """One step of an order's timeline, shown to the shopper."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    merchant = models.ForeignKey(
        Merchant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("étape de commande")
        verbose_name_plural = _("étapes de commande")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.message
