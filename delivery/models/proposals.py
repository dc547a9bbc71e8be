"""Plans proposed by the solver, computed by a worker off the request path, applied by
dispatch only if the deliveries they were computed from have not changed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from delivery.models.rounds import Round
from delivery.models.zone import DeliverySlot


class ProposalKind(models.TextChoices):
    ROUND = "round", _("Optimiser une tournée")
    SLOT = "slot", _("Répartir un créneau")
    REPLAN = "replan", _("Re-planifier la suite d'une tournée commencée")


class ProposalStatus(models.TextChoices):
    QUEUED = "queued", _("En attente du calcul")
    RUNNING = "running", _("Calcul en cours")
    READY = "ready", _("Prête")
    FAILED = "failed", _("Échec du calcul")
    APPLIED = "applied", _("Appliquée")
    REFUSED = "refused", _("Refusée : les livraisons ont changé")
    ABANDONED = "abandoned", _("Abandonnée")

    @classmethod
    def open(cls) -> list[str]:
        """Shown on the board until dispatch applies or abandons it."""
        return [cls.QUEUED, cls.RUNNING, cls.READY, cls.FAILED]

    @classmethod
    def computing(cls) -> list[str]:
        return [cls.QUEUED, cls.RUNNING]


class PlanProposal(models.Model):
    """« Optimiser » (one round), « Répartir » (a slot over its rounds and the free couriers
    and bikes) or « Re-planifier la suite » (a started round, from its courier): the plan the
    solver proposes, with the fingerprint of the deliveries, pickups and rounds it was
    computed from."""

    kind = models.CharField(_("type"), max_length=8, choices=ProposalKind.choices)
    round = models.ForeignKey(
        Round,
        verbose_name=_("tournée"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
    )
    slot = models.ForeignKey(
        DeliverySlot,
        verbose_name=_("créneau"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
    )
    date = models.DateField(_("jour"))
    status = models.CharField(
        _("statut"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.QUEUED
    )
    fingerprint = models.CharField(_("empreinte des livraisons"), max_length=64, blank=True)
    plan = models.JSONField(_("plan proposé"), default=dict, blank=True)
    error = models.CharField(_("erreur"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    started_at = models.DateTimeField(_("calcul commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("calcul terminé le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("appliquée ou abandonnée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposition de plan")
        verbose_name_plural = _("propositions de plan")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["date", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind__in=["round", "replan"]) & Q(round__isnull=False))
                | (Q(kind="slot") & Q(slot__isnull=False)),
                name="proposal_has_its_round_or_slot",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.date:%d/%m} · {self.get_status_display()}"

    @property
    def is_computing(self) -> bool:
        return self.status in ProposalStatus.computing()
