"""Follow-up of the path: interviews, barriers and their actions, trainings, work immersions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from insertion.choices import (
    BarrierCategory,
    BarrierStatus,
    ImmersionGoal,
    InterviewKind,
    SupportKind,
)
from insertion.dates import last_day_of_duration, long_date
from insertion.models.people import Beneficiary


def _not_in_future(day, field: str, message: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: message})


class Interview(models.Model):
    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("salarié·e"),
        on_delete=models.CASCADE,
        related_name="interviews",
    )
    date = models.DateField(_("date"))
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("conseiller·e"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=InterviewKind.choices, default=InterviewKind.INDIVIDUAL
    )
    summary = models.TextField(_("compte rendu"))
    next_steps = models.TextField(_("prochaines étapes"), blank=True)
    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("entretien")
        verbose_name_plural = _("entretiens")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["beneficiary", "date"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.date})"

    def clean(self):
        _not_in_future(self.date, "date", gettext("Un entretien se note une fois qu'il a eu lieu."))


class Barrier(models.Model):
    """A barrier to employment (frein périphérique), identified → in progress → lifted."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("salarié·e"),
        on_delete=models.CASCADE,
        related_name="barriers",
    )
    category = models.CharField(_("frein"), max_length=20, choices=BarrierCategory.choices)
    status = models.CharField(
        _("état"), max_length=20, choices=BarrierStatus.choices, default=BarrierStatus.IDENTIFIED
    )
    identified_on = models.DateField(_("identifié le"))
    lifted_on = models.DateField(_("levé le"), null=True, blank=True)
    notes = models.TextField(_("précisions"), blank=True)

    class Meta:
        verbose_name = _("frein")
        verbose_name_plural = _("freins")
        ordering = ["identified_on", "pk"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["identified_on"]),
            models.Index(fields=["lifted_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status=BarrierStatus.LIFTED, lifted_on__gte=F("identified_on"))
                    | (~Q(status=BarrierStatus.LIFTED) & Q(lifted_on__isnull=True))
                ),
                name="insertion_barrier_lifted_has_date",
                violation_error_message=_(
                    "Un frein levé a une date de levée postérieure à son identification ; "
                    "un frein non levé n'en a pas."
                ),
            )
        ]

    def __str__(self):
        return f"{self.get_category_display()} — {self.get_status_display()}"

    def clean(self):
        _not_in_future(self.identified_on, "identified_on", gettext("Cette date est à venir."))
        if self.status == BarrierStatus.LIFTED:
            if not self.lifted_on:
                raise ValidationError(
                    {"lifted_on": gettext("Indiquez la date à laquelle le frein est levé.")}
                )
            _not_in_future(self.lifted_on, "lifted_on", gettext("Cette date est à venir."))
            if self.identified_on and self.lifted_on < self.identified_on:
                raise ValidationError(
                    {"lifted_on": gettext("Un frein est levé après avoir été identifié.")}
                )
        elif self.lifted_on:
            raise ValidationError({"lifted_on": gettext("Seul un frein levé a une date de levée.")})


class BarrierAction(models.Model):
    """Something done to lift a barrier, in-house or with a partner."""

    barrier = models.ForeignKey(
        Barrier, verbose_name=_("frein"), on_delete=models.CASCADE, related_name="actions"
    )
    date = models.DateField(_("date"))
    description = models.TextField(_("action"))
    support = models.CharField(
        _("accompagnement"),
        max_length=10,
        choices=SupportKind.choices,
        default=SupportKind.INTERNAL,
    )
    partner = models.CharField(_("partenaire"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("action sur un frein")
        verbose_name_plural = _("actions sur les freins")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(support=SupportKind.INTERNAL) | ~Q(partner=""),
                name="insertion_barrier_action_partner_named",
                violation_error_message=_("Nommez le partenaire."),
            )
        ]

    def __str__(self):
        return f"{self.date} — {self.get_support_display()}"

    def clean(self):
        if self.support == SupportKind.PARTNER and not self.partner.strip():
            raise ValidationError({"partner": gettext("Nommez le partenaire.")})
        _not_in_future(self.date, "date", gettext("Notez une action une fois menée."))


class Training(models.Model):
    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("salarié·e"),
        on_delete=models.CASCADE,
        related_name="trainings",
    )
    title = models.CharField(_("intitulé"), max_length=200)
    provider = models.CharField(_("organisme de formation"), max_length=200)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    hours = models.DecimalField(_("durée (heures)"), max_digits=6, decimal_places=1)
    qualifying = models.BooleanField(_("qualifiante"), default=False)

    class Meta:
        verbose_name = _("formation")
        verbose_name_plural = _("formations")
        ordering = ["start_date", "pk"]
        indexes = [models.Index(fields=["start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="insertion_training_dates",
                violation_error_message=_("La fin de la formation doit suivre son début."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="insertion_training_hours",
                violation_error_message=_("Indiquez une durée positive."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.start_date} → {self.end_date})"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": gettext("La fin doit suivre le début.")})
        if self.hours is not None and self.hours <= 0:
            raise ValidationError({"hours": gettext("Indiquez une durée positive.")})


class Immersion(models.Model):
    """A PMSMP (période de mise en situation en milieu professionnel), one month at most."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("salarié·e"),
        on_delete=models.CASCADE,
        related_name="immersions",
    )
    host = models.CharField(_("entreprise d'accueil"), max_length=200)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    goal = models.CharField(_("objectif"), max_length=10, choices=ImmersionGoal.choices)
    outcome = models.TextField(_("bilan"), blank=True)

    class Meta:
        verbose_name = _("immersion (PMSMP)")
        verbose_name_plural = _("immersions (PMSMP)")
        ordering = ["start_date", "pk"]
        indexes = [models.Index(fields=["start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="insertion_immersion_dates",
                violation_error_message=_("La fin de l'immersion doit suivre son début."),
            )
        ]

    def __str__(self):
        return f"PMSMP {self.start_date} → {self.end_date}"

    def clean(self):
        """A PMSMP lasts one month at most (Code du travail L5135-4 and following)."""
        if not (self.start_date and self.end_date):
            return
        if self.end_date < self.start_date:
            raise ValidationError({"end_date": gettext("La fin doit suivre le début.")})
        latest = last_day_of_duration(self.start_date, 1)
        if self.end_date > latest:
            raise ValidationError(
                {
                    "end_date": gettext(
                        "Une immersion (PMSMP) dure au plus un mois : fin au plus tard le %(date)s."
                    )
                    % {"date": long_date(latest)}
                }
            )
