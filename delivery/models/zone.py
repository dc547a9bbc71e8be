"""Delivery zone, known positions, relay points, slot templates, delivery slots and fee rules."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FulfilmentMode(models.TextChoices):
    HOME = "home", _("Livraison à domicile")
    WORK = "work", _("Livraison au travail")
    RELAY = "relay", _("Livraison en point relais")
    COLLECT = "collect", _("Retrait en boutique (click & collect)")

    @classmethod
    def by_cargo_bike(cls) -> list[str]:
        return [cls.HOME, cls.WORK, cls.RELAY]

    @classmethod
    def to_an_address(cls) -> list[str]:
        return [cls.HOME, cls.WORK]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class DeliveryZone(models.Model):
    """The circle served by cargo bike; the first row is the one in force."""

    name = models.CharField(_("nom"), max_length=100, default="Calais centre")
    center_latitude = models.DecimalField(
        _("latitude du centre"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    center_longitude = models.DecimalField(
        _("longitude du centre"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    radius_km = models.DecimalField(
        _("rayon (km)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("zone de livraison")
        verbose_name_plural = _("zone de livraison")
        constraints = [
            models.CheckConstraint(condition=Q(radius_km__gt=0), name="zone_radius_positive")
        ]

    def __str__(self):
        return f"{self.name} ({self.radius_km} km)"


class PositionSource(models.TextChoices):
    MANUAL = "manual", _("Saisie à la main")
    BAN = "ban", _("Base adresse nationale")
    GAZETTEER = "gazetteer", _("Répertoire local")


class KnownPosition(models.Model):
    """A position for an address: set by hand by staff (wins over geocoding) or remembered."""

    address_key = models.CharField(_("adresse normalisée"), max_length=300, unique=True)
    label = models.CharField(_("adresse"), max_length=300)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    source = models.CharField(
        _("origine"), max_length=10, choices=PositionSource.choices, default=PositionSource.MANUAL
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("position d'adresse")
        verbose_name_plural = _("positions d'adresses")
        ordering = ["label"]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        from delivery.geocoding import fold_address

        self.address_key = fold_address(self.label)
        super().save(*args, **kwargs)


class RelayPoint(models.Model):
    """A partner place where a shopper picks up a cargo-bike delivery."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    address = models.CharField(_("adresse"), max_length=250)
    opening_hours = models.TextField(_("horaires d'ouverture"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    instructions = models.CharField(_("indications"), max_length=250, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("point relais")
        verbose_name_plural = _("points relais")
        ordering = ["name"]

    def __str__(self):
        return self.name


class RelayPointHours(models.Model):
    """A period a relay point is open on a weekday (two on a day with a lunch closing): only
    slots inside one of them are offered for it. A point without any is taken as always open."""

    relay_point = models.ForeignKey(RelayPoint, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens = models.TimeField(_("ouverture"))
    closes = models.TimeField(_("fermeture"))

    class Meta:
        verbose_name = _("horaire d'ouverture")
        verbose_name_plural = _("horaires d'ouverture (créneaux proposés)")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="relayhours_closes_after_opening"
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class SlotTemplate(models.Model):
    """A weekly delivery window from which dated slots are generated."""

    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    start_time = models.TimeField(_("début"))
    end_time = models.TimeField(_("fin"))
    capacity = models.PositiveSmallIntegerField(_("capacité (commandes)"), default=8)
    cutoff_hours = models.PositiveSmallIntegerField(
        _("heure limite de commande (heures avant le début)"), default=2
    )
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("modèle de créneau")
        verbose_name_plural = _("modèles de créneaux")
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="slottemplate_end_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="slottemplate_capacity"),
            models.UniqueConstraint(
                fields=["weekday", "start_time", "end_time"], name="slottemplate_unique_window"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class DeliverySlotQuerySet(models.QuerySet):
    def bookable(self, now: datetime | None = None):
        """Active slots whose cut-off has not passed and that still have room."""
        now = now or timezone.now()
        return self.filter(is_active=True, cutoff__gt=now, reserved__lt=F("capacity"))


class DeliverySlot(models.Model):
    """A dated delivery window with a number of orders it can take."""

    template = models.ForeignKey(
        SlotTemplate,
        verbose_name=_("modèle"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="slots",
    )
    date = models.DateField(_("date"))
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    cutoff = models.DateTimeField(_("heure limite de commande"))
    capacity = models.PositiveSmallIntegerField(_("capacité"))
    reserved = models.PositiveSmallIntegerField(_("réservées"), default=0)
    is_active = models.BooleanField(_("ouvert"), default=True)

    objects = DeliverySlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("créneau de livraison")
        verbose_name_plural = _("créneaux de livraison")
        ordering = ["start"]
        indexes = [models.Index(fields=["date", "start"]), models.Index(fields=["cutoff"])]
        constraints = [
            # The last line of defence against overbooking, whatever the code path.
            models.CheckConstraint(
                condition=Q(reserved__lte=F("capacity")), name="slot_never_overbooked"
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="slot_end_after_start"),
            models.CheckConstraint(condition=Q(cutoff__lte=F("start")), name="slot_cutoff"),
            models.UniqueConstraint(fields=["template", "date"], name="slot_unique_per_template"),
        ]

    def __str__(self):
        start = timezone.localtime(self.start)
        end = timezone.localtime(self.end)
        return f"{start:%d/%m/%Y} {start:%H:%M}–{end:%H:%M}"

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.reserved, 0)


class FeeRule(models.Model):
    """What a fulfilment mode costs the shopper; free above an amount when one is set."""

    mode = models.CharField(
        _("mode de retrait"), max_length=10, choices=FulfilmentMode.choices, unique=True
    )
    fee = models.DecimalField(
        _("frais (TTC)"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)]
    )
    free_above = models.DecimalField(
        _("gratuit à partir de (TTC)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("règle de frais de livraison")
        verbose_name_plural = _("règles de frais de livraison")
        ordering = ["mode"]
        constraints = [
            models.CheckConstraint(condition=Q(fee__gte=0), name="feerule_fee_positive"),
        ]

    def __str__(self):
        return f"{self.get_mode_display()} : {self.fee} €"


def default_zone() -> DeliveryZone:
    """The zone from settings, unsaved, when staff have not set one."""
    return DeliveryZone(
        name="Calais centre",
        center_latitude=Decimal(str(settings.DELIVERY_ZONE_CENTER[0])),
        center_longitude=Decimal(str(settings.DELIVERY_ZONE_CENTER[1])),
        radius_km=Decimal(str(settings.DELIVERY_ZONE_RADIUS_KM)),
    )


def slot_bounds(template: SlotTemplate, day) -> tuple[datetime, datetime, datetime]:
    """Aware start, end and cut-off of ``template`` on ``day`` in the site's time zone."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, template.start_time), tz)
    end = timezone.make_aware(datetime.combine(day, template.end_time), tz)
    return start, end, start - timedelta(hours=template.cutoff_hours)
