"""Spaces of the hub, their resources, opening hours, closures and rates."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hub.services import ChoiceDisplayMixin


class SpaceKind(models.TextChoices):
    COWORKING = "coworking", _("Coworking")
    STUDIOS = "studios", _("Ateliers d'artisans")
    INCUBATOR = "incubator", _("Incubateur")
    ROOMS = "rooms", _("Salles")


class Space(models.Model):
    """A place of the hub (Le Lieu Commun, Made in Calais, Atelier 8) with its booking rules."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("adresse de la page"), max_length=120, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=SpaceKind.choices)
    structure = models.ForeignKey(
        "hub.Structure",
        verbose_name=_("structure"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coworking_spaces",
    )
    summary = models.CharField(_("en une phrase"), max_length=200, blank=True)
    free_cancellation_hours = models.PositiveSmallIntegerField(
        _("annulation gratuite jusqu'à (heures avant le début)"), default=24
    )
    late_cancellation_percent = models.PositiveSmallIntegerField(
        _("part due en cas d'annulation tardive (%)"),
        default=100,
        help_text=_("0 : rien n'est dû ; 100 : la réservation reste due en entier."),
    )
    booking_horizon_days = models.PositiveSmallIntegerField(
        _("réservation possible jusqu'à (jours à l'avance)"), default=90
    )
    is_published = models.BooleanField(_("publié"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("espace")
        verbose_name_plural = _("espaces")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(late_cancellation_percent__lte=100),
                name="coworking_space_late_percent_lte_100",
            )
        ]

    def __str__(self):
        return self.name


class ResourceKind(models.TextChoices):
    DESK_POOL = "desk_pool", _("Postes de travail")
    MEETING_ROOM = "meeting_room", _("Salle de réunion")
    WORKSHOP_ROOM = "workshop_room", _("Salle d'atelier")
    STUDIO = "studio", _("Atelier d'artisan")
    STORAGE = "storage", _("Espace de stockage")


class BookingMode(models.TextChoices):
    ONLINE = "online", _("Réservable en ligne par tout le monde")
    AGREEMENT = "agreement", _("Réservé aux titulaires d'une convention Atelier 8")
    LEASE = "lease", _("Loué au mois (bail), pas de réservation")


class ResourceQuerySet(models.QuerySet):
    def bookable(self):
        return self.filter(is_active=True, space__is_published=True).exclude(
            booking_mode=BookingMode.LEASE
        )


class Resource(ChoiceDisplayMixin, models.Model):
    """Something booked or rented: a pool of N desks, a room, a studio."""

    space = models.ForeignKey(
        Space, verbose_name=_("espace"), on_delete=models.PROTECT, related_name="resources"
    )
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("type"), max_length=20, choices=ResourceKind.choices)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacité (réservations simultanées)"),
        default=1,
        help_text=_("1 pour une salle ; le nombre de postes pour un plateau de postes."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("pas de réservation (minutes)"),
        default=60,
        choices=[(15, "15"), (30, "30"), (60, "60")],
    )
    booking_mode = models.CharField(
        _("mode"), max_length=20, choices=BookingMode.choices, default=BookingMode.ONLINE
    )
    event_room = models.BooleanField(_("utilisable pour les événements du pôle"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    ical_token = models.UUIDField(_("jeton du calendrier"), default=uuid.uuid4, unique=True)
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["space__position", "position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="coworking_resource_cap_ge_1"
            ),
            models.UniqueConstraint(
                fields=["space", "name"], name="coworking_resource_unique_name"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.space.name})"

    def get_absolute_url(self):
        return reverse("coworking:resource_week", args=[self.pk])

    def clean(self):
        if self.event_room and self.capacity != 1:
            raise ValidationError(
                {"event_room": _("Un événement prend toute la salle : capacité 1 seulement.")}
            )

    @property
    def is_exclusive(self) -> bool:
        return self.capacity == 1


class RateTier(models.TextChoices):
    STANDARD = "standard", _("Tarif normal")
    SOLIDARITY = "solidarity", _("Tarif solidaire")


class Rate(models.Model):
    """The prices of one resource for one tier, in euros including VAT."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("ressource"), on_delete=models.CASCADE, related_name="rates"
    )
    tier = models.CharField(_("tarif"), max_length=20, choices=RateTier.choices)
    hourly = models.DecimalField(
        _("l'heure"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    half_day = models.DecimalField(
        _("la demi-journée (4 h)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    day = models.DecimalField(
        _("la journée"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("tarif")
        verbose_name_plural = _("tarifs")
        ordering = ["resource", "tier"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "tier"], name="coworking_rate_unique_tier"),
            models.CheckConstraint(
                condition=(Q(hourly__isnull=True) | Q(hourly__gte=0))
                & (Q(half_day__isnull=True) | Q(half_day__gte=0))
                & (Q(day__isnull=True) | Q(day__gte=0)),
                name="coworking_rate_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.resource.name} — {self.get_tier_display()}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class OpeningHours(models.Model):
    """One opening interval of a space on a weekday (several per day for a lunch break)."""

    space = models.ForeignKey(
        Space, verbose_name=_("espace"), on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens = models.TimeField(_("ouverture"))
    closes = models.TimeField(_("fermeture"))

    class Meta:
        verbose_name = _("horaire d'ouverture")
        verbose_name_plural = _("horaires d'ouverture")
        ordering = ["space", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="coworking_hours_closes_after_opens"
            ),
            models.CheckConstraint(
                condition=Q(weekday__lte=6), name="coworking_hours_weekday_range"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """Days when a space (or every space, when none is given) is closed: holidays, works."""

    space = models.ForeignKey(
        Space,
        verbose_name=_("espace"),
        on_delete=models.CASCADE,
        related_name="closures",
        null=True,
        blank=True,
        help_text=_("Vide : tous les espaces sont fermés."),
    )
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au (inclus)"))
    reason = models.CharField(_("motif"), max_length=120)

    class Meta:
        verbose_name = _("fermeture")
        verbose_name_plural = _("fermetures")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="coworking_closure_end_after_start",
            )
        ]
        indexes = [models.Index(fields=["end_date", "start_date"])]

    def __str__(self):
        return f"{self.reason} ({self.start_date:%d/%m/%Y})"
