"""The merchant's product list fits a 360 px phone: no sideways scroll, « Vente » in sight."""

import pytest

from tests.browser.conftest import PHONE, horizontal_overflow
from tests.hub.factories import PASSWORD
from tests.shop.factories import MerchantFactory, ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_product_list_shows_every_column_on_a_phone(phone):
    merchant = MerchantFactory(name="Boulangerie du Beffroi")
    for name in ["Baguette tradition", "Cookies (lot de 4)", "Tarte au sucre de Calais"]:
        ProductFactory(merchant=merchant, name=name, stock=None)
    phone.goto(phone.base_url + "/comptes/login/")
    phone.get_by_label("Courriel").fill(merchant.owner.email)
    phone.get_by_label("Mot de passe :", exact=True).fill(PASSWORD)
    phone.get_by_role("button", name="Connexion").click()
    phone.wait_for_url(phone.base_url + "/")

    phone.goto(phone.base_url + f"/commercant/{merchant.slug}/produits/")

    assert horizontal_overflow(phone) == 0
    for toggle in phone.get_by_role("button", name="Retirer de la vente").all():
        box = toggle.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
