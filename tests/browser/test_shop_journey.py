"""In Chromium: search, basket from three shops, sign in (basket merged), checkout with home
delivery in a slot, then each shop accepts its part; an out-of-zone address is refused with
the relay points proposed; all on a 360 px phone without sideways scrolling."""

import re

import pytest

from delivery.models import FeeRule, RelayPoint
from tests.browser.conftest import horizontal_overflow
from tests.delivery.factories import DeliverySlotFactory
from tests.hub.factories import PASSWORD, UserFactory
from tests.shop.factories import MerchantFactory, ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shops():
    bakery = MerchantFactory(name="Boulangerie du Beffroi", category="bakery")
    butcher = MerchantFactory(name="Boucherie Lafayette", category="butcher")
    cheese = MerchantFactory(name="Fromagerie de la Place d'Armes", category="cheese")
    ProductFactory(merchant=bakery, name="Tarte au sucre", category="pastry", stock=None)
    ProductFactory(merchant=butcher, name="Pâté de campagne", category="meat")
    ProductFactory(merchant=cheese, name="Maroilles AOP", category="cheese")
    RelayPoint.objects.create(
        name="Le Comptoir de l'Îlot",
        address="Centre commercial Cœur de Vie, 62100 Calais",
        opening_hours="Du mardi au samedi, 10 h – 19 h",
        latitude="50.951500",
        longitude="1.856000",
    )
    FeeRule.objects.create(mode="home", fee="4.90")
    DeliverySlotFactory(capacity=8)
    return [bakery, butcher, cheese]


def fits(page):
    assert horizontal_overflow(page) == 0, page.url


def add_first_result(page, query):
    page.goto(page.base_url + "/boutique/")
    fits(page)
    page.get_by_label("Rechercher un produit ou un commerce").fill(query)
    page.get_by_role("button", name="Rechercher").first.click()
    page.wait_for_url(re.compile(r"/boutique/produits/"))
    fits(page)
    page.get_by_role("button", name=re.compile("^Ajouter")).first.click()
    page.get_by_text("ajouté au panier").wait_for()


def sign_in(page, email, password=PASSWORD):
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe :", exact=True).fill(password)
    page.get_by_role("button", name="Connexion").click()


def test_a_visitor_orders_from_three_shops_and_each_shop_accepts(phone, page, shops):
    shopper = UserFactory(email="camille@exemple.fr", phone="06 12 34 56 78")

    add_first_result(phone, "pate")
    add_first_result(phone, "TARTE")
    add_first_result(phone, "maroilles")

    phone.get_by_role("link", name=re.compile("Mon panier")).click()
    fits(phone)
    for shop in shops:
        assert phone.get_by_role("heading", name=shop.name).is_visible()
    quantity = phone.get_by_label(re.compile("Quantité — Pâté de campagne"))
    quantity.fill("3")
    quantity.dispatch_event("change")
    phone.get_by_text("22,50").first.wait_for()

    phone.get_by_role("link", name="Commander").click()
    phone.wait_for_url(re.compile(r"/comptes/login/"))
    fits(phone)
    sign_in(phone, shopper.email)
    phone.wait_for_url(re.compile(r"/boutique/commande/"))
    fits(phone)
    assert phone.get_by_text("5 articles").is_visible()

    phone.get_by_label("Adresse de livraison").fill("Route de Boulogne, 62231 Sangatte")
    phone.get_by_label("Créneau de livraison").select_option(index=1)
    phone.get_by_role("button", name="Voir le récapitulatif").click()
    assert phone.get_by_text(re.compile("nos vélos-cargos livrent jusqu'à 3 km")).is_visible()
    assert phone.get_by_text("Le Comptoir de l'Îlot").first.is_visible()
    fits(phone)

    phone.get_by_label("Adresse de livraison").fill("18 rue Mollien, 62100 Calais")
    phone.get_by_label("Créneau de livraison").select_option(index=1)
    phone.get_by_role("button", name="Voir le récapitulatif").click()
    phone.get_by_role("heading", name="Récapitulatif de la commande").wait_for()
    assert phone.get_by_text("4,90").first.is_visible()
    fits(phone)
    phone.get_by_role("button", name="Confirmer la commande").click()
    phone.get_by_text("Votre commande").first.wait_for()
    fits(phone)
    number = re.search(r"/boutique/commandes/([\w-]+)/", phone.url).group(1)

    for shop in shops:
        page.goto(page.base_url + "/comptes/login/")
        sign_in(page, shop.owner.email)
        page.wait_for_url(page.base_url + "/")
        page.goto(f"{page.base_url}/commercant/{shop.slug}/commandes/")
        assert page.get_by_text(f"Commande {number}").is_visible()
        page.get_by_role("button", name=f"Accepter {number}").click()
        page.get_by_text(f"Commande {number} acceptée.").wait_for()
        page.context.clear_cookies()

    phone.reload()
    assert phone.get_by_text("En préparation").first.is_visible()
    assert phone.locator(".timeline li").count() == 4


def test_the_merchant_queue_and_product_pages_fit_a_phone(phone, shops):
    owner = shops[0].owner
    phone.goto(phone.base_url + "/comptes/login/")
    sign_in(phone, owner.email)
    phone.wait_for_url(phone.base_url + "/")
    for path in ("", "commandes/", "produits/", "ventes/", "equipe/", "accompagnement/"):
        phone.goto(f"{phone.base_url}/commercant/{shops[0].slug}/{path}")
        assert phone.get_by_role("heading", level=1).is_visible()
        fits(phone)
