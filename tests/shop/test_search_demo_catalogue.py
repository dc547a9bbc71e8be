"""The search on the demo's own catalogue (shop/data/demo_products.csv, shops of
shop/demo_data.py): what a Calais shopper types, with the first result expected.

Runs on PostgreSQL and on SQLite like tests/shop/test_search_relevance.py; a query the
SQLite fallback misses is marked with why (a strict expected failure there).
"""

import csv
from decimal import Decimal

import pytest

from shop.demo import PRODUCTS_CSV
from shop.demo_data import SHOPS
from shop.models import Product
from tests.shop.factories import MerchantFactory

DEMO_QUERIES = [
    # plurals, singulars
    ("pates", "Pâté de campagne"),
    ("croissants", "Croissant pur beurre"),
    ("saucisse", "Saucisses de Toulouse (x4)"),
    ("carotte", "Carottes des sables"),
    ("tomate", "Tomates grappe"),
    ("oignon", "Oignons rosés"),
    ("champignon", "Champignons de Paris"),
    ("yaourt", "Yaourts nature (x4)"),
    ("lentille", "Lentilles vertes bio"),
    ("tulipe", "Tulipes (botte de 10)"),
    ("betterave", "Betteraves cuites"),
    # accents, ligatures, case
    ("oeufs", "Œufs fermiers bio (boîte de 6)"),
    ("boeuf", "Entrecôte de bœuf"),
    ("eclair", "Éclair au café"),
    ("chevre", "Chèvre frais des Flandres"),
    ("COMTE", "Comté 18 mois"),
    ("orchidée", "Orchidée en pot"),
    ("roti porc", "Rôti de porc"),
    # typos
    ("maroile", "Maroilles AOP"),
    ("potjevlesch", "Potjevleesch"),
    ("carbonnade", "Carbonade flamande (2 parts)"),
    ("mimolete", "Mimolette extra-vieille"),
    ("bergamotte", "Thé noir à la bergamote"),
    ("chicoree lerou", "Chicorée Leroux"),
    # several words
    ("tarte sucre", "Tarte au sucre"),
    ("gateau anniversaire", "Gâteau d'anniversaire (8 parts)"),
    ("pommes de terre", "Pommes de terre de Merville"),
    ("andouille cambrai", "Andouille de Cambrai"),
    ("biere blonde", "Bière blonde de Calais 33 cl"),
    ("rillettes maquereau", "Rillettes de maquereau"),
    ("savon anesse", "Savon artisanal au lait d'ânesse"),
    ("sweat capuche", "Sweat à capuche « Côte d'Opale »"),
    ("dentelle marque page", "Dentelle de Calais : marque-page"),
    ("the noir", "Thé noir à la bergamote"),
    # descriptions
    ("endives", "Chicons (endives)"),
    ("cap blanc nez", "Miel de fleurs de la Côte d'Opale"),
    ("sans sucre ajoute", "Jus de pomme bio 1 L"),
    ("paprika", "Boulette d'Avesnes"),
    ("phalaenopsis", "Orchidée en pot"),
    ("frites", "Pommes de terre de Merville"),
    ("brioche flamande", "Cramique aux raisins"),
    ("basilic", "Plante aromatique (basilic)"),
    # shops and categories
    ("boucherie lafayette", ("shop", "Boucherie Lafayette")),
    ("place d'armes", ("shop", "Fromagerie de la Place d'Armes")),
    ("courgain", ("shop", "Épicerie fine du Courgain")),
    ("primeur halles", ("shop", "Primeur des Halles")),
    ("boutique solidaire", ("shop", "Le Comptoir de l'Îlot")),
    ("fleuriste", ("shop", "Fleurs de Dentelle")),
    ("viennoiseries", ("category", "bread")),
]


@pytest.fixture
def demo_catalogue(db):
    """The demo's shops and products, inserted in bulk (no photos, no labels: search reads
    neither)."""
    with open(PRODUCTS_CSV, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    products = []
    for name, category, *_rest in SHOPS:
        merchant = MerchantFactory(name=name, category=category)
        for n, row in enumerate(row for row in rows if row["shop"] == name):
            product = Product(
                merchant=merchant,
                name=row["name"],
                slug=f"p{n}",
                category=row["category"],
                price=Decimal(row["price"]),
                vat_rate=Decimal(row["vat_rate"]),
                unit=row["unit"],
                weight_grams=int(row["weight_grams"]),
                description=row["description"],
            )
            product.refresh_search_fields()
            products.append(product)
    Product.objects.bulk_create(products)


def found(query: str) -> list[Product]:
    return list(Product.objects.on_sale().select_related("merchant").search(query)[:10])


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), DEMO_QUERIES)
def test_the_demo_catalogue_answers_what_calais_shoppers_type(demo_catalogue, query, expected):
    results = found(query)
    assert results, f"« {query} » found nothing"
    first = results[0]
    if isinstance(expected, tuple):
        kind, value = expected
        assert (first.merchant.name if kind == "shop" else first.category) == value, [
            (product.name, product.merchant.name) for product in results
        ]
    else:
        assert first.name == expected, [product.name for product in results]


def test_the_demo_catalogue_is_the_one_the_suite_reads():
    with open(PRODUCTS_CSV, newline="", encoding="utf-8") as handle:
        names = {row["name"] for row in csv.DictReader(handle)}
    expected = {value for _query, value in DEMO_QUERIES if isinstance(value, str)}
    assert expected <= names, expected - names
