"""Demo data of the shop: seven city-centre shops, 80 products with drawn photos, a merchant
login running them all, a pending application for moderation to review, and a day of orders
delivered by cargo bike, accepted and ready, for dispatch to plan."""

import csv
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

import delivery.services as delivery
from hub.services import DEMO_PASSWORD, Conflict, demo_user, drawing_font
from shop.demo_data import SHOPS
from shop.models import (
    Basket,
    BasketLine,
    MemberRole,
    Merchant,
    MerchantMember,
    MerchantOrderStatus,
    MerchantStatus,
    Order,
    Product,
)
from shop.services import (
    Checkout,
    accept_part,
    mark_part_ready,
    place_order,
    set_product_photo,
)

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
    draw.text((480, 300), initials, fill="white", font=drawing_font(96), anchor="mm")
    draw.text((480, 580), name[:34], fill="white", font=drawing_font(44), anchor="mm")
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
    _day_of_deliveries()
    return [
        ("Commerçant·e (7 boutiques)", MERCHANT_EMAIL, DEMO_PASSWORD),
        ("Demande de commerce en attente", applicant.email, DEMO_PASSWORD),
    ]


# (shopper, fulfilment, address or relay point, shops and quantities, note)
DAY_OF_ORDERS = [
    ("client", "home", "44 Boulevard Gambetta, 62100 Calais", [(1, 2), (3, 1)], "Sonner deux fois"),
    ("voisine", "home", "7 Rue des Thermes, 62100 Calais", [(2, 1)], ""),
    ("voisin", "work", "9 Avenue Roger Salengro, 62100 Calais", [(4, 1), (5, 2)], "Accueil, 2e"),
    ("client", "relay", "Pôle Anima", [(0, 1)], ""),
    ("voisine", "home", "2 Place Crèvecœur, 62100 Calais", [(1, 1), (6, 1)], "Code 1452"),
    ("voisin", "home", "3 Quai de la Loire, 62100 Calais", [(3, 2)], ""),
    ("client", "work", "14 Rue du Pont Lottin, 62100 Calais", [(2, 1), (4, 1)], ""),
    ("voisine", "relay", "Le Comptoir de l'Îlot", [(5, 1)], ""),
    ("voisin", "home", "60 Boulevard de l'Égalité, 62100 Calais", [(1, 2)], "Porte bleue"),
]
SHOPPERS = {
    "client": ("client@demo.anima-calais.fr", "Camille", "Dupont", "06 12 34 56 78"),
    "voisine": ("cliente.ines@demo.anima-calais.fr", "Inès", "Martel", "06 23 45 67 89"),
    "voisin": ("client.hugo@demo.anima-calais.fr", "Hugo", "Leroy", "06 34 56 78 90"),
}


def _day_of_deliveries() -> None:
    """Orders for the next delivery day, spread over its slots, accepted and ready (once)."""
    slots = list(delivery.bookable_slots().filter(date__gt=timezone.localdate()))
    if not slots:
        return
    day_slots = [slot for slot in slots if slot.date == slots[0].date]
    shops = list(Merchant.objects.filter(name__in=[shop[0] for shop in SHOPS]).order_by("pk"))
    for number, (who, mode, where, items, note) in enumerate(DAY_OF_ORDERS):
        email, first_name, last_name, phone = SHOPPERS[who]
        shopper = demo_user(email, first_name, last_name, phone=phone)
        key = f"demo-{day_slots[0].date:%Y%m%d}-{number}"
        order = Order.objects.filter(shopper=shopper, idempotency_key=key).first()
        if order is None:
            try:
                order = _place(shopper, key, mode, where, items, note, shops, day_slots, number)
            except (Conflict, ValidationError):
                continue  # a full slot or a sold-out product: the demo day has one order less
        for part in order.merchant_orders.select_related("order", "merchant"):
            if part.status == MerchantOrderStatus.PLACED:
                part = accept_part(part)
            if part.status == MerchantOrderStatus.ACCEPTED:
                mark_part_ready(part)


def _place(shopper, key, mode, where, items, note, shops, slots, number) -> Order:
    relay = delivery.active_relay_points().filter(name=where).first() if mode == "relay" else None
    if relay is not None:
        # A relay point takes only the slots it is open for (Pôle Anima: not on Saturdays).
        slots = [slot for slot in slots if delivery.relay_point_open_for(relay, slot)]
        if not slots:
            raise ValidationError({"slot": "closed"})
    basket, _created = Basket.objects.get_or_create(user=shopper)
    BasketLine.objects.filter(basket=basket).delete()
    for shop_index, quantity in items:
        product = (
            shops[shop_index]
            .products.filter(Q(stock__isnull=True) | Q(stock__gte=quantity), is_active=True)
            .order_by("pk")
            .first()
        )
        BasketLine.objects.create(basket=basket, product=product, quantity=quantity)
    checkout = Checkout(
        fulfilment=mode,
        payment="card",
        address="" if relay else where,
        relay_point=relay.pk if relay else None,
        slot=slots[number % len(slots)].pk,
        note=note,
    )
    try:
        return place_order(shopper, basket, checkout, key)
    except (Conflict, ValidationError):
        BasketLine.objects.filter(basket=basket).delete()  # seeding again finds it as before
        raise
