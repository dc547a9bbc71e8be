"""The product list's pages on a 360 px phone, by keyboard, for a screen reader: next and
previous links in a named navigation, the current page announced, no sideways scroll."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import horizontal_overflow
from tests.shop.factories import MerchantFactory, ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_shopper_pages_through_products_by_keyboard_on_a_phone(phone, settings):
    settings.SHOP_PRODUCTS_PER_PAGE = 4
    merchant = MerchantFactory(name="Épicerie fine du Courgain")
    for n in range(10):
        ProductFactory(merchant=merchant, name=f"Confiture de rhubarbe n° {n}")

    phone.goto(phone.base_url + "/boutique/produits/")
    pages = phone.get_by_role("navigation", name="Pagination")
    assert pages.get_by_text("Page 1").is_visible()
    assert pages.get_by_role("link", name="Page précédente").count() == 0

    following = pages.get_by_role("link", name="Page suivante")
    following.focus()
    phone.keyboard.press("Enter")
    phone.wait_for_url("**apres=**")
    assert pages.get_by_text("Page 2").is_visible()
    assert phone.get_by_role("link", name="Confiture de rhubarbe n° 4").is_visible()
    assert horizontal_overflow(phone) == 0
    for link in pages.get_by_role("link").all():
        box = link.bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 360

    violations = [
        violation["id"]
        for violation in Axe().run(phone).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert violations == []

    pages.get_by_role("link", name="Page précédente").focus()
    phone.keyboard.press("Enter")
    phone.wait_for_url("**avant=**")
    assert phone.get_by_role("link", name="Confiture de rhubarbe n° 0").is_visible()
    assert pages.get_by_text("Page 1").is_visible()
