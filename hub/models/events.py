"""The agenda: events (alone or in a recurring series), registrations with a waiting list, and
the member-structure organisers that the animation team authorises."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.choices import ChoiceDisplayMixin
from hub.images import validate_image
from hub.models.core import Structure


class EventKind(models.TextChoices):
    CAFE_ESS = "cafe_ess", _("Café de l'ESS")
    CREATORS_LUNCH = "creators_lunch", _("Déjeuner des créateurs")
    DIGITAL_WORKSHOP = "digital_workshop", _("Atelier numérique")
    BIKE_REPAIR = "bike_repair", _("Atelier réparation vélo")
    WEB_APERO = "web_apero", _("Apéro web")
    FARM_VISIT = "farm_visit", _("Visite de la ferme urbaine")
    GARDENING = "gardening", _("Atelier jardinage")
    OTHER = "other", _("Autre rendez-vous")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Tout public")
    MERCHANTS = "merchants", _("Commerçants")
    JOB_SEEKERS = "job_seekers", _("Demandeurs d'emploi")
    PROJECT_HOLDERS = "project_holders", _("Porteurs de projet")
    CHILDREN = "children", _("Enfants")
    FAMILIES = "families", _("Familles")
    ESS_ACTORS = "ess_actors", _("Acteurs de l'ESS")


class EventStatus(models.TextChoices):
    PUBLISHED = "published", _("Publié")
    CANCELLED = "cancelled", _("Annulé")


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("Toutes les semaines, le même jour")
    MONTHLY = "monthly", _("Tous les mois, le même jour de la semaine (ex. chaque premier jeudi)")


WEEKDAYS = [
    _("lundi"),
    _("mardi"),
    _("mercredi"),
    _("jeudi"),
    _("vendredi"),
    _("samedi"),
    _("dimanche"),
]
ORDINALS = {
    1: _("premier"),
    2: _("deuxième"),
    3: _("troisième"),
    4: _("quatrième"),
    -1: _("dernier"),
}


class EventSeries(models.Model):
    """A recurring event (« chaque premier jeudi du mois »); each date is an ``Event`` row."""

    title = models.CharField(_("titre"), max_length=150)
    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="event_series",
        verbose_name=_("structure"),
    )
    frequency = models.CharField(_("fréquence"), max_length=10, choices=Recurrence.choices)
    weekday = models.PositiveSmallIntegerField(_("jour de la semaine"), help_text=_("0 = lundi"))
    week_of_month = models.SmallIntegerField(
        _("semaine du mois"), null=True, blank=True, help_text=_("1 à 4, ou -1 pour le dernier")
    )
    until = models.DateField(_("jusqu'au"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("série d'événements")
        verbose_name_plural = _("séries d'événements")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="series_weekday_range"
            ),
            models.CheckConstraint(
                condition=Q(frequency="weekly", week_of_month__isnull=True)
                | Q(frequency="monthly", week_of_month__in=[1, 2, 3, 4, -1]),
                name="series_week_of_month_matches_frequency",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.describe()})"

    def describe(self) -> str:
        day = WEEKDAYS[self.weekday]
        if self.frequency == Recurrence.WEEKLY:
            return _("chaque %(day)s") % {"day": day}
        return _("chaque %(ordinal)s %(day)s du mois") % {
            "ordinal": ORDINALS[self.week_of_month],
            "day": day,
        }


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EventStatus.PUBLISHED)

    def upcoming(self, now=None):
        return self.published().filter(end__gte=now or timezone.now())

    def held_between(self, start, end):
        """Published events that started in [start, end) and have started by now."""
        return self.published().filter(start__gte=start, start__lt=end, start__lte=timezone.now())


class Event(ChoiceDisplayMixin, models.Model):
    """Something that happens at the hub, with a capacity and registrations."""

    title = models.CharField(_("titre"), max_length=150)
    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("structure organisatrice"),
    )
    series = models.ForeignKey(
        EventSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("série"),
    )
    place = models.CharField(
        _("lieu"),
        max_length=200,
        blank=True,
        help_text=_("Adresse ou précision (« ferme urbaine, entrée rue… »)."),
    )
    room_key = models.CharField(_("salle réservée"), max_length=100, blank=True)
    room_label = models.CharField(_("nom de la salle"), max_length=200, blank=True)
    room_booking = models.CharField(_("référence de réservation"), max_length=200, blank=True)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    capacity = models.PositiveIntegerField(
        _("nombre de places"), validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    # Seats held by confirmed registrations (and by those paying online for theirs), changed
    # only under the event's row lock.
    confirmed_seats = models.PositiveIntegerField(_("places confirmées"), default=0, editable=False)
    registration_opens_at = models.DateTimeField(
        _("ouverture des inscriptions"),
        null=True,
        blank=True,
        help_text=_("Vide : dès la publication."),
    )
    registration_closes_at = models.DateTimeField(
        _("clôture des inscriptions"), null=True, blank=True, help_text=_("Vide : au début.")
    )
    price = models.DecimalField(
        _("prix (€)"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("0 : gratuit. Réglé sur place."),
    )
    description = models.TextField(_("description"), blank=True)
    picture = models.ImageField(
        _("image"), upload_to="events/", blank=True, validators=[validate_image]
    )
    audience = models.CharField(
        _("public"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    accessibility = models.TextField(
        _("accessibilité"),
        blank=True,
        help_text=_("Accès en fauteuil, boucle magnétique, langue des signes…"),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=EventStatus.choices, default=EventStatus.PUBLISHED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["status", "start"], name="event_status_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="event_ends_after_start",
                violation_error_message=_("La fin doit être après le début."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="event_capacity_positive",
                violation_error_message=_("Il faut au moins une place."),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_seats__lte=F("capacity")),
                name="event_never_over_capacity",
                violation_error_message=_(
                    "Le nombre de places ne peut pas être inférieur aux places déjà confirmées."
                ),
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="event_price_not_negative",
                violation_error_message=_("Le prix ne peut pas être négatif."),
            ),
            models.CheckConstraint(
                condition=~Q(place="", room_key=""),
                name="event_has_a_place",
                violation_error_message=_("Indiquez un lieu ou choisissez une salle."),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_window_ordered",
                violation_error_message=_(
                    "La clôture des inscriptions doit être après leur ouverture."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.start):%d/%m/%Y %H:%M})"

    def get_absolute_url(self):
        return reverse("hub:event_detail", args=[self.pk])

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.confirmed_seats, 0)

    @property
    def is_full(self) -> bool:
        return self.confirmed_seats >= self.capacity

    @property
    def fill_rate(self) -> Decimal:
        return Decimal(self.confirmed_seats) / Decimal(self.capacity)

    @property
    def is_free(self) -> bool:
        return self.price == 0

    @property
    def location(self) -> str:
        return ", ".join(part for part in (self.room_label, self.place) if part)

    @property
    def closes_at(self):
        return self.registration_closes_at or self.start

    def registration_state(self, now=None) -> str:
        """« open », « not_yet », « closed » or « cancelled »."""
        now = now or timezone.now()
        if self.status == EventStatus.CANCELLED:
            return "cancelled"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        if now >= self.closes_at:
            return "closed"
        return "open"


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("À confirmer par e-mail")
    CONFIRMED = "confirmed", _("Confirmée")
    WAITING = "waiting", _("Liste d'attente")
    HELD = "held", _("Place retenue, en attente du paiement")
    CANCELLED = "cancelled", _("Annulée")


ACTIVE_STATUSES = [
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
    RegistrationStatus.HELD,
]
# Registrations whose seats count in ``Event.confirmed_seats``.
SEAT_STATUSES = [RegistrationStatus.CONFIRMED, RegistrationStatus.HELD]


def new_token() -> str:
    """256 random bits: the secret of a registration's link in e-mails."""
    return secrets.token_urlsafe(32)


class Registration(models.Model):
    """One person's registration, possibly for several seats; the queue is ordered by
    ``queued_at`` then id, both set while the event's row is locked."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("événement")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("compte"),
    )
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"))
    seats = models.PositiveSmallIntegerField(_("places"), default=1)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    queued_at = models.DateTimeField(_("entrée dans la file"), null=True, blank=True)
    # Paid online: the seat is held until then, and released if still unpaid.
    hold_until = models.DateTimeField(_("place retenue jusqu'au"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    attended = models.BooleanField(_("présence"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["queued_at", "pk"]
        indexes = [
            models.Index(fields=["event", "status", "queued_at"], name="registration_queue"),
            models.Index(fields=["status", "hold_until"], name="registration_holds"),
            models.Index(fields=["created_at"], name="registration_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__gte=1),
                name="registration_at_least_one_seat",
                violation_error_message=_("Il faut au moins une place."),
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="registration_once_per_email",
                violation_error_message=_("Cette adresse est déjà inscrite à cet événement."),
            ),
            models.CheckConstraint(
                condition=Q(status=RegistrationStatus.PENDING) | Q(queued_at__isnull=False),
                name="registration_queued_unless_pending",
            ),
        ]

    def __str__(self):
        return f"{self.name} — {self.event.title}"

    def get_absolute_url(self):
        """The private page of this registration (the link sent by e-mail)."""
        return reverse("hub:registration_manage", args=[self.pk, self.token])


class StructureOrganiser(models.Model):
    """A member of a structure whom the animation team lets organise events for it."""

    structure = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        related_name="organisers",
        verbose_name=_("structure"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organised_structures",
        verbose_name=_("personne"),
    )
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("autorisé·e par"),
    )
    authorised_at = models.DateTimeField(_("autorisé·e le"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisateur·rice autorisé·e")
        verbose_name_plural = _("organisateur·rices autorisé·es")
        ordering = ["structure__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "user"], name="organiser_once_per_structure"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.structure}"
