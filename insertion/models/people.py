"""The person followed in an insertion path (salarié·e en insertion)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hub.services import PhoneField
from insertion.choices import Declared, EducationLevel, LabourStatus, Prescriber, Sex
from insertion.dates import age_on
from insertion.models.reference import PriorityNeighbourhood

MINIMUM_WORKING_AGE = 16


class BeneficiaryQuerySet(models.QuerySet):
    def identified(self):
        """Records that still hold a person's identity (not anonymised)."""
        return self.filter(anonymised_at__isnull=True)

    def visible_to(self, user):
        """A linked account (a courier in insertion) never sees its own record."""
        return self.identified().exclude(user_id=user.pk)

    def in_path(self):
        """Hired and not yet exited."""
        return self.filter(entry_date__isnull=False, exit__isnull=True)


class Beneficiary(models.Model):
    """One person's insertion path at ADLC: identity, situation at entry, counsellor."""

    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    birth_date = models.DateField(_("date de naissance"), null=True)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = PhoneField(_("téléphone"), blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("commune"), max_length=120, blank=True, default="Calais")
    qpv = models.ForeignKey(
        PriorityNeighbourhood,
        verbose_name=_("quartier prioritaire (QPV)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Laissez vide si la personne n'habite pas un quartier prioritaire."),
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("conseiller·e en insertion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="insertion_caseload",
        limit_choices_to={"groups__name": "cip"},
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte utilisateur lié"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Par exemple le compte de coursier·e ; ce compte ne voit jamais ce dossier."),
    )
    prescriber = models.CharField(
        _("prescripteur"), max_length=20, choices=Prescriber.choices, default=Prescriber.DIRECT
    )
    prescriber_name = models.CharField(
        _("organisme et personne prescriptrice"), max_length=200, blank=True
    )
    # Situation at entry.
    france_travail_registered = models.BooleanField(_("inscrit·e à France Travail"), default=False)
    unemployment_months = models.PositiveSmallIntegerField(
        _("durée de chômage à l'entrée (mois)"), null=True, blank=True
    )
    labour_status = models.CharField(
        _("situation sur le marché du travail à l'entrée"),
        max_length=20,
        choices=LabourStatus.choices,
        default=LabourStatus.UNEMPLOYED,
    )
    rsa = models.BooleanField(_("bénéficiaire du RSA"), default=False)
    ass = models.BooleanField(_("bénéficiaire de l'ASS"), default=False)
    aah = models.BooleanField(_("bénéficiaire de l'AAH"), default=False)
    rqth = models.BooleanField(_("travailleur·se handicapé·e (RQTH)"), default=False)
    education_level = models.CharField(
        _("niveau de formation"), max_length=10, choices=EducationLevel.choices
    )
    # Asked for the European Social Fund+ (Regulation (EU) 2021/1057, Annex I); the first three
    # are self-declared and may be declined.
    third_country_national = models.CharField(
        _("ressortissant·e d'un pays hors Union européenne"),
        max_length=10,
        choices=Declared.choices,
        blank=True,
    )
    foreign_background = models.CharField(
        _("d'origine étrangère"), max_length=10, choices=Declared.choices, blank=True
    )
    minority = models.CharField(
        _("appartenance à une minorité (dont communautés marginalisées)"),
        max_length=10,
        choices=Declared.choices,
        blank=True,
    )
    homeless = models.BooleanField(_("sans domicile ou exclu·e du logement"), default=False)
    rural_area = models.BooleanField(
        _("habite une zone rurale"),
        default=False,
        help_text=_("Commune classée rurale (grille communale de densité de l'Insee)."),
    )
    # Set from the first contract: kept (with the age) when the record is anonymised.
    entry_date = models.DateField(_("date d'entrée"), null=True, blank=True, editable=False)
    age_at_entry = models.PositiveSmallIntegerField(
        _("âge à l'entrée"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True, editable=False)

    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("salarié·e en insertion")
        verbose_name_plural = _("salarié·es en insertion")
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["entry_date"]),
            models.Index(fields=["anonymised_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=False) | Q(birth_date__isnull=False),
                name="insertion_beneficiary_birth_date_until_anonymised",
                violation_error_message=_("Indiquez la date de naissance."),
            )
        ]

    def __str__(self):
        if self.anonymised_at:
            return str(_("Dossier anonymisé n° %(number)s") % {"number": self.pk})
        return f"{self.last_name.upper()} {self.first_name}"

    def get_absolute_url(self):
        return reverse("insertion:beneficiary", args=[self.pk])

    def clean(self):
        if self.user_id and (self.user.is_staff or self.user.is_superuser):
            raise ValidationError(
                {"user": gettext("Un compte de l'équipe ne peut être lié à un dossier.")}
            )
        if self.anonymised_at or not self.birth_date:
            return
        if age_on(self.birth_date, timezone.localdate()) < MINIMUM_WORKING_AGE:
            raise ValidationError(
                {"birth_date": gettext("Une personne de moins de 16 ans ne peut être salariée.")}
            )

    @property
    def reference(self) -> str:
        """How logs and e-mails name the record without naming the person."""
        return str(_("Dossier n° %(number)s") % {"number": self.pk})

    @property
    def initials(self) -> str:
        return f"{self.first_name[:1]}. {self.last_name[:1]}.".upper()

    def age(self, day) -> int | None:
        return age_on(self.birth_date, day) if self.birth_date else None
