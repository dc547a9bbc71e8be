"""Bookings of resources. A room holds one at a time; a pool of N desks at most N at once."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coworking.models.spaces import RateTier, Resource
from hub.services import PostgresExclusionConstraint, TsTzRange


class BookingStatus(models.TextChoices):
    HELD = "held", _("Retenue, en attente du paiement en ligne")
    CONFIRMED = "confirmed", _("Confirmée")
    CANCELLED = "cancelled", _("Annulée")
    LATE_CANCELLED = "late_cancelled", _("Annulée tardivement")


class BookingSource(models.TextChoices):
    ONLINE = "online", _("En ligne")
    EVENT = "event", _("Événement du pôle")


# A booking being paid online holds its place like a confirmed one.
PLACE_STATUSES = [BookingStatus.CONFIRMED, BookingStatus.HELD]


class BookingQuerySet(models.QuerySet):
    def active(self):
        """Confirmed bookings (a cancelled one, even late, frees its place)."""
        return self.filter(status=BookingStatus.CONFIRMED)

    def taking_place(self):
        """Bookings that take their place: confirmed, or held while the person pays online."""
        return self.filter(status__in=PLACE_STATUSES)

    def overlapping(self, start, end):
        return self.filter(start__lt=end, end__gt=start)


class Booking(models.Model):
    """One person (or one event of the hub) holding a resource from ``start`` to ``end``."""

    reference = models.UUIDField(_("référence"), default=uuid.uuid4, unique=True, editable=False)
    resource = models.ForeignKey(
        Resource, verbose_name=_("ressource"), on_delete=models.PROTECT, related_name="bookings"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.PROTECT,
        related_name="coworking_bookings",
    )
    title = models.CharField(_("intitulé"), max_length=200, blank=True)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    status = models.CharField(
        _("état"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    source = models.CharField(
        _("origine"), max_length=20, choices=BookingSource.choices, default=BookingSource.ONLINE
    )
    tier = models.CharField(
        _("tarif"), max_length=20, choices=RateTier.choices, default=RateTier.STANDARD
    )
    price = models.DecimalField(_("prix"), max_digits=8, decimal_places=2, default=Decimal("0"))
    amount_due = models.DecimalField(
        _("montant dû"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    paid_online = models.BooleanField(_("payée en ligne"), default=False)
    hold_until = models.DateTimeField(_("retenue jusqu'au"), null=True, blank=True)
    pass_used = models.ForeignKey(
        "coworking.Pass",
        verbose_name=_("pass utilisé"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
    )
    agreement = models.ForeignKey(
        "coworking.OccupancyAgreement",
        verbose_name=_("convention Atelier 8"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
    )
    series = models.UUIDField(_("série hebdomadaire"), null=True, blank=True, editable=False)
    # Copied from the resource at booking time so that PostgreSQL can exclude overlaps of
    # single-capacity resources by itself; pools are guarded by the row lock in the services.
    exclusive = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(_("réservée le"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="coworking_booking_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0)
                & Q(amount_due__gte=0)
                & Q(amount_due__lte=models.F("price")),
                name="coworking_booking_amounts",
            ),
            PostgresExclusionConstraint(
                name="coworking_booking_no_overlap_exclusive",
                expressions=[
                    (
                        TsTzRange("start", "end", RangeBoundary(inclusive_lower=True)),
                        RangeOperators.OVERLAPS,
                    ),
                    ("resource", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=PLACE_STATUSES, exclusive=True),
                violation_error_message=_("Ce créneau vient d'être réservé."),
            ),
            # One person holds one place of a resource at a time (one desk of a pool per slot).
            PostgresExclusionConstraint(
                name="coworking_booking_one_place_per_person",
                expressions=[
                    (
                        TsTzRange("start", "end", RangeBoundary(inclusive_lower=True)),
                        RangeOperators.OVERLAPS,
                    ),
                    ("resource", RangeOperators.EQUAL),
                    ("user", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=PLACE_STATUSES),
                violation_error_message=_("Vous avez déjà une place sur ce créneau."),
            ),
        ]
        indexes = [
            models.Index(fields=["resource", "start", "end"]),
            models.Index(fields=["user", "start"]),
            models.Index(fields=["status", "start"]),
            models.Index(fields=["status", "hold_until"], name="coworking_booking_holds"),
        ]

    def __str__(self):
        return f"{self.resource.name} {self.start:%d/%m/%Y %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.CONFIRMED
