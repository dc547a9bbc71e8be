from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as ValidationStdnumError
from stdnum.fr import siret as stdnum_siret

from delivery.models import Weekday
from hub.services import ChoiceDisplayMixin, PhoneField, fold, validate_image
from shop.catalogue_version import CatalogueQuerySet


def validate_siret(value: str) -> None:
    """A SIRET as python-stdnum checks it: 14 digits, Luhn (La Poste's digit sum), valid SIREN."""
    try:
        stdnum_siret.validate(value or "")
    except (InvalidFormat, InvalidLength) as error:
        raise ValidationError(_("Le SIRET compte 14 chiffres."), code="siret_length") from error
    except ValidationStdnumError as error:
        raise ValidationError(
            _("Ce numéro SIRET n'est pas valide : vérifiez-le sur votre extrait Kbis."),
            code="siret_checksum",
        ) from error


class MerchantCategory(models.TextChoices):
    BAKERY = "bakery", _("Boulangerie-pâtisserie")
    BUTCHER = "butcher", _("Boucherie-charcuterie")
    GROCERY = "grocery", _("Épicerie")
    GREENGROCER = "greengrocer", _("Primeur")
    CHEESE = "cheese", _("Fromagerie")
    ESS_SHOP = "ess_shop", _("Boutique solidaire")
    CRAFTS = "crafts", _("Créations et artisanat")
    FLORIST = "florist", _("Fleuriste")
    BOOKSHOP = "bookshop", _("Librairie")
    OTHER = "other", _("Autre commerce")


class MerchantStatus(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    APPROVED = "approved", _("Validé")
    REFUSED = "refused", _("Refusé")
    SUSPENDED = "suspended", _("Suspendu")


class MerchantQuerySet(CatalogueQuerySet):
    def approved(self):
        return self.filter(status=MerchantStatus.APPROVED)

    def of_member(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(members__user=user)


class Merchant(ChoiceDisplayMixin, models.Model):
    """A city-centre shop selling on the platform."""

    name = models.CharField(_("nom commercial"), max_length=120)
    slug = models.SlugField(_("adresse de la page"), max_length=140, unique=True)
    siret = models.CharField(_("SIRET"), max_length=14, validators=[validate_siret])
    category = models.CharField(_("catégorie"), max_length=20, choices=MerchantCategory.choices)
    address = models.CharField(_("adresse"), max_length=250)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phone = PhoneField(_("téléphone"))
    email = models.EmailField(_("e-mail de la boutique"), blank=True)
    description = models.TextField(_("présentation"))
    opening_hours = models.TextField(_("horaires d'ouverture"))
    logo = models.ImageField(
        _("logo"), upload_to="shop/merchants/", blank=True, validators=[validate_image]
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=MerchantStatus.choices, default=MerchantStatus.PENDING
    )
    refusal_reason = models.TextField(_("motif du refus ou de la suspension"), blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandeur·se"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merchant_applications",
    )
    commission_rate = models.DecimalField(
        _("commission de la plateforme (%)"),
        max_digits=4,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
        help_text=_("Part des ventes payées en ligne retenue par le pôle ; 0 : aucune."),
    )
    search_name = models.CharField(max_length=120, editable=False, db_index=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("examiné le"), null=True, blank=True)

    objects = MerchantQuerySet.as_manager()

    class Meta:
        verbose_name = _("commerce")
        verbose_name_plural = _("commerces")
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "category"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(commission_rate__gte=0, commission_rate__lte=30),
                name="merchant_commission_rate_range",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        if not self.slug:
            self.slug = self._free_slug()
        renamed = self.pk and (
            Merchant.objects.filter(pk=self.pk)
            .exclude(name=self.name, category=self.category)
            .exists()
        )
        super().save(*args, **kwargs)
        if renamed:
            self._refresh_product_search()

    def get_absolute_url(self):
        return reverse("shop:merchant_detail", args=[self.slug])

    def _refresh_product_search(self) -> None:
        """Products are found by their shop's name and category: keep their copy current."""
        products = list(self.products.all())
        for product in products:
            product.merchant = self
            product.refresh_search_fields()
        self.products.model.objects.bulk_update(
            products, ["search_context", "search_text"], batch_size=500
        )

    def _free_slug(self) -> str:
        base = slugify(self.name)[:120] or "commerce"
        slug, n = base, 1
        while Merchant.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    @property
    def payee(self) -> str:
        """This shop's key for its payout account in the hub's payment service."""
        return f"shop.merchant:{self.pk}"


class OpeningPeriod(models.Model):
    """A period the shop is open on a weekday (two on a day with a lunch closing): the cargo
    bike collects parts only then."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="opening_periods")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens = models.TimeField(_("ouverture"))
    closes = models.TimeField(_("fermeture"))

    class Meta:
        verbose_name = _("horaire d'ouverture")
        verbose_name_plural = _("horaires d'ouverture (pour les enlèvements)")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="opening_closes_after_opening"
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


def opening_on(merchant: Merchant, day) -> list[tuple]:
    """The shop's opening periods on ``day`` (from ``opening_periods``, prefetched or not)."""
    return [
        (period.opens, period.closes)
        for period in merchant.opening_periods.all()
        if period.weekday == day.weekday()
    ]


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Responsable")
    STAFF = "staff", _("Équipe")


class MerchantMember(models.Model):
    """A person who runs a shop's back-office."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="merchant_memberships"
    )
    role = models.CharField(
        _("rôle"), max_length=10, choices=MemberRole.choices, default=MemberRole.STAFF
    )
    added_at = models.DateTimeField(_("ajouté·e le"), auto_now_add=True)

    class Meta:
        verbose_name = _("membre d'un commerce")
        verbose_name_plural = _("membres des commerces")
        ordering = ["merchant", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "user"], name="member_once_per_merchant"),
        ]

    def __str__(self):
        return f"{self.user} — {self.merchant}"
