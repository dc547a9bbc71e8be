"""CDDI contracts and the monthly hours derived from them."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from insertion.choices import (
    ContractKind,
    DerogationGround,
    EarlyEndGround,
    EarlyEndInitiative,
    Workshop,
)
from insertion.models.people import Beneficiary

# The free texts the retention job erases (insertion.retention.anonymise) describe the person
# (difficulties, justice, health): never copied into the history. The rest of a contract's
# history is deleted with the record's anonymisation.
CONTRACT_UNTRACKED_FIELDS = ["post", "hours_justification", "ground_details", "end_details"]


class Contract(models.Model):
    """A CDDI or one of its renewal amendments; rules are in ``insertion.contracts``."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("salarié·e"),
        on_delete=models.CASCADE,
        related_name="contracts",
    )
    kind = models.CharField(
        _("type"), max_length=10, choices=ContractKind.choices, default=ContractKind.INITIAL
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=_("contrat renouvelé"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="renewal",
    )
    workshop = models.CharField(_("atelier"), max_length=20, choices=Workshop.choices)
    post = models.CharField(_("poste"), max_length=120)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin prévue"))
    weekly_hours = models.DecimalField(_("heures par semaine"), max_digits=4, decimal_places=2)
    hours_justification = models.TextField(_("justification des moins de 20 heures"), blank=True)
    sentence_adjustment = models.BooleanField(
        _("aménagement de peine"),
        default=False,
        help_text=_(
            "La durée minimale de 4 mois ne s'applique pas (personne sous main de justice)."
        ),
    )
    ground = models.CharField(
        _("motif de prolongation au-delà de 24 mois"),
        max_length=20,
        choices=DerogationGround.choices,
        blank=True,
    )
    ground_details = models.TextField(_("décision et difficultés constatées"), blank=True)
    training = models.ForeignKey(
        "insertion.Training",
        verbose_name=_("formation à achever"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_on = models.DateField(_("terminé par anticipation le"), null=True, blank=True)
    end_ground = models.CharField(
        _("motif de la fin anticipée"), max_length=30, choices=EarlyEndGround.choices, blank=True
    )
    end_initiative = models.CharField(
        _("fin anticipée à l'initiative de"),
        max_length=10,
        choices=EarlyEndInitiative.choices,
        blank=True,
    )
    end_details = models.TextField(_("précisions sur la fin anticipée"), blank=True)
    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=CONTRACT_UNTRACKED_FIELDS)

    class Meta:
        verbose_name = _("contrat (CDDI)")
        verbose_name_plural = _("contrats (CDDI)")
        ordering = ["start_date", "pk"]
        indexes = [models.Index(fields=["end_date"]), models.Index(fields=["start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="insertion_contract_dates",
                violation_error_message=_("La fin du contrat doit suivre son début."),
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__gt=0),
                name="insertion_contract_hours_positive",
                violation_error_message=_("Indiquez un nombre d'heures par semaine positif."),
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__lte=35),
                name="insertion_contract_hours_at_most_35",
                violation_error_message=_("Un CDDI compte au plus 35 heures par semaine."),
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__gte=20) | ~Q(hours_justification=""),
                name="insertion_contract_short_hours_justified",
                violation_error_message=_(
                    "En dessous de 20 heures par semaine, indiquez la justification "
                    "(personne en grande difficulté, décret 2015-1435)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind=ContractKind.INITIAL, previous__isnull=True)
                | Q(kind=ContractKind.RENEWAL, previous__isnull=False),
                name="insertion_contract_renewal_has_previous",
                violation_error_message=_(
                    "Un avenant de renouvellement prolonge un contrat existant."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(ended_on__gte=F("start_date"), ended_on__lte=F("end_date")),
                name="insertion_contract_ended_within",
                violation_error_message=_("La fin anticipée tombe pendant le contrat."),
            ),
            models.CheckConstraint(
                condition=Q(end_ground="") | Q(ended_on__isnull=False),
                name="insertion_contract_end_ground_has_date",
                violation_error_message=_("Un motif de fin anticipée va avec sa date."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.get_workshop_display()} ({self.start_date})"

    @property
    def effective_end(self):
        """The day the contract really ends: early end (exit) or planned end."""
        return self.ended_on or self.end_date


class WorkedMonth(models.Model):
    """Contractual hours of one person in one workshop in one month.

    Rebuilt from the contracts whenever they change; kept untouched when the record is
    anonymised, so hours and people employed stay the same in the indicators.
    """

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="worked_months"
    )
    month = models.DateField(_("mois"))
    workshop = models.CharField(_("atelier"), max_length=20, choices=Workshop.choices)
    hours = models.DecimalField(_("heures"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("heures du mois")
        verbose_name_plural = _("heures par mois")
        indexes = [models.Index(fields=["month", "workshop"])]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "month", "workshop"], name="insertion_worked_month_unique"
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.workshop}: {self.hours}"
