"""What the coworking app knows about a person: rate tier, proofs, passes, calendar token."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coworking.models.spaces import RateTier
from coworking.storage import private_storage, proof_path


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class Coworker(models.Model):
    """Per-person settings: the rate tier decided by staff, the private calendar token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="coworker",
    )
    tier = models.CharField(
        _("tarif appliqué"), max_length=20, choices=RateTier.choices, default=RateTier.STANDARD
    )
    tier_decided_at = models.DateTimeField(_("tarif décidé le"), null=True, blank=True)
    feed_token = models.CharField(
        _("jeton du calendrier personnel"), max_length=64, unique=True, default=new_feed_token
    )

    class Meta:
        verbose_name = _("usager des espaces")
        verbose_name_plural = _("usagers des espaces")
        ordering = ["user__email"]

    def __str__(self):
        return str(self.user)


class ProofCategory(models.TextChoices):
    JOB_SEEKER = "job_seeker", _("Demandeur·se d'emploi")
    STUDENT = "student", _("Étudiant·e")
    ESS = "ess", _("Structure de l'économie sociale et solidaire")


class ProofStatus(models.TextChoices):
    PENDING = "pending", _("À examiner")
    APPROVED = "approved", _("Accepté")
    REFUSED = "refused", _("Refusé")


class SolidarityProof(models.Model):
    """A document uploaded to ask for the solidarity rate; personal data seen by staff only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="solidarity_proofs",
    )
    category = models.CharField(_("situation"), max_length=20, choices=ProofCategory.choices)
    file = models.FileField(_("justificatif"), storage=private_storage, upload_to=proof_path)
    content_type = models.CharField(max_length=50, editable=False)
    status = models.CharField(
        _("décision"), max_length=20, choices=ProofStatus.choices, default=ProofStatus.PENDING
    )
    staff_comment = models.CharField(_("commentaire"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("justificatif de tarif solidaire")
        verbose_name_plural = _("justificatifs de tarif solidaire")
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["status", "uploaded_at"])]

    def __str__(self):
        return f"{self.user} — {self.get_category_display()}"


class PassKind(models.TextChoices):
    DAY = "day", _("Pass journée")
    CARD = "card", _("Carnet de 10 journées")
    MONTHLY = "monthly", _("Abonnement mensuel")


class Pass(models.Model):
    """A pass sold at the desk: credits of desk days (day pass, 10-day card) or a membership."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("titulaire"),
        on_delete=models.PROTECT,
        related_name="coworking_passes",
    )
    kind = models.CharField(_("formule"), max_length=20, choices=PassKind.choices)
    credits = models.PositiveSmallIntegerField(
        _("journées comprises"),
        null=True,
        blank=True,
        help_text=_("Vide pour un abonnement : journées illimitées pendant la validité."),
    )
    valid_from = models.DateField(_("valable du"))
    valid_until = models.DateField(_("au (inclus)"))
    price = models.DecimalField(_("prix payé"), max_digits=8, decimal_places=2)
    withdrawn = models.PositiveSmallIntegerField(
        _("journées retirées"),
        default=0,
        help_text=_(
            "Retirées par un remboursement : journées de la carte, ou derniers jours de "
            "validité d'un abonnement."
        ),
    )
    created_at = models.DateTimeField(_("vendu le"), auto_now_add=True)

    class Meta:
        verbose_name = _("pass")
        verbose_name_plural = _("pass et abonnements")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="coworking_pass_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(kind="monthly", credits__isnull=True)
                | (~Q(kind="monthly") & Q(credits__gte=1)),
                name="coworking_pass_credits_match_kind",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="coworking_pass_price_ge_0"),
            models.CheckConstraint(
                condition=Q(credits__isnull=True) | Q(withdrawn__lte=models.F("credits")),
                name="coworking_pass_withdrawn_within_credits",
            ),
        ]
        indexes = [models.Index(fields=["user", "valid_until"])]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.user}"

    @property
    def is_unlimited(self) -> bool:
        return self.credits is None

    @property
    def usable_credits(self) -> int | None:
        """Desk days the card pays for, those withdrawn by a refund left out (None: unlimited)."""
        return None if self.is_unlimited else self.credits - self.withdrawn

    @property
    def last_day(self):
        """The last day the pass pays for: a refunded membership ends earlier."""
        if self.is_unlimited:
            return self.valid_until - timedelta(days=self.withdrawn)
        return self.valid_until

    def covers(self, day) -> bool:
        return self.valid_from <= day <= self.last_day
