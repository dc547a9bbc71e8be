"""The end of a path: the ASP exit reason and the ESF+ check six months later."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from insertion.choices import FollowUpSituation
from insertion.models.people import Beneficiary
from insertion.models.reference import ExitReason


class Exit(models.Model):
    beneficiary = models.OneToOneField(
        Beneficiary, verbose_name=_("salarié·e"), on_delete=models.CASCADE, related_name="exit"
    )
    date = models.DateField(_("date de sortie"))
    reason = models.ForeignKey(
        ExitReason, verbose_name=_("motif (liste ASP)"), on_delete=models.PROTECT, related_name="+"
    )
    destination = models.CharField(
        _("employeur ou organisme de formation"), max_length=200, blank=True
    )
    notes = models.TextField(_("précisions"), blank=True)
    # Frozen when the exit is recorded: ASP rates count exits after more than 3 months worked.
    worked_days = models.PositiveIntegerField(_("jours sous contrat"), editable=False, default=0)
    over_three_months = models.BooleanField(
        _("plus de 3 mois travaillés"), editable=False, default=False
    )
    # The ESF+ result at exit: the situation within four weeks of leaving.
    result_job_searching = models.BooleanField(
        _("en recherche d'emploi à la sortie"), default=False
    )
    result_training = models.BooleanField(_("en études ou en formation à la sortie"), default=False)
    result_qualification = models.BooleanField(
        _("a obtenu une qualification à la sortie"), default=False
    )
    result_employed = models.BooleanField(
        _("en emploi, y compris indépendant, à la sortie"), default=False
    )
    followup_on = models.DateField(_("suivi à 6 mois fait le"), null=True, blank=True)
    followup_situation = models.CharField(
        _("situation à 6 mois"), max_length=20, choices=FollowUpSituation.choices, blank=True
    )
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("sortie")
        verbose_name_plural = _("sorties")
        ordering = ["-date"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.date} — {self.reason.label}"
