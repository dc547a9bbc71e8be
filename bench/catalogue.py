"""Grow the benchmark catalogue to a chosen size, fast (bulk inserts), and name the hot pages."""

from __future__ import annotations

import random
from decimal import Decimal

from django.core.management import call_command
from django.db import connection, transaction

from shop.models import (
    Label,
    Merchant,
    MerchantCategory,
    MerchantStatus,
    Product,
    ProductCategory,
)

BENCH_SHOPS = 40
PREFIX = "banc-"
NOUNS = {
    "bread": ["Baguette", "Pain de campagne", "Pain aux céréales", "Croissant", "Brioche"],
    "pastry": ["Tarte au sucre", "Tarte aux pommes", "Gaufre fourrée", "Éclair", "Flan"],
    "meat": ["Pâté de campagne", "Rillettes", "Jambon", "Saucisson", "Terrine"],
    "fruit_veg": ["Pommes", "Poireaux", "Carottes", "Endives", "Pommes de terre"],
    "cheese": ["Maroilles", "Vieux-Lille", "Mimolette", "Comté", "Beurre"],
    "grocery": ["Pâtes fraîches", "Miel", "Confiture", "Chicorée", "Huile de colza"],
    "drinks": ["Bière blonde", "Bière ambrée", "Jus de pomme", "Cidre", "Limonade"],
    "crafts": ["Bougie", "Savon", "Carnet", "Sac en toile", "Affiche"],
    "clothing": ["Bonnet", "Écharpe", "Tote bag", "Chaussettes", "Tablier"],
    "flowers": ["Bouquet", "Plante verte", "Cactus", "Tulipes", "Orchidée"],
    "books": ["Roman", "Bande dessinée", "Guide de Calais", "Carte postale", "Agenda"],
}
QUALIFIERS = [
    "du Calaisis",
    "artisanal",
    "bio",
    "maison",
    "de la Côte d'Opale",
    "à l'ancienne",
    "fermier",
    "du marché",
    "de saison",
    "",
]


def ensure_demo() -> None:
    """The demo data (shops, the demo shopper, events, spaces) once."""
    from hub.models import User

    if not User.objects.filter(email="client@demo.anima-calais.fr").exists():
        call_command("seed_demo", verbosity=0)


def _bench_shops() -> list[Merchant]:
    categories = MerchantCategory.values
    shops = []
    for n in range(BENCH_SHOPS):
        shop, _created = Merchant.objects.get_or_create(
            slug=f"{PREFIX}{n}",
            defaults={
                "name": f"Comptoir d'essai {n}",
                "siret": "73282932000074",
                "category": categories[n % len(categories)],
                "address": "18 Rue Mollien, 62100 Calais",
                "phone": "03 21 00 00 00",
                "description": "Commerce créé pour le banc d'essai.",
                "opening_hours": "Du mardi au samedi",
                "status": MerchantStatus.APPROVED,
            },
        )
        shops.append(shop)
    return shops


def _remove_bench_products() -> None:
    bench = Product.objects.filter(merchant__slug__startswith=PREFIX)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM shop_productlabel WHERE product_id IN (SELECT id FROM shop_product "
            "WHERE merchant_id IN (SELECT id FROM shop_merchant WHERE slug LIKE %s))",
            [PREFIX + "%"],
        )
    bench._raw_delete(bench.db)


def grow_catalogue(size: int) -> None:
    """Bench products so that the whole catalogue holds ``size`` products."""
    if Product.objects.count() == size:
        return
    shops = _bench_shops()
    with transaction.atomic():
        _remove_bench_products()
        missing = max(size - Product.objects.count(), 0)
        rng = random.Random(62100)
        categories = ProductCategory.values
        batch = []
        for n in range(missing):
            category = categories[n % len(categories)]
            name = f"{rng.choice(NOUNS[category])} {rng.choice(QUALIFIERS)}".strip()
            batch.append(
                Product(
                    merchant=shops[n % len(shops)],
                    name=name,
                    slug=f"p{n}",
                    description=f"{name}, préparé à Calais.",
                    category=category,
                    price=Decimal(rng.randint(100, 4000)) / 100,
                    vat_rate=Decimal("5.5"),
                    stock=rng.choice([None, 0, 5, 50]),
                    weight_grams=rng.randint(50, 2000),
                )
            )
            batch[-1].refresh_search_fields()
            if len(batch) == 5000:
                _insert(batch, rng)
                batch = []
        _insert(batch, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _insert(products: list[Product], rng: random.Random) -> None:
    from shop.models import ProductLabel

    created = Product.objects.bulk_create(products)
    ProductLabel.objects.bulk_create(
        ProductLabel(product=product, label=label)
        for product in created
        for label in rng.sample(Label.values, rng.choice([0, 0, 1, 2]))
    )


def hot_pages() -> dict[str, str]:
    """Name -> path of every page the benchmark loads."""
    shop = Merchant.objects.filter(slug=f"{PREFIX}0").first() or Merchant.objects.approved()[0]
    product = Product.objects.on_sale().filter(merchant=shop).order_by("pk").first()
    return {
        "home": "/",
        "shops (/boutique/)": "/boutique/",
        "product list": "/boutique/produits/",
        "search « pates »": "/boutique/produits/?q=pates",
        "label filter": "/boutique/produits/?label=bio",
        "shop": shop.get_absolute_url(),
        "product": product.get_absolute_url(),
        "/agenda/": "/agenda/",
        "/espaces/": "/espaces/",
        "/structures/": "/structures/",
        "/impact/": "/impact/",
    }
