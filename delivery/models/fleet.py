"""The fleet: cargo bikes and the couriers who ride them, with the hours they work."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from delivery.models.zone import Weekday
from hub.services import PhoneField


class BikeStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("En service")
    IN_REPAIR = "in_repair", _("En réparation")


class CargoBike(models.Model):
    name = models.CharField(_("nom"), max_length=60, unique=True)
    payload_kg = models.DecimalField(
        _("charge utile (kg)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1"))],
    )
    electric = models.BooleanField(_("assistance électrique"), default=True)
    status = models.CharField(
        _("état"), max_length=12, choices=BikeStatus.choices, default=BikeStatus.IN_SERVICE
    )
    notes = models.CharField(_("remarques"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("vélo-cargo")
        verbose_name_plural = _("vélos-cargos")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(payload_kg__gt=0), name="bike_payload_positive")
        ]

    def __str__(self):
        return self.name

    @property
    def payload_grams(self) -> int:
        return int(self.payload_kg * 1000)


class CourierQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)


class Courier(models.Model):
    """A person who rides rounds; the account is how they sign in on their phone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.PROTECT,
        related_name="courier",
    )
    phone = PhoneField(_("téléphone"), blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    max_round_minutes = models.PositiveSmallIntegerField(
        _("durée maximale d'une tournée (min)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(30)],
        help_text=_(
            "Fixée par l'équipe d'après le contrat de la personne ; vide : seuls ses horaires "
            "de travail limitent la tournée."
        ),
    )

    objects = CourierQuerySet.as_manager()

    class Meta:
        verbose_name = _("coursier·e")
        verbose_name_plural = _("coursier·es")
        ordering = ["user__first_name", "user__last_name"]

    def __str__(self):
        return self.user.get_full_name() or self.user.email


class CourierShift(models.Model):
    """A weekly window in which a courier works (several per day are allowed)."""

    courier = models.ForeignKey(Courier, on_delete=models.CASCADE, related_name="shifts")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    start_time = models.TimeField(_("début"))
    end_time = models.TimeField(_("fin"))

    class Meta:
        verbose_name = _("horaire de travail")
        verbose_name_plural = _("horaires de travail")
        ordering = ["weekday", "start_time"]
        indexes = [models.Index(fields=["weekday", "start_time"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="shift_end_after_start"
            ),
            models.UniqueConstraint(
                fields=["courier", "weekday", "start_time"], name="shift_unique_start"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"
