"""Rounds: one courier on one bike over a time window, riding stops in order."""

from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delivery.models.deliveries import Delivery, FailureReason, Pickup
from delivery.models.fleet import CargoBike, Courier
from delivery.models.zone import DeliverySlot
from hub.services import PostgresExclusionConstraint, TsTzRange


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    PUBLISHED = "published", _("Publiée")
    IN_PROGRESS = "in_progress", _("En cours")
    FINISHED = "finished", _("Terminée")

    @classmethod
    def visible_to_courier(cls) -> list[str]:
        return [cls.PUBLISHED, cls.IN_PROGRESS, cls.FINISHED]

    @classmethod
    def editable(cls) -> list[str]:
        return [cls.DRAFT, cls.PUBLISHED]


class Round(models.Model):
    date = models.DateField(_("date"))
    slot = models.ForeignKey(
        DeliverySlot,
        verbose_name=_("créneau"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rounds",
    )
    start = models.DateTimeField(_("départ du pôle"))
    end = models.DateTimeField(_("retour au pôle"))
    courier = models.ForeignKey(
        Courier, verbose_name=_("coursier·e"), on_delete=models.PROTECT, related_name="rounds"
    )
    bike = models.ForeignKey(
        CargoBike, verbose_name=_("vélo-cargo"), on_delete=models.PROTECT, related_name="rounds"
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    distance_m = models.PositiveIntegerField(_("distance prévue (m)"), default=0)
    duration_s = models.PositiveIntegerField(_("durée prévue (s)"), default=0)
    optimised_at = models.DateTimeField(_("optimisée le"), null=True, blank=True)
    break_at = models.DateTimeField(_("pause prévue à"), null=True, blank=True)
    break_minutes = models.PositiveSmallIntegerField(_("durée de la pause (min)"), default=0)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    started_at = models.DateTimeField(_("commencée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("tournée")
        verbose_name_plural = _("tournées")
        ordering = ["date", "start", "pk"]
        indexes = [
            models.Index(fields=["date", "start"]),
            models.Index(fields=["courier", "date"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="round_end_after_start"),
            PostgresExclusionConstraint(
                name="round_courier_not_twice",
                expressions=[
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("courier", RangeOperators.EQUAL),
                ],
                violation_error_message=_("Ce coursier a déjà une tournée à ces heures."),
            ),
            PostgresExclusionConstraint(
                name="round_bike_not_twice",
                expressions=[
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("bike", RangeOperators.EQUAL),
                ],
                violation_error_message=_("Ce vélo est déjà pris à ces heures."),
            ),
        ]

    def __str__(self):
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        return f"{start:%d/%m} {start:%H:%M}–{end:%H:%M} · {self.courier}"

    @property
    def is_editable(self) -> bool:
        return self.status in RoundStatus.editable() and self.started_at is None

    @property
    def distance_km(self) -> float:
        return self.distance_m / 1000


class StopKind(models.TextChoices):
    PICKUP = "pickup", _("Enlèvement")
    DROPOFF = "dropoff", _("Livraison")


class StopState(models.TextChoices):
    TODO = "todo", _("À faire")
    DONE = "done", _("Fait")
    FAILED = "failed", _("Échec")
    CANCELLED = "cancelled", _("Annulé")

    @classmethod
    def finished(cls) -> list[str]:
        return [cls.DONE, cls.FAILED, cls.CANCELLED]


class Stop(models.Model):
    """A place of a round: a pickup at a shop or the drop-off of a delivery."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="stops")
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="stops")
    pickup = models.ForeignKey(
        Pickup, on_delete=models.CASCADE, null=True, blank=True, related_name="stops"
    )
    kind = models.CharField(_("type"), max_length=8, choices=StopKind.choices)
    sequence = models.PositiveSmallIntegerField(_("ordre"), default=0)
    # Stops of one round with the same visit number are one visit to one place: the parcels
    # of several orders taken at one shop, or handed over at one relay point.
    visit = models.PositiveSmallIntegerField(_("passage"), default=0)
    planned_at = models.DateTimeField(_("passage prévu"), null=True, blank=True)
    # The plan's time stays as it was planned; the expected time follows the courier: it is
    # the plan's when a plan is applied, then recomputed from each stop the courier records.
    expected_at = models.DateTimeField(_("passage attendu"), null=True, blank=True)
    load_grams = models.PositiveIntegerField(_("charge en repartant (g)"), default=0)
    state = models.CharField(
        _("état"), max_length=10, choices=StopState.choices, default=StopState.TODO
    )
    done_at = models.DateTimeField(_("fait le"), null=True, blank=True)
    failure_reason = models.CharField(
        _("motif d'échec"), max_length=10, choices=FailureReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("arrêt")
        verbose_name_plural = _("arrêts")
        ordering = ["round", "sequence", "pk"]
        indexes = [
            models.Index(fields=["round", "sequence"]),
            models.Index(fields=["kind", "state", "done_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="pickup", pickup__isnull=False)
                | Q(kind="dropoff", pickup__isnull=True),
                name="stop_kind_matches_pickup",
            ),
            models.UniqueConstraint(
                fields=["round", "pickup"],
                condition=Q(pickup__isnull=False),
                name="stop_pickup_once_per_round",
            ),
            models.UniqueConstraint(
                fields=["round", "delivery"],
                condition=Q(kind="dropoff"),
                name="stop_dropoff_once_per_round",
            ),
        ]

    def __str__(self):
        return f"{self.sequence}. {self.get_kind_display()} {self.delivery.order_number}"

    @property
    def delay_minutes(self) -> int:
        """How much later than planned the courier is now expected here (0: on time or early,
        or already done). The board shows it from 5 minutes on."""
        if self.state != StopState.TODO or self.planned_at is None or self.expected_at is None:
            return 0
        return max(int((self.expected_at - self.planned_at).total_seconds() // 60), 0)
