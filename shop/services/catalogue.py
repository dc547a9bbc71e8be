"""Products: photos with renditions, and the CSV export and import of a shop's list."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hub.services import clean_image, csv_text, read_cell, rendition, validate_image
from shop.models import Label, Merchant, Product, ProductCategory, Unit, VatRate

PENDING_PHOTOS = "produits/en-attente/"
PENDING_PHOTO_SALT = "shop.pending-photo"
PENDING_PHOTO_SECONDS = 24 * 3600
# Kept a little longer than their token: a storage clock a few minutes off must not take a
# photo from a form still allowed to use it.
PENDING_PHOTO_MARGIN_SECONDS = 600
PHOTO_FIELDS = ("photo", "photo_list", "photo_detail")
LIST_SIZE = (480, 360)
DETAIL_SIZE = (960, 720)
CSV_COLUMNS = [
    "slug",
    "nom",
    "description",
    "rayon",
    "prix_ttc",
    "tva",
    "unite",
    "stock",
    "poids_g",
    "labels",
    "en_vente",
]
MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_CSV_ROWS = 2000


def set_product_photo(product: Product, upload) -> None:
    """Check the picture, strip its metadata and store it with list and detail renditions."""
    validate_image(upload)
    cleaned = clean_image(upload)
    list_size, detail_size = rendition(cleaned, LIST_SIZE), rendition(cleaned, DETAIL_SIZE)
    stem = product.slug or "produit"
    previous = _stored_photos(product)
    product.photo.save(f"{stem}.{cleaned.name.rsplit('.', 1)[-1]}", cleaned, save=False)
    product.photo_list.save(f"{stem}-liste.jpg", list_size, save=False)
    product.photo_detail.save(f"{stem}-fiche.jpg", detail_size, save=False)
    product.save()
    forget_photos_on_commit(previous)


def clear_product_photo(product: Product) -> None:
    """Take the photo and its renditions off the product; their files go after commit."""
    previous = _stored_photos(product)
    for field in PHOTO_FIELDS:
        setattr(product, field, "")
    product.save()
    forget_photos_on_commit(previous)


def _stored_photos(product: Product) -> list[str]:
    """The product's photo files as the database holds them (none for a new product)."""
    if product.pk is None:
        return []
    row = Product.objects.filter(pk=product.pk).values_list(*PHOTO_FIELDS).first()
    return [name for name in row or () if name]


def forget_photos_on_commit(names: Iterable[str]) -> None:
    """Once the current transaction commits (at once outside one), delete those of ``names`` no
    product shows any more; a rollback keeps them, as the product still shows them then."""
    names = sorted({name for name in names if name})
    if names:
        transaction.on_commit(partial(delete_unused_photos, names), robust=True)


def delete_unused_photos(names: Iterable[str]) -> int:
    """Delete the photo files among ``names`` that no product refers to; how many went."""
    names = {name for name in names if name}
    used: set[str] = set()
    for field in PHOTO_FIELDS:
        used.update(Product.objects.filter(**{f"{field}__in": names}).values_list(field, flat=True))
    unused = sorted(names - used)
    for name in unused:
        default_storage.delete(name)
    return len(unused)


def save_product(product: Product, photo: File[bytes] | None = None) -> Product:
    """Save ``product`` and, when given, its photo and renditions: all of it or nothing.

    Raises ValidationError for a photo that cannot be used (the product is then not saved).
    """
    adding = product._state.adding
    try:
        with transaction.atomic():
            product.save()
            if photo:
                set_product_photo(product, photo)
    except ValidationError:
        if adding:
            product.pk, product._state.adding = None, True
        raise
    return product


def keep_pending_photo(merchant: Merchant, upload: UploadedFile) -> str:
    """Store a checked photo while the merchant corrects the rest of the form; the token it
    returns (signed, tied to the shop) goes back in the form, so the photo is not picked again."""
    validate_image(upload)
    cleaned = clean_image(upload)
    extension = (cleaned.name or "photo.jpg").rsplit(".", 1)[-1]
    name = default_storage.save(f"{PENDING_PHOTOS}{secrets.token_urlsafe(16)}.{extension}", cleaned)
    return signing.dumps({"merchant": merchant.pk, "name": name}, salt=PENDING_PHOTO_SALT)


def pending_photo(merchant: Merchant, token: str) -> str | None:
    """The stored name of a photo kept by ``keep_pending_photo`` for this shop, or None (bad,
    expired or foreign token, or file gone)."""
    try:
        kept = signing.loads(token, salt=PENDING_PHOTO_SALT, max_age=PENDING_PHOTO_SECONDS)
    except signing.BadSignature:
        return None
    if kept.get("merchant") != merchant.pk or not default_storage.exists(kept.get("name", "")):
        return None
    return str(kept["name"])


def pending_photo_file(name: str) -> File[bytes]:
    """The kept photo, read back and removed from the temporary store (to give to
    ``save_product``)."""
    with default_storage.open(name) as stored:
        photo = File(io.BytesIO(stored.read()), name=name.rsplit("/", 1)[-1])
    default_storage.delete(name)
    return photo


def purge_pending_photos() -> int:
    """Delete the photos kept for product forms never sent back before their token expired;
    how many went."""
    limit = timezone.now() - timedelta(seconds=PENDING_PHOTO_SECONDS + PENDING_PHOTO_MARGIN_SECONDS)
    try:
        _folders, files = default_storage.listdir(PENDING_PHOTOS)
    except FileNotFoundError:  # no photo was ever kept
        return 0
    purged = 0
    for filename in files:
        name = f"{PENDING_PHOTOS}{filename}"
        try:
            stale = default_storage.get_modified_time(name) < limit
        except FileNotFoundError:  # used by its form (or purged) meanwhile
            continue
        if stale:
            default_storage.delete(name)
            purged += 1
    return purged


def export_products_csv(merchant: Merchant) -> str:
    """The shop's products as CSV, in the hub's convention: choices by their French label; the
    import reads the file back as it is (labels or codes)."""
    return csv_text(
        CSV_COLUMNS,
        (
            [
                product.slug,
                product.name,
                product.description,
                product.get_category_display(),
                product.price,
                product.vat_rate.normalize(),
                product.get_unit_display(),
                product.stock,
                product.weight_grams,
                ", ".join(product.get_labels_display()),
                product.is_active,
            ]
            for product in merchant.products.with_labels().order_by("name")
        ),
    )


class ProductRowForm(forms.Form):
    """One CSV line, with the same rules as the product form."""

    slug = forms.SlugField(required=False, max_length=140)
    nom = forms.CharField(max_length=120)
    description = forms.CharField(required=False)
    rayon = forms.ChoiceField(choices=ProductCategory.choices)
    prix_ttc = forms.DecimalField(min_value=0.01, max_value=9999.99, decimal_places=2)
    tva = forms.TypedChoiceField(
        choices=[(format(value, "f"), label) for value, label in VatRate.choices],
        coerce=Decimal,
    )
    unite = forms.ChoiceField(choices=Unit.choices)
    stock = forms.IntegerField(required=False, min_value=0, max_value=100000)
    poids_g = forms.IntegerField(min_value=0, max_value=30000)
    labels = forms.CharField(required=False)
    en_vente = forms.CharField(required=False)

    def clean_labels(self):
        codes = [code.strip() for code in self.cleaned_data["labels"].replace(";", ",").split(",")]
        codes = [code for code in codes if code]
        unknown = [code for code in codes if code not in Label.values]
        if unknown:
            raise ValidationError(
                _("Labels inconnus : %(codes)s (possibles : %(known)s).")
                % {"codes": ", ".join(unknown), "known": ", ".join(Label.values)}
            )
        return codes

    def clean_en_vente(self):
        value = self.cleaned_data["en_vente"].strip().lower()
        if value in ("", "oui", "o", "1", "true", "vrai"):
            return True
        if value in ("non", "n", "0", "false", "faux"):
            return False
        raise ValidationError(_("Écrivez « oui » ou « non »."))


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0


def _code(value: str, choices) -> str:
    """A choice's code from its code or its French label (as the export writes it)."""
    by_label = {str(label).lower(): code for code, label in choices}
    return by_label.get(value.lower(), value)


def _normalise_row(row: dict[str, Any]) -> dict[str, Any]:
    data = {
        key.strip().lower(): read_cell(value or "").strip() for key, value in row.items() if key
    }
    data["rayon"] = _code(data.get("rayon", ""), ProductCategory.choices)
    data["unite"] = _code(data.get("unite", ""), Unit.choices)
    labels = data.get("labels", "").replace(";", ",").split(",")
    data["labels"] = ",".join(_code(label.strip(), Label.choices) for label in labels)
    for key in ("prix_ttc", "tva"):
        data[key] = data.get(key, "").replace(",", ".").replace("€", "").replace("%", "").strip()
    if data.get("tva") in ("5.50",):
        data["tva"] = "5.5"
    if data.get("tva", "").endswith(".0"):
        data["tva"] = data["tva"][:-2]
    return data


def _read_rows(upload) -> list[dict[str, Any]]:
    if upload.size > MAX_CSV_BYTES:
        raise ValidationError(_("Le fichier dépasse 2 Mo."))
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("Enregistrez le fichier en CSV UTF-8.")) from None
    first_line = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    headers = {(name or "").strip().lower() for name in reader.fieldnames or []}
    missing = [column for column in CSV_COLUMNS if column not in headers and column != "slug"]
    if missing:
        raise ValidationError(
            _("Colonnes manquantes : %(columns)s. Partez de l'export pour avoir le bon modèle.")
            % {"columns": ", ".join(missing)}
        )
    rows = list(reader)
    if not rows:
        raise ValidationError(_("Le fichier ne contient aucune ligne de produit."))
    if len(rows) > MAX_CSV_ROWS:
        raise ValidationError(_("2 000 lignes au plus par import."))
    return rows


def import_products_csv(merchant: Merchant, upload) -> ImportReport:
    """Create or update products from CSV; any wrong line: nothing saved, errors per line."""
    rows = _read_rows(upload)
    existing = {product.slug: product for product in merchant.products.all()}
    errors: list[str] = []
    cleaned_rows = []
    for number, row in enumerate(rows, start=2):
        form = ProductRowForm(_normalise_row(row))
        if not form.is_valid():
            for field, messages in form.errors.items():
                errors.append(
                    _("Ligne %(line)d, %(field)s : %(message)s")
                    % {"line": number, "field": field, "message": " ".join(messages)}
                )
            continue
        slug = form.cleaned_data["slug"]
        if slug and slug not in existing:
            errors.append(
                _(
                    "Ligne %(line)d, slug : aucun produit « %(slug)s » dans votre boutique "
                    "(laissez vide pour en créer un)."
                )
                % {"line": number, "slug": slug}
            )
            continue
        cleaned_rows.append(form.cleaned_data)
    if errors:
        raise ValidationError(errors)
    report = ImportReport()
    with transaction.atomic():
        for data in cleaned_rows:
            product = existing.get(data["slug"]) or Product(merchant=merchant)
            created = product.pk is None
            product.name = data["nom"]
            product.description = data["description"]
            product.category = data["rayon"]
            product.price = data["prix_ttc"]
            product.vat_rate = data["tva"]
            product.unit = data["unite"]
            product.stock = data["stock"]
            product.weight_grams = data["poids_g"]
            product.label_list = data["labels"]
            product.is_active = data["en_vente"]
            product.full_clean(exclude=["slug", "photo"])
            product.save()
            if created:
                report.created += 1
            else:
                report.updated += 1
    return report


CSV_HELP = gettext_lazy(
    "Colonnes : slug (vide pour un nouveau produit), nom, description, rayon, prix_ttc, tva "
    "(5,5 · 10 · 20), unite, stock (vide = fait à la commande), poids_g, labels "
    "(bio, local, fait_main, ess séparés par des virgules), en_vente (oui/non)."
)
