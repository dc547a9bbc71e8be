"""Atelier 8: applications of job-seeking project holders and free occupancy agreements."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coworking.models.spaces import Resource


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Envoyée")
    UNDER_REVIEW = "under_review", _("En cours d'examen")
    ACCEPTED = "accepted", _("Acceptée")
    REFUSED = "refused", _("Refusée")
    WITHDRAWN = "withdrawn", _("Retirée")


OPEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


class Application(models.Model):
    """A job seeker's request for free premises to start their business."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidat·e"),
        on_delete=models.PROTECT,
        related_name="atelier8_applications",
    )
    project_title = models.CharField(_("nom du projet"), max_length=150)
    project = models.TextField(_("le projet"))
    needs = models.TextField(_("besoins"))
    wants_desk = models.BooleanField(_("un poste de travail"), default=False)
    wants_storage = models.BooleanField(_("un espace de stockage"), default=False)
    wants_workshop = models.BooleanField(_("un espace d'atelier"), default=False)
    job_seeker_since = models.DateField(_("inscrit·e comme demandeur·se d'emploi depuis"))
    job_seeker_id = models.CharField(_("identifiant France Travail"), max_length=20, blank=True)
    availability = models.CharField(_("disponibilités"), max_length=300)
    status = models.CharField(
        _("état"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    committee_date = models.DateField(_("date du comité"), null=True, blank=True)
    internal_notes = models.TextField(_("notes internes"), blank=True)
    submitted_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("candidature Atelier 8")
        verbose_name_plural = _("candidatures Atelier 8")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(status__in=OPEN_STATUSES),
                name="coworking_one_open_application",
                violation_error_message=_("Vous avez déjà une candidature en cours."),
            ),
            models.CheckConstraint(
                condition=Q(wants_desk=True) | Q(wants_storage=True) | Q(wants_workshop=True),
                name="coworking_application_asks_something",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return f"{self.project_title} — {self.applicant}"

    def get_absolute_url(self):
        return reverse("coworking:application_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def requested_labels(self) -> list[str]:
        fields = ("wants_desk", "wants_storage", "wants_workshop")
        return [
            str(self._meta.get_field(name).verbose_name) for name in fields if getattr(self, name)
        ]


class ApplicationStatusChange(models.Model):
    """The history of an application, shown to the applicant with the comments."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(_("état"), max_length=20, choices=ApplicationStatus.choices)
    comment = models.TextField(_("commentaire"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("étape de candidature")
        verbose_name_plural = _("étapes de candidature")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.get_status_display()} {self.changed_at:%d/%m/%Y}"


class AgreementQuerySet(models.QuerySet):
    def current(self, on_date):
        return self.filter(start_date__lte=on_date, end_date__gte=on_date, terminated_on=None)


class OccupancyAgreement(models.Model):
    """Free, time-limited, renewable use of one resource granted after an accepted application."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("candidature"),
        on_delete=models.PROTECT,
        related_name="agreement",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("titulaire"),
        on_delete=models.PROTECT,
        related_name="occupancy_agreements",
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("ressource mise à disposition"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin (incluse)"))
    renewals = models.PositiveSmallIntegerField(_("renouvellements"), default=0)
    terminated_on = models.DateField(_("résiliée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("convention d'occupation")
        verbose_name_plural = _("conventions d'occupation")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="coworking_agreement_end_after_start",
            )
        ]
        indexes = [models.Index(fields=["holder", "resource", "end_date"])]

    def __str__(self):
        return f"{self.holder} — {self.resource.name}"

    def get_absolute_url(self):
        return reverse("coworking:agreement_detail", args=[self.pk])
