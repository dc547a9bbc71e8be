from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from hub.services import NBSP, ChoiceDisplayMixin, elide, fold, kilograms, validate_image
from shop.catalogue_version import CatalogueQuerySet
from shop.models.merchants import Merchant, MerchantStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class VatRate(Decimal, models.Choices):
    REDUCED = "5.5", _("5,5 %")
    INTERMEDIATE = "10", _("10 %")
    STANDARD = "20", _("20 %")


class Unit(models.TextChoices):
    PIECE = "piece", _("la pièce")
    KG = "kg", _("le kg")
    HUNDRED_GRAMS = "100g", _("les 100 g")
    BUNCH = "bunch", _("la botte")
    LOT = "lot", _("le lot")


UNIT_COUNTS: "dict[str, tuple[StrOrPromise, StrOrPromise]]" = {
    Unit.PIECE: (_("%(count)d pièce"), _("%(count)d pièces")),
    Unit.BUNCH: (_("%(count)d botte"), _("%(count)d bottes")),
    Unit.LOT: (_("%(count)d lot"), _("%(count)d lots")),
}


def quantity_label(quantity: int, unit: str) -> str:
    """How much, with its unit: « 2 pièces », « 200 g » (2 × 100 g), « 1,5 kg », « 3 bottes »."""
    if unit == Unit.HUNDRED_GRAMS:
        grams = quantity * 100
        return f"{grams}{NBSP}g" if grams < 1000 else kilograms(grams)
    if unit == Unit.KG:
        return f"{quantity}{NBSP}kg"
    one, many = UNIT_COUNTS.get(unit, UNIT_COUNTS[Unit.PIECE])
    return str(one if quantity == 1 else many) % {"count": quantity}


def line_label(quantity: int, unit: str, name: str) -> str:
    """A basket or order line as read aloud: « 2 × Baguette », « 200 g de Pâté de campagne »."""
    if unit == Unit.PIECE:
        return f"{quantity} × {name}"
    return f"{quantity_label(quantity, unit)} {elide('de', name)}"


class ProductCategory(models.TextChoices):
    BREAD = "bread", _("Pains et viennoiseries")
    PASTRY = "pastry", _("Pâtisseries")
    MEAT = "meat", _("Viandes et charcuterie")
    FRUIT_VEG = "fruit_veg", _("Fruits et légumes")
    CHEESE = "cheese", _("Fromages et crèmerie")
    GROCERY = "grocery", _("Épicerie")
    DRINKS = "drinks", _("Boissons")
    CRAFTS = "crafts", _("Créations et décoration")
    CLOTHING = "clothing", _("Vêtements et accessoires")
    FLOWERS = "flowers", _("Fleurs et plantes")
    BOOKS = "books", _("Livres et papeterie")


class Label(models.TextChoices):
    ORGANIC = "bio", _("Bio")
    LOCAL = "local", _("Local")
    HANDMADE = "fait_main", _("Fait main")
    ESS = "ess", _("ESS")


class ProductQuerySet(CatalogueQuerySet):
    def on_sale(self):
        """Active products of approved shops: what shoppers may see."""
        return self.filter(is_active=True, merchant__status=MerchantStatus.APPROVED)

    def search(self, query: str, prefix: bool = False):
        """Products matching every word of ``query``, most relevant first (shop.search)."""
        from shop.search import search_products

        return search_products(self, query, prefix=prefix)

    def with_label(self, label: str):
        return self.filter(Exists(ProductLabel.objects.filter(product=OuterRef("pk"), label=label)))

    def with_labels(self):
        """Prefetch the labels: one query for the whole list."""
        return self.prefetch_related("label_rows")


class Product(ChoiceDisplayMixin, models.Model):
    """Something a shop sells, with its price incl. VAT and its stock."""

    merchant = models.ForeignKey(
        Merchant, verbose_name=_("commerce"), on_delete=models.CASCADE, related_name="products"
    )
    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("adresse de la page"), max_length=140)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("rayon"), max_length=20, choices=ProductCategory.choices)
    price = models.DecimalField(
        _("prix TTC"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("9999.99"))],
    )
    vat_rate = models.DecimalField(
        _("taux de TVA"), max_digits=4, decimal_places=1, choices=VatRate.choices
    )
    unit = models.CharField(_("unité"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    stock = models.PositiveIntegerField(
        _("stock"),
        null=True,
        blank=True,
        help_text=_("Laissez vide pour un produit fait à la commande."),
    )
    weight_grams = models.PositiveIntegerField(
        _("poids (g)"), validators=[MaxValueValidator(30000)], help_text=_("Pour le vélo-cargo.")
    )
    photo = models.ImageField(
        _("photo"), upload_to="shop/products/", blank=True, validators=[validate_image]
    )
    photo_list = models.ImageField(upload_to="shop/products/list/", blank=True, editable=False)
    photo_detail = models.ImageField(upload_to="shop/products/detail/", blank=True, editable=False)
    is_active = models.BooleanField(_("en vente"), default=True)
    # Shop name and category names, and everything folded (no case, no accents): what search
    # reads besides the product's own name and description (shop.search).
    search_context = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = ProductQuerySet.as_manager()
    _new_labels: list[str] | None = None  # set through ``label_list``, stored by ``save()``

    class Meta:
        verbose_name = _("produit")
        verbose_name_plural = _("produits")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["merchant", "is_active", "name"]),
            models.Index(fields=["category", "is_active"]),
            # What shoppers browse (active products, by name), whole catalogue, per category
            # and per shop: a page reads 25 index entries whatever the catalogue's size.
            models.Index(
                fields=["name", "id"], condition=Q(is_active=True), name="product_on_sale_by_name"
            ),
            models.Index(
                fields=["category", "name", "id"],
                condition=Q(is_active=True),
                name="product_on_sale_by_category",
            ),
            models.Index(
                fields=["merchant", "name", "id"],
                condition=Q(is_active=True),
                name="product_on_sale_by_shop",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "slug"], name="product_slug_per_merchant"),
            models.CheckConstraint(condition=Q(price__gt=0), name="product_price_positive"),
            models.CheckConstraint(
                condition=Q(stock__isnull=True) | Q(stock__gte=0), name="product_stock_not_negative"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.refresh_search_fields()
        if not self.slug:
            self.slug = self._free_slug()
        super().save(*args, **kwargs)
        if self._new_labels is not None:
            self._store_labels(self._new_labels)
            self._new_labels = None

    def get_absolute_url(self):
        return reverse("shop:product_detail", args=[self.merchant.slug, self.slug])

    def refresh_search_fields(self) -> None:
        """Fill the search columns from the name, the category and the shop (in French)."""
        with translation.override("fr"):
            self.search_context = " · ".join(
                [
                    self.merchant.name,
                    str(self.merchant.get_category_display()),
                    str(ProductCategory(self.category).label) if self.category else "",
                ]
            )
        self.search_text = fold(f"{self.name} {self.search_context}")

    def _store_labels(self, codes: list[str]) -> None:
        self.label_rows.exclude(label__in=codes).delete()
        ProductLabel.objects.bulk_create(
            [ProductLabel(product=self, label=code) for code in codes], ignore_conflicts=True
        )
        self._prefetched_objects_cache = getattr(self, "_prefetched_objects_cache", {})
        self._prefetched_objects_cache.pop("label_rows", None)

    def _free_slug(self) -> str:
        base = slugify(self.name)[:120] or "produit"
        slug, n = base, 1
        while Product.objects.filter(merchant_id=self.merchant_id, slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    @property
    def made_to_order(self) -> bool:
        return self.stock is None

    @property
    def available(self) -> bool:
        return self.is_active and (self.stock is None or self.stock > 0)

    @property
    def label_list(self) -> list[str]:
        """Label codes in the order of ``Label``; set it, then ``save()`` stores them."""
        if self._new_labels is not None:
            return self._new_labels
        if self.pk is None:
            return []
        codes = {row.label for row in self.label_rows.all()}
        return [code for code in Label.values if code in codes]

    @label_list.setter
    def label_list(self, codes) -> None:
        self._new_labels = [code for code in Label.values if code in set(codes)]

    def get_labels_display(self) -> list[str]:
        names = dict(Label.choices)
        return [str(names[code]) for code in self.label_list if code in names]


class ProductLabel(models.Model):
    """One label (bio, local…) carried by a product."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="label_rows")
    label = models.CharField(_("label"), max_length=20, choices=Label.choices)

    # Labels show on the catalogue pages: bulk writes bump its version (shop.catalogue_version).
    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("label d'un produit")
        verbose_name_plural = _("labels des produits")
        constraints = [
            models.UniqueConstraint(fields=["product", "label"], name="product_label_once"),
        ]
        indexes = [models.Index(fields=["label", "product"], name="product_label_by_label")]

    def __str__(self):
        return self.get_label_display()
