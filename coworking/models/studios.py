"""Month-by-month leases of the Made in Calais studios (a studio holds one lease at a time),
their documents, and the requests of artisans who would like one."""

from django.conf import settings
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coworking.models.spaces import Resource, ResourceKind
from coworking.storage import lease_document_path, private_storage
from hub.services import DateRange, PhoneField, PostgresExclusionConstraint


class StudioLease(models.Model):
    """A studio rented to an artisan (a person or a structure) between two dates."""

    studio = models.ForeignKey(
        Resource,
        verbose_name=_("atelier"),
        on_delete=models.PROTECT,
        related_name="leases",
        limit_choices_to={"kind": ResourceKind.STUDIO},
    )
    tenant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("locataire (personne)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="studio_leases",
    )
    tenant_structure = models.ForeignKey(
        "hub.Structure",
        verbose_name=_("locataire (structure)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="studio_leases",
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin (incluse)"))
    monthly_rent = models.DecimalField(_("loyer mensuel"), max_digits=8, decimal_places=2)
    deposit = models.DecimalField(_("dépôt de garantie"), max_digits=8, decimal_places=2)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bail d'atelier")
        verbose_name_plural = _("baux d'ateliers")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="coworking_lease_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(tenant__isnull=False, tenant_structure__isnull=True)
                | Q(tenant__isnull=True, tenant_structure__isnull=False),
                name="coworking_lease_one_tenant",
            ),
            models.CheckConstraint(
                condition=Q(monthly_rent__gte=0) & Q(deposit__gte=0),
                name="coworking_lease_amounts",
            ),
            PostgresExclusionConstraint(
                name="coworking_lease_no_overlap",
                expressions=[
                    (
                        DateRange("start_date", "end_date", RangeBoundary(inclusive_upper=True)),
                        RangeOperators.OVERLAPS,
                    ),
                    ("studio", RangeOperators.EQUAL),
                ],
                violation_error_message=_("Cet atelier est déjà loué sur une partie de ces dates."),
            ),
        ]
        indexes = [models.Index(fields=["end_date"])]

    def __str__(self):
        return f"{self.studio.name} — {self.tenant_name}"

    @property
    def tenant_name(self) -> str:
        return str(self.tenant or self.tenant_structure or "")

    def clean(self):
        if (self.tenant_id is None) == (self.tenant_structure_id is None):
            raise ValidationError(
                _("Indiquez un locataire : une personne ou une structure, pas les deux.")
            )
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("La fin doit suivre le début.")})
        if self.studio_id and self.start_date and self.end_date:
            overlapping = StudioLease.objects.filter(
                studio_id=self.studio_id,
                start_date__lte=self.end_date,
                end_date__gte=self.start_date,
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(_("Cet atelier est déjà loué sur une partie de ces dates."))


class LeaseDocument(models.Model):
    """A document of a lease (signed lease, inventory, insurance…), kept in private storage and
    read by the tenant and the coworking team only."""

    lease = models.ForeignKey(
        StudioLease, verbose_name=_("bail"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("intitulé"), max_length=120)
    file = models.FileField(_("fichier"), storage=private_storage, upload_to=lease_document_path)
    uploaded_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)

    class Meta:
        verbose_name = _("document de bail")
        verbose_name_plural = _("documents de bail")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title


class StudioRequest(models.Model):
    """An artisan asking for a studio, from the public studios page; the team answers."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandeur·se"),
        on_delete=models.CASCADE,
        related_name="studio_requests",
    )
    studio = models.ForeignKey(
        Resource,
        verbose_name=_("atelier souhaité"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        limit_choices_to={"kind": ResourceKind.STUDIO},
    )
    activity = models.TextField(_("votre activité"))
    wanted_from = models.DateField(_("à partir du"))
    phone = PhoneField(_("téléphone"), blank=True)
    answered = models.BooleanField(_("réponse faite"), default=False)
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("demande d'atelier")
        verbose_name_plural = _("demandes d'ateliers")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["answered", "created_at"])]

    def __str__(self):
        return f"{self.requester} — {self.created_at:%d/%m/%Y}"
