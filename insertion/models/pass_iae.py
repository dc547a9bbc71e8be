"""PASS IAE: the approval that opens a 2-year insertion path, with suspensions and extensions."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from insertion.choices import ExtensionReason, SuspensionReason
from insertion.dates import inclusive_days
from insertion.models.people import Beneficiary


class PassIae(models.Model):
    """A PASS IAE; ``end_date`` is kept equal to the 2-year end plus suspensions and extensions
    by ``insertion.passes`` (never edited by hand)."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("salarié·e"),
        on_delete=models.CASCADE,
        related_name="passes",
    )
    number = models.CharField(
        _("numéro de PASS IAE"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{12}$", _("Le numéro de PASS IAE compte 12 chiffres."))],
    )
    start_date = models.DateField(_("début de validité"))
    end_date = models.DateField(_("fin de validité"), editable=False)
    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("PASS IAE")
        verbose_name_plural = _("PASS IAE")
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="insertion_pass_end_after_start",
                violation_error_message=_("La fin du PASS IAE suit son début."),
            )
        ]

    def __str__(self):
        return f"PASS IAE {self.number}"


class PassSuspension(models.Model):
    """A period when the PASS is paused; its days push the end date back."""

    pass_iae = models.ForeignKey(
        PassIae, verbose_name=_("PASS IAE"), on_delete=models.CASCADE, related_name="suspensions"
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    reason = models.CharField(_("motif"), max_length=30, choices=SuspensionReason.choices)
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("suspension de PASS IAE")
        verbose_name_plural = _("suspensions de PASS IAE")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="insertion_suspension_end_after_start",
                violation_error_message=_("La fin de la suspension doit suivre son début."),
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.start_date} → {self.end_date})"

    @property
    def days(self) -> int:
        return inclusive_days(self.start_date, self.end_date)


class PassExtension(models.Model):
    """An extension (prolongation) of the PASS by ``days`` days, for one legal ground."""

    pass_iae = models.ForeignKey(
        PassIae, verbose_name=_("PASS IAE"), on_delete=models.CASCADE, related_name="extensions"
    )
    requested_on = models.DateField(_("demandée le"))
    days = models.PositiveSmallIntegerField(_("durée (jours)"))
    reason = models.CharField(_("motif"), max_length=20, choices=ExtensionReason.choices)
    training = models.ForeignKey(
        "insertion.Training",
        verbose_name=_("formation à achever"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
    )
    details = models.TextField(_("justification"), blank=True)
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("prolongation de PASS IAE")
        verbose_name_plural = _("prolongations de PASS IAE")
        ordering = ["requested_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gt=0),
                name="insertion_extension_positive",
                violation_error_message=_("La nouvelle fin doit suivre la fin actuelle du PASS."),
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} (+{self.days} j)"
