"""axe-core finds no serious or critical violation on the shop's pages, for every audience."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from hub.roles import Role
from tests.delivery.factories import DeliverySlotFactory, RelayPointFactory
from tests.hub.factories import PASSWORD, StaffFactory, UserFactory
from tests.shop.factories import MerchantFactory, ProductFactory, place

pytestmark = pytest.mark.django_db(transaction=True)

axe = Axe()


def serious(page) -> list[str]:
    results = axe.run(page)
    return [
        f"{violation['id']}: {violation['help']} ({page.url})"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def sign_in(page, email):
    page.goto(page.base_url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe :", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(page.base_url + "/")


def test_shop_pages_pass_axe(page):
    from django.contrib.auth.models import Group

    Group.objects.get_or_create(name=Role.MODERATION)
    product = ProductFactory(name="Pâté de campagne")
    merchant = product.merchant
    MerchantFactory(name="En attente", status="pending", applicant=UserFactory())
    RelayPointFactory()
    slot = DeliverySlotFactory()
    shopper = UserFactory(phone="0612345678")
    order = place(shopper, (product, 1), slot=slot.pk)
    part = order.merchant_orders.get()

    problems = []
    public = [
        "/boutique/",
        "/boutique/produits/?q=pate",
        merchant.get_absolute_url(),
        product.get_absolute_url(),
        "/boutique/panier/",
    ]
    for path in public:
        page.goto(page.base_url + path)
        problems += serious(page)

    sign_in(page, shopper.email)
    page.goto(page.base_url + product.get_absolute_url())
    page.get_by_role("button", name="Ajouter").first.click()
    page.get_by_text("ajouté au panier").wait_for()
    for path in [
        "/boutique/panier/",
        "/boutique/commande/",
        "/boutique/commandes/",
        order.get_absolute_url(),
        f"/boutique/commandes/{order.number}/recu/{part.pk}/",
        "/boutique/vendre/",
    ]:
        page.goto(page.base_url + path)
        problems += serious(page)
    page.goto(page.base_url + "/boutique/commande/")
    page.get_by_role("button", name="Voir le récapitulatif").click()
    problems += serious(page)
    page.context.clear_cookies()

    sign_in(page, merchant.owner.email)
    for path in [
        "",
        "commandes/",
        "produits/",
        "produits/nouveau/",
        f"produits/{product.pk}/",
        "ventes/",
        "equipe/",
        "accompagnement/",
    ]:
        page.goto(f"{page.base_url}/commercant/{merchant.slug}/{path}")
        problems += serious(page)
    page.context.clear_cookies()

    sign_in(page, StaffFactory(roles=[Role.MODERATION]).email)
    page.goto(page.base_url + "/boutique/moderation/demandes/")
    problems += serious(page)

    assert problems == []
