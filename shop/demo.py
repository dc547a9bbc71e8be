"""Demo data of the shop: seven city-centre shops, 80 products with drawn photos, a merchant
login running them all, and a pending application for moderation to review."""

import csv
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw

import delivery.services as delivery
from hub.services import DEMO_PASSWORD, demo_user
from shop.demo_data import SHOPS
from shop.models import MemberRole, Merchant, MerchantMember, MerchantStatus, Product
from shop.services import set_product_photo

PRODUCTS_CSV = Path(__file__).parent / "data" / "demo_products.csv"
MERCHANT_EMAIL = "commercant@demo.anima-calais.fr"
# Valid SIRET numbers (Luhn) reserved for the demo.
DEMO_SIRETS = [
    "73282932000074",
    "55208131766522",
    "40483304800022",
    "38012986646850",
    "44306184100047",
    "78925283000029",
    "81231526300010",
    "51287943000019",
]


def _photo(name: str, colour: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (960, 720), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((330, 150, 630, 450), fill="white")
    draw.ellipse((370, 190, 590, 410), fill=colour)
    initials = "".join(word[0] for word in name.split()[:2] if word[:1].isalnum()).upper()
    draw.text((480, 300), initials, fill="white", font_size=96, anchor="mm")
    draw.text((480, 580), name[:34], fill="white", font_size=44, anchor="mm")
    output = BytesIO()
    image.save(output, format="JPEG", quality=80)
    return SimpleUploadedFile(f"{name}.jpg", output.getvalue(), content_type="image/jpeg")


def _shop(index: int, owner) -> Merchant:
    name, category, address, phone, description, hours, _colour = SHOPS[index]
    merchant = Merchant.objects.filter(name=name).first()
    if merchant is None:
        found = delivery.check_address(address)
        merchant = Merchant.objects.create(
            name=name,
            siret=DEMO_SIRETS[index],
            category=category,
            address=address,
            latitude=found.latitude,
            longitude=found.longitude,
            phone=phone,
            description=description,
            opening_hours=hours,
            status=MerchantStatus.APPROVED,
            applicant=owner,
        )
    MerchantMember.objects.get_or_create(
        merchant=merchant, user=owner, defaults={"role": MemberRole.OWNER}
    )
    return merchant


def _demo_products(shop_name: str) -> list[dict]:
    with open(PRODUCTS_CSV, newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["shop"] == shop_name]


def _products(merchant: Merchant, index: int) -> None:
    colour = SHOPS[index][6]
    existing = set(merchant.products.values_list("name", flat=True))
    for row in _demo_products(merchant.name):
        if row["name"] in existing:
            continue
        product = Product(
            merchant=merchant,
            name=row["name"],
            category=row["category"],
            price=Decimal(row["price"]),
            vat_rate=Decimal(row["vat_rate"]),
            unit=row["unit"],
            stock=int(row["stock"]) if row["stock"] else None,
            weight_grams=int(row["weight_grams"]),
            description=row["description"],
        )
        product.label_list = row["labels"].split(",") if row["labels"] else []
        product.save()
        set_product_photo(product, _photo(product.name, colour))


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    owner = demo_user(MERCHANT_EMAIL, "Louis", "Marchand", phone="06 21 43 65 87")
    for index in range(len(SHOPS)):
        _products(_shop(index, owner), index)
    applicant = demo_user(
        "candidature@demo.anima-calais.fr", "Inès", "Boulanger", phone="06 55 44 33 22"
    )
    Merchant.objects.get_or_create(
        name="Torréfaction du Beffroi",
        defaults={
            "siret": DEMO_SIRETS[7],
            "category": "grocery",
            "address": "14 Rue du Pont Lottin, 62100 Calais",
            "phone": "03 21 00 10 08",
            "description": "Cafés torréfiés chaque semaine à Calais.",
            "opening_hours": "Du mardi au samedi, 9 h – 18 h",
            "applicant": applicant,
        },
    )
    return [
        ("Commerçant·e (7 boutiques)", MERCHANT_EMAIL, DEMO_PASSWORD),
        ("Demande de commerce en attente", applicant.email, DEMO_PASSWORD),
    ]
