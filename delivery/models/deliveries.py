"""A delivery from checkout to the door: its pickups at the shops, its drop-off, its history."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delivery.models.zone import DeliverySlot, RelayPoint
from hub.services import PhoneField, private_storage


class DeliveryStatus(models.TextChoices):
    AWAITING = "awaiting", _("En préparation chez les commerces")
    READY = "ready", _("Prête à partir")
    IN_TRANSIT = "in_transit", _("En route")
    DELIVERED = "delivered", _("Livrée")
    FAILED = "failed", _("Échec de livraison")
    RETURNED = "returned", _("Rapportée aux commerces")
    CANCELLED = "cancelled", _("Annulée")

    @classmethod
    def open(cls) -> list[str]:
        """Deliveries still to be ridden (a failed one waits for dispatch's decision)."""
        return [cls.AWAITING, cls.READY, cls.IN_TRANSIT]

    @classmethod
    def closed(cls) -> list[str]:
        return [cls.DELIVERED, cls.RETURNED, cls.CANCELLED]


class FailureReason(models.TextChoices):
    ABSENT = "absent", _("Destinataire absent")
    ADDRESS_NOT_FOUND = "address", _("Adresse introuvable")
    REFUSED = "refused", _("Refusée par le destinataire")
    DAMAGED = "damaged", _("Colis endommagé")
    OTHER = "other", _("Autre")


class PickupStatus(models.TextChoices):
    WAITING = "waiting", _("En préparation")
    READY = "ready", _("Prête à enlever")
    PICKED_UP = "picked_up", _("Récupérée")
    DROPPED = "dropped", _("Retirée de la commande")


def new_tracking_token() -> str:
    """256 random bits, URL-safe: the tracking link cannot be guessed."""
    return secrets.token_urlsafe(32)


PROOF_CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}


def proof_path(instance, filename: str) -> str:
    """A random name that keeps the format the photo was stored in (``hub.clean_image``: JPEG,
    or PNG for a transparent one)."""
    extension = filename.rsplit(".", 1)[-1].lower()
    extension = extension if extension in PROOF_CONTENT_TYPES else "jpg"
    return f"delivery/proofs/{timezone.localdate():%Y/%m}/{secrets.token_hex(8)}.{extension}"


class Delivery(models.Model):
    """One order to carry by cargo bike, created at checkout so that dispatch can plan ahead."""

    order_number = models.CharField(_("commande"), max_length=20, unique=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.AWAITING
    )
    slot = models.ForeignKey(
        DeliverySlot, verbose_name=_("créneau"), on_delete=models.PROTECT, related_name="deliveries"
    )
    relay_point = models.ForeignKey(
        RelayPoint,
        verbose_name=_("point relais"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    address = models.CharField(_("adresse de livraison"), max_length=300)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    contact_name = models.CharField(_("destinataire"), max_length=150)
    contact_phone = PhoneField(_("téléphone"))
    contact_email = models.EmailField(_("e-mail"))
    instructions = models.TextField(_("instructions"), max_length=500, blank=True)
    payment_due = models.DecimalField(
        _("à encaisser (TTC)"), max_digits=9, decimal_places=2, default=0
    )
    payment_method = models.CharField(_("moyen de paiement"), max_length=60, blank=True)
    payment_collected = models.BooleanField(_("paiement encaissé"), default=False)
    weight_grams = models.PositiveIntegerField(_("poids (g)"), default=0)
    tracking_token = models.CharField(
        _("jeton de suivi"), max_length=64, unique=True, default=new_tracking_token, editable=False
    )
    round = models.ForeignKey(
        "delivery.Round",
        verbose_name=_("tournée"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    at_hub = models.BooleanField(
        _("colis au pôle"),
        default=False,
        help_text=_("Après un échec, les colis attendent au pôle la prochaine tournée."),
    )
    unplaced_reason = models.CharField(_("non placée par l'optimiseur"), max_length=250, blank=True)
    recipient_name = models.CharField(_("remise à"), max_length=150, blank=True)
    proof_photo = models.ImageField(
        _("photo de livraison"), storage=private_storage, upload_to=proof_path, blank=True
    )
    delivered_at = models.DateTimeField(_("livrée le"), null=True, blank=True)
    failure_reason = models.CharField(
        _("motif d'échec"), max_length=10, choices=FailureReason.choices, blank=True
    )
    failure_note = models.CharField(_("précisions sur l'échec"), max_length=250, blank=True)
    failures = models.PositiveSmallIntegerField(_("échecs"), default=0)
    # News of the round for the shopper (``services.shopper_news``): e-mail always, SMS too
    # when asked at checkout; the shopper can stop both from the link in each message.
    news_by_sms = models.BooleanField(_("prévenir par SMS"), default=False)
    news_stopped_at = models.DateTimeField(_("messages de suivi refusés le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("livraison")
        verbose_name_plural = _("livraisons")
        ordering = ["slot__start", "pk"]
        indexes = [
            models.Index(fields=["slot", "status"]),
            models.Index(fields=["status", "updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(payment_due__gte=0), name="delivery_payment_due"),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(failure_reason=""),
                name="delivery_failure_has_reason",
            ),
        ]

    def __str__(self):
        return self.order_number

    @property
    def is_open(self) -> bool:
        return self.status in DeliveryStatus.open()

    @property
    def proof_content_type(self) -> str:
        """What the proof photo is, read from its name (older proofs are all JPEG)."""
        extension = self.proof_photo.name.rsplit(".", 1)[-1].lower()
        return PROOF_CONTENT_TYPES.get(extension, "image/jpeg")


class Pickup(models.Model):
    """A shop's part of the order, to be collected by the courier once the shop has it ready."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="pickups")
    shop_id = models.PositiveIntegerField(_("identifiant du commerce"))
    shop_name = models.CharField(_("commerce"), max_length=150)
    address = models.CharField(_("adresse"), max_length=300)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    phone = PhoneField(_("téléphone"), blank=True)
    items = models.TextField(_("articles"), blank=True)
    weight_grams = models.PositiveIntegerField(_("poids (g)"), default=0)
    status = models.CharField(
        _("statut"), max_length=10, choices=PickupStatus.choices, default=PickupStatus.WAITING
    )
    picked_up_at = models.DateTimeField(_("récupérée le"), null=True, blank=True)
    ready_at = models.DateTimeField(_("prête le"), null=True, blank=True)
    # The shop's opening periods on the delivery day, given by the shop at checkout
    # ([["09:30", "12:30"], ["14:00", "19:00"]]); empty: not known, taken as open all day.
    opening_hours = models.JSONField(_("horaires d'ouverture du jour"), default=list, blank=True)

    class Meta:
        verbose_name = _("enlèvement")
        verbose_name_plural = _("enlèvements")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "shop_id"], name="pickup_once_per_shop")
        ]

    def __str__(self):
        return f"{self.delivery.order_number} · {self.shop_name}"

    def item_lines(self) -> list[str]:
        return [line for line in self.items.splitlines() if line.strip()]


class EventSource(models.TextChoices):
    SHOP = "shop", _("Boutique")
    BOARD = "board", _("Régulation")
    COURIER = "courier", _("Application coursier")
    API = "api", _("API")
    SYSTEM = "system", _("Automatique")


class EventKind(models.TextChoices):
    CREATED = "created", _("Créée")
    PICKUP_READY = "pickup_ready", _("Commande prête au commerce")
    PICKUP_DROPPED = "pickup_dropped", _("Partie retirée")
    PLANNED = "planned", _("Ajoutée à une tournée")
    UNPLANNED = "unplanned", _("Retirée d'une tournée")
    PUBLISHED = "published", _("Tournée publiée")
    PICKED_UP = "picked_up", _("Récupérée au commerce")
    DELIVERED = "delivered", _("Livrée")
    FAILED = "failed", _("Échec")
    REPLANNED = "replanned", _("Reprogrammée")
    RETURNED = "returned", _("Rapportée aux commerces")
    CANCELLED = "cancelled", _("Annulée")
    REMINDER_HELD = "reminder_held", _("Rappel suspendu")


class DeliveryEvent(models.Model):
    """One step of a delivery's history: what, who, when and from where — kept for staff."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("étape"), max_length=16, choices=EventKind.choices)
    message = models.CharField(_("détail"), max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("auteur·rice"), max_length=150, blank=True)
    source = models.CharField(_("depuis"), max_length=10, choices=EventSource.choices)
    occurred_at = models.DateTimeField(_("survenu le"), default=timezone.now)
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("étape de livraison")
        verbose_name_plural = _("historique des livraisons")
        ordering = ["occurred_at", "pk"]
        indexes = [models.Index(fields=["delivery", "occurred_at"])]

    def __str__(self):
        return f"{self.delivery.order_number} · {self.get_kind_display()}"

    @property
    def sent_late(self) -> bool:
        """Made on the phone without network and received later (more than a minute)."""
        return (self.recorded_at - self.occurred_at).total_seconds() > 60
