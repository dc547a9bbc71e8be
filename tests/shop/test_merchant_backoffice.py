"""The merchant back-office: members only; products, photos, CSV, order queue, sales, team."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from shop import services
from shop.models import MemberRole, MerchantMember, Product
from shop.services import save_product
from tests.hub.factories import UserFactory
from tests.hub.images import corrupt_png, huge_png
from tests.shop.factories import MerchantFactory, ProductFactory, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant():
    return MerchantFactory(name="Boucherie Lafayette")


@pytest.fixture
def owner_client(client, merchant):
    client.force_login(merchant.owner)
    return client


def url(name, merchant, *args):
    return reverse(f"shop:{name}", args=[merchant.slug, *args])


def jpeg(size=(1200, 900), exif=False) -> SimpleUploadedFile:
    image = Image.new("RGB", size, "#9b2226")
    output = BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "Appareil secret"  # Make
        image.save(output, format="JPEG", exif=data)
    else:
        image.save(output, format="JPEG")
    return SimpleUploadedFile("photo.jpg", output.getvalue(), content_type="image/jpeg")


PRODUCT = {
    "name": "Potjevleesch",
    "description": "Terrine flamande",
    "category": "meat",
    "price": "3,20",
    "vat_rate": "5.5",
    "unit": "100g",
    "stock": "12",
    "weight_grams": "100",
    "is_active": "on",
    "labels_choice": ["local", "fait_main"],
}


@pytest.mark.parametrize(
    "name", ["merchant_dashboard", "merchant_products", "merchant_orders", "merchant_sales"]
)
def test_other_users_get_404_on_a_shops_back_office(client, merchant, name):
    client.force_login(UserFactory())
    assert client.get(url(name, merchant)).status_code == 404
    client.force_login(MerchantFactory().owner)
    assert client.get(url(name, merchant)).status_code == 404


def test_visitors_are_sent_to_sign_in(client, merchant):
    response = client.get(url("merchant_dashboard", merchant))
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


def test_a_member_creates_a_product_with_a_photo_without_its_metadata(owner_client, merchant):
    response = owner_client.post(
        url("merchant_product_create", merchant), {**PRODUCT, "photo_upload": jpeg(exif=True)}
    )

    assert response.status_code == 302
    product = Product.objects.get(name="Potjevleesch")
    assert str(product.price) == "3.20" and product.stock == 12
    assert product.label_list == ["local", "fait_main"]
    with Image.open(product.photo.path) as stored:
        assert not stored.getexif()
    with Image.open(product.photo_list.path) as small:
        assert small.size == (480, 360)
    with Image.open(product.photo_detail.path) as large:
        assert large.size == (960, 720)


def test_a_form_sent_back_with_errors_has_a_summary_and_keeps_the_photo(
    owner_client, merchant, settings
):
    create = url("merchant_product_create", merchant)
    refused = owner_client.post(create, {**PRODUCT, "price": "", "photo_upload": jpeg()})

    assert refused.status_code == 400
    page = refused.content.decode()
    start = page.index('class="error-summary"')
    summary = page[start : page.index("</ul>", start)]
    assert 'role="alert"' in summary and 'href="#id_price"' in summary
    token = refused.context["pending_photo"]
    assert token and f'name="pending_photo" value="{token}"' in page
    kept = list((settings.MEDIA_ROOT / "produits" / "en-attente").iterdir())
    assert len(kept) == 1

    saved = owner_client.post(create, {**PRODUCT, "pending_photo": token})

    assert saved.status_code == 302
    product = Product.objects.get(name="Potjevleesch")
    assert product.photo and product.photo_list and product.photo_detail
    assert not kept[0].exists()


def test_a_kept_photo_of_another_shop_is_not_taken(owner_client, merchant):
    other = MerchantFactory()
    token = services.keep_pending_photo(other, jpeg())

    response = owner_client.post(
        url("merchant_product_create", merchant), {**PRODUCT, "pending_photo": token}
    )

    assert response.status_code == 302
    assert not Product.objects.get(name="Potjevleesch").photo
    assert services.pending_photo(merchant, token) is None
    assert services.pending_photo(merchant, "forged") is None


def test_the_stock_help_agrees_with_the_made_to_order_box(owner_client, merchant):
    page = owner_client.get(url("merchant_product_create", merchant)).content.decode()

    assert "Laissez vide pour un produit fait à la commande" not in page
    assert "cochez la case ci-dessous" in page
    assert page.index('id="id_stock"') < page.index('id="id_made_to_order"')
    assert page.index('id="id_made_to_order"') < page.index('id="id_weight_grams"')


def test_a_fake_image_is_refused(owner_client, merchant):
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 'hello'; ?>", content_type="image/jpeg")
    response = owner_client.post(
        url("merchant_product_create", merchant), {**PRODUCT, "photo_upload": fake}
    )
    assert response.status_code == 400
    assert not Product.objects.exists()


def test_an_oversized_image_is_refused(owner_client, merchant):
    small = jpeg().read()
    padded = SimpleUploadedFile(
        "photo.jpg", small + b"\0" * (10 * 1024 * 1024), content_type="image/jpeg"
    )
    response = owner_client.post(
        url("merchant_product_create", merchant), {**PRODUCT, "photo_upload": padded}
    )
    assert response.status_code == 400
    assert "10 Mo" in response.content.decode()
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("price", "-2"), ("vat_rate", "7"), ("stock", "-1"), ("unit", "litre")]
)
def test_bad_product_input_is_refused(owner_client, merchant, field, value):
    response = owner_client.post(
        url("merchant_product_create", merchant), {**PRODUCT, field: value}
    )
    assert response.status_code == 400
    assert not Product.objects.exists()


def test_made_to_order_products_have_no_stock(owner_client, merchant):
    owner_client.post(
        url("merchant_product_create", merchant), {**PRODUCT, "stock": "", "made_to_order": "on"}
    )
    assert Product.objects.get().stock is None


def test_a_product_can_be_taken_off_sale_and_back(owner_client, merchant):
    product = ProductFactory(merchant=merchant)
    owner_client.post(url("merchant_product_toggle", merchant, product.pk))
    product.refresh_from_db()
    assert not product.is_active
    owner_client.post(url("merchant_product_toggle", merchant, product.pk))
    product.refresh_from_db()
    assert product.is_active


def test_a_member_cannot_edit_another_shops_product(owner_client, merchant):
    other = ProductFactory()
    assert owner_client.get(url("merchant_product_edit", merchant, other.pk)).status_code == 404
    assert owner_client.post(url("merchant_product_toggle", merchant, other.pk)).status_code == 404


def csv_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("produits.csv", text.encode("utf-8"), content_type="text/csv")


HEADER = "slug;nom;description;rayon;prix_ttc;tva;unite;stock;poids_g;labels;en_vente\n"


def test_export_then_import_round_trips(owner_client, merchant):
    product = ProductFactory(merchant=merchant, name="Pâté de campagne", stock=None)
    exported = owner_client.get(url("merchant_products_export", merchant)).content.decode(
        "utf-8-sig"
    )
    assert "Pâté de campagne" in exported and ";4,50;5,5;" in exported
    changed = (
        exported.replace(";4,50;", ";4,90;") + ";Rillettes;;meat;5,00;5.5;piece;8;200;local;oui\n"
    )

    response = owner_client.post(
        url("merchant_products_import", merchant), {"file": csv_file(changed)}, follow=True
    )

    product.refresh_from_db()
    assert "1 produit(s) créé(s), 1 mis à jour" in response.content.decode()
    assert str(product.price) == "4.90" and product.stock is None
    assert merchant.products.get(name="Rillettes").label_list == ["local"]


def test_a_wrong_line_saves_nothing_and_is_reported_by_line(owner_client, merchant):
    text = (
        HEADER
        + ";Bon produit;;meat;5,00;5.5;piece;8;200;;oui\n"
        + ";Mauvais prix;;meat;gratuit;5.5;piece;8;200;;oui\n"
        + ";Mauvais label;;meat;5,00;7;piece;8;200;vegan;oui\n"
    )
    response = owner_client.post(
        url("merchant_products_import", merchant), {"file": csv_file(text)}
    )
    page = response.content.decode()

    assert response.status_code == 400
    assert "Ligne 3, prix_ttc" in page and "Ligne 4, tva" in page and "Ligne 4, labels" in page
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00garbage", b"nom,prix\nx,1\n", b"", HEADER.encode()],
)
def test_malformed_csv_files_are_refused(owner_client, merchant, content):
    upload = SimpleUploadedFile("x.csv", content, content_type="text/csv")
    response = owner_client.post(url("merchant_products_import", merchant), {"file": upload})
    assert response.status_code == 400
    assert not Product.objects.exists()


def test_the_order_queue_accepts_refuses_and_readies(owner_client, merchant, shopper, slot):
    order = place(shopper, (ProductFactory(merchant=merchant), 1), slot=slot.pk)
    part = order.merchant_orders.get()

    queue = owner_client.get(url("merchant_orders", merchant)).content.decode()
    assert order.number in queue and "Accepter" in queue and "Refuser" in queue
    owner_client.post(url("merchant_order_action", merchant, part.pk, "accepter"))
    owner_client.post(url("merchant_order_action", merchant, part.pk, "prete"))
    part.refresh_from_db()
    assert part.status == "ready"


def test_refusing_from_the_queue_needs_a_reason(owner_client, merchant, shopper, slot):
    order = place(shopper, (ProductFactory(merchant=merchant), 1), slot=slot.pk)
    part = order.merchant_orders.get()
    response = owner_client.post(url("merchant_order_refuse", merchant, part.pk), {"reason": ""})
    assert response.status_code == 400
    assert "Indiquez le motif du refus au client." in response.content.decode()
    owner_client.post(url("merchant_order_refuse", merchant, part.pk), {"reason": "Rupture"})
    part.refresh_from_db()
    assert part.status == "refused"


def test_refuse_in_the_queue_opens_a_confirmation_page_that_refuses_nothing(
    owner_client, merchant, shopper, slot
):
    order = place(shopper, (ProductFactory(merchant=merchant), 1), slot=slot.pk)
    part = order.merchant_orders.get()
    refuse_url = url("merchant_order_refuse", merchant, part.pk)

    queue = owner_client.get(url("merchant_orders", merchant)).content.decode()
    assert f'class="button button-danger" href="{refuse_url}"' in queue
    page = owner_client.get(refuse_url).content.decode()

    assert "Refuser définitivement" in page and "Motif du refus" in page
    part.refresh_from_db()
    assert part.status == "placed"


def test_a_part_already_answered_has_no_refusal_page(owner_client, merchant, shopper, slot):
    order = place(shopper, (ProductFactory(merchant=merchant), 1), slot=slot.pk)
    part = order.merchant_orders.get()
    owner_client.post(url("merchant_order_action", merchant, part.pk, "accepter"))

    response = owner_client.post(url("merchant_order_refuse", merchant, part.pk), {"reason": "x"})

    assert response.status_code == 302
    part.refresh_from_db()
    assert part.status == "accepted"


def test_another_shops_order_cannot_be_touched(owner_client, merchant, shopper, slot):
    order = place(shopper, (ProductFactory(), 1), slot=slot.pk)
    part = order.merchant_orders.get()
    response = owner_client.post(url("merchant_order_action", merchant, part.pk, "accepter"))
    assert response.status_code == 404
    assert owner_client.get(url("merchant_order_refuse", merchant, part.pk)).status_code == 404


@pytest.mark.parametrize("size", [2, 12])
def test_the_order_queue_runs_a_constant_number_of_queries(
    owner_client, merchant, shopper, slot, size, django_assert_max_num_queries
):
    slot.capacity = 50
    slot.save()
    for n in range(size):
        place(shopper, (ProductFactory(merchant=merchant), 2), slot=slot.pk, key=f"k{n}")
    with django_assert_max_num_queries(9):
        page = owner_client.get(url("merchant_orders", merchant))
    assert page.content.decode().count("Accepter<span") == size
    with django_assert_max_num_queries(9):
        assert owner_client.get(url("merchant_dashboard", merchant)).status_code == 200


def test_the_dashboard_lists_low_stock(owner_client, merchant):
    ProductFactory(merchant=merchant, name="Presque fini", stock=1)
    ProductFactory(merchant=merchant, name="Bien garni", stock=50)
    page = owner_client.get(url("merchant_dashboard", merchant)).content.decode()
    assert "Presque fini" in page and "Bien garni" not in page


def test_monthly_sales_with_csv_export(owner_client, merchant, shopper, slot):

    order = place(
        shopper, (ProductFactory(merchant=merchant, vat_rate="20", price="12.00"), 2), slot=slot.pk
    )
    services.accept_part(order.merchant_orders.get())

    page = owner_client.get(url("merchant_sales", merchant)).content.decode()
    export = owner_client.get(url("merchant_sales_export", merchant)).content.decode("utf-8-sig")

    assert "24,00\xa0€" in page and "20,00\xa0€" in page and "4,00\xa0€" in page
    assert ";1;24,00;20,00;4,00;0,00;0,00;0,00;0,00;20,00;4,00" in export


def test_monthly_sales_split_vat_by_rate_as_the_receipts_do(owner_client, merchant, shopper, slot):

    pate = ProductFactory(merchant=merchant, vat_rate="5.5", price="2.45")
    knife = ProductFactory(merchant=merchant, vat_rate="20", price="12.00")
    orders = [
        place(shopper, (pate, 1), (knife, 1), key="k1", slot=slot.pk),
        place(shopper, (pate, 1), key="k2", slot=slot.pk),
        place(shopper, (pate, 1), key="k3", slot=slot.pk),
    ]
    parts = [order.merchant_orders.get() for order in orders]
    for part in parts:
        services.accept_part(part)

    export = owner_client.get(url("merchant_sales_export", merchant)).content.decode("utf-8-sig")
    page = owner_client.get(url("merchant_sales", merchant)).content.decode()

    header = export.splitlines()[0]
    assert header.endswith(
        "Total HT à 5,5 %;TVA à 5,5 %;Total HT à 10 %;TVA à 10 %;Total HT à 20 %;TVA à 20 %"
    )
    # Three receipts of 2,45 € at 5,5 % give 2,32 € + 0,13 € each: 6,96 € + 0,39 €, where
    # splitting the month's 7,35 € at once would give 6,97 € + 0,38 €.
    assert ";3;19,35;16,96;2,39;6,96;0,39;0,00;0,00;10,00;2,00" in export
    receipts_vat = sum(row["vat"] for part in parts for row in part.vat_breakdown())
    assert receipts_vat == Decimal("2.39")
    assert "TVA par taux" in page and "6,96\xa0€" in page and "0,39\xa0€" in page


def test_an_owner_adds_and_removes_staff_by_email(owner_client, merchant):
    colleague = UserFactory(email="vendeuse@exemple.fr")
    owner_client.post(url("merchant_members", merchant), {"email": "VENDEUSE@exemple.fr"})
    member = MerchantMember.objects.get(user=colleague)
    assert member.role == MemberRole.STAFF

    unknown = owner_client.post(url("merchant_members", merchant), {"email": "inconnu@exemple.fr"})
    assert unknown.status_code == 400 and "Aucun compte" in unknown.content.decode()

    owner_client.post(url("merchant_member_remove", merchant, member.pk))
    assert not MerchantMember.objects.filter(user=colleague).exists()


def test_staff_members_cannot_manage_the_team(client, merchant):
    staff = UserFactory()
    MerchantMember.objects.create(merchant=merchant, user=staff, role=MemberRole.STAFF)
    client.force_login(staff)
    assert client.post(url("merchant_members", merchant), {"email": staff.email}).status_code == 403
    owner_member = MerchantMember.objects.get(user=merchant.owner)
    client.post(url("merchant_member_remove", merchant, owner_member.pk))
    assert MerchantMember.objects.filter(pk=owner_member.pk).exists()


def test_the_last_owner_cannot_be_removed(owner_client, merchant):
    own = MerchantMember.objects.get(user=merchant.owner)
    response = owner_client.post(url("merchant_member_remove", merchant, own.pk), follow=True)
    assert "au moins un" in response.content.decode()
    assert MerchantMember.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize(
    ("photo", "message"),
    [(corrupt_png, "une image lisible"), (huge_png, "trop de pixels")],
    ids=["corrupt deflate stream", "9500 x 9500 pixels"],
)
def test_a_photo_that_cannot_be_used_saves_no_product_even_when_sent_twice(
    owner_client, merchant, photo, message
):
    for _attempt in range(2):
        response = owner_client.post(
            url("merchant_product_create", merchant), {**PRODUCT, "photo_upload": photo()}
        )

        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Product.objects.exists()


def test_the_product_its_photo_and_renditions_are_saved_together_or_not_at_all(merchant):
    product = ProductFactory.build(merchant=merchant, name="Welsh")

    with pytest.raises(ValidationError):
        save_product(product, corrupt_png())

    assert not Product.objects.exists()
    assert product.pk is None
    save_product(product, jpeg())
    assert Product.objects.get().photo_detail
