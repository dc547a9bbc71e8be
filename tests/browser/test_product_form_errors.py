"""A product form sent back with an error: the summary takes the focus and lists the field,
the chosen photo is kept and saved with the product once the error is corrected."""

from io import BytesIO

import pytest
from PIL import Image

from shop.models import Product
from tests.hub.factories import PASSWORD
from tests.shop.factories import MerchantFactory

pytestmark = pytest.mark.django_db(transaction=True)


def jpeg() -> bytes:
    output = BytesIO()
    Image.new("RGB", (800, 600), "#9b2226").save(output, format="JPEG")
    return output.getvalue()


def test_an_error_moves_focus_to_the_summary_and_keeps_the_photo(phone):
    merchant = MerchantFactory(name="Boucherie Lafayette")
    phone.goto(phone.base_url + "/comptes/login/")
    phone.get_by_label("Courriel").fill(merchant.owner.email)
    phone.get_by_label("Mot de passe :", exact=True).fill(PASSWORD)
    phone.get_by_role("button", name="Connexion").click()
    phone.wait_for_url(phone.base_url + "/")

    phone.goto(phone.base_url + f"/commercant/{merchant.slug}/produits/nouveau/")
    phone.fill("#id_name", "Pâté de campagne")
    phone.select_option("#id_category", "meat")
    phone.select_option("#id_vat_rate", "5.5")
    phone.select_option("#id_unit", "100g")
    phone.fill("#id_stock", "12")
    phone.fill("#id_weight_grams", "100")
    phone.set_input_files(
        "#id_photo_upload", {"name": "pate.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}
    )
    phone.get_by_role("button", name="Enregistrer").click()

    phone.wait_for_function("document.activeElement.id === 'erreurs'")
    summary = phone.get_by_role("alert")
    assert "Le formulaire n'a pas été enregistré" in summary.inner_text()
    summary.get_by_role("link", name="Prix").first.click()
    phone.wait_for_function("document.activeElement.id === 'id_price'")
    assert phone.get_by_role("img", name="Photo choisie").is_visible()

    phone.fill("#id_price", "2,40")
    phone.get_by_role("button", name="Enregistrer").click()
    phone.get_by_text("est enregistré").wait_for()
    assert Product.objects.get(name="Pâté de campagne").photo_list
