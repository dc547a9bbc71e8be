"""A product photo changed in the admin goes through the catalogue service, as a shop's does:
checked (French messages), without its metadata, with new list and detail renditions, the
replaced files deleted after commit; the catalogue pages show the new renditions at once."""

from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from hub.services import Role
from shop import services
from shop.models import Product
from tests.hub.factories import StaffFactory, UserFactory
from tests.hub.images import corrupt_png, huge_png
from tests.shop.factories import MerchantFactory, ProductFactory

pytestmark = pytest.mark.django_db

RED, BLUE = (155, 34, 38), (0, 95, 115)


def jpeg(colour=RED, gps=False) -> SimpleUploadedFile:
    image = Image.new("RGB", (1200, 900), colour)
    output = BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {2: (50.0, 57.0, 0.0)}  # GPS latitude
        image.save(output, format="JPEG", exif=exif)
    else:
        image.save(output, format="JPEG")
    return SimpleUploadedFile("IMG_0001.jpg", output.getvalue(), content_type="image/jpeg")


def files(product: Product) -> list[str]:
    return [product.photo.name, product.photo_list.name, product.photo_detail.name]


def stored(names: list[str]) -> list[bool]:
    return [default_storage.exists(name) for name in names]


def content(name: str) -> bytes:
    with default_storage.open(name) as handle:
        return handle.read()


def centre_colour(name: str) -> tuple[int, int, int]:
    with default_storage.open(name) as handle, Image.open(handle) as image:
        return image.convert("RGB").getpixel((image.width // 2, image.height // 2))


def near(colour, expected) -> bool:
    return all(abs(a - b) <= 8 for a, b in zip(colour, expected, strict=True))


def change_url(product: Product) -> str:
    return reverse("admin:shop_product_change", args=[product.pk])


def form_data(product: Product, **changes) -> dict:
    """The admin's change form as sent back unchanged, plus ``changes``."""
    return {
        "merchant": product.merchant_id,
        "name": product.name,
        "slug": product.slug,
        "description": product.description,
        "category": product.category,
        "price": str(product.price),
        "vat_rate": str(product.vat_rate),
        "unit": product.unit,
        "stock": product.stock,
        "weight_grams": product.weight_grams,
        "is_active": "on",
        "label_rows-TOTAL_FORMS": "0",
        "label_rows-INITIAL_FORMS": "0",
        **changes,
    }


@pytest.fixture
def product(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.save_product(ProductFactory.build(merchant=MerchantFactory()), jpeg())


@pytest.fixture(params=["moderation", "superuser"])
def staff_client(request, client, admin_user):
    user = admin_user if request.param == "superuser" else StaffFactory(roles=[Role.MODERATION])
    client.force_login(user)
    return client


def test_a_new_photo_from_the_admin_gets_new_renditions_and_the_old_files_go_after_commit(
    staff_client, product, django_capture_on_commit_callbacks
):
    old = files(product)
    old_contents = [content(name) for name in old]

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            change_url(product), form_data(product, photo_upload=jpeg(BLUE))
        )
        assert stored(old) == [True, True, True]  # not before the commit

    assert response.status_code == 302
    product.refresh_from_db()
    new = files(product)
    assert all(new) and set(new).isdisjoint(old)
    assert stored(new) == [True, True, True]
    assert [content(name) for name in new] != old_contents
    assert all(near(centre_colour(name), BLUE) for name in new)
    with default_storage.open(new[1]) as small, Image.open(small) as image:
        assert image.size == (480, 360)
    with default_storage.open(new[2]) as large, Image.open(large) as image:
        assert image.size == (960, 720)
    assert stored(old) == [False, False, False]


def test_the_catalogue_shows_the_renditions_of_a_photo_changed_in_the_admin_at_once(
    admin_client, product
):
    shop_page, product_page = product.merchant.get_absolute_url(), product.get_absolute_url()
    visitor = Client()
    assert product.photo_list.url in visitor.get(shop_page).content.decode()
    assert product.photo_detail.url in visitor.get(product_page).content.decode()
    old_list, old_detail = product.photo_list.url, product.photo_detail.url

    admin_client.post(change_url(product), form_data(product, photo_upload=jpeg(BLUE)))

    product.refresh_from_db()
    shop_html, product_html = (
        visitor.get(page).content.decode() for page in [shop_page, product_page]
    )
    assert product.photo_list.url in shop_html and old_list not in shop_html
    assert product.photo_detail.url in product_html and old_detail not in product_html


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("photo.jpg", b"<?php echo 'hello'; ?>", "image/jpeg"),
            "Ce fichier n'est pas une image lisible (JPEG, PNG ou WebP).",
        ),
        (corrupt_png, "Ce fichier n'est pas une image lisible (JPEG, PNG ou WebP)."),
        (huge_png, "L'image compte trop de pixels (40 millions au plus) : réduisez-la."),
    ],
    ids=["not-an-image", "corrupt", "too-many-pixels"],
)
def test_a_file_that_cannot_be_a_photo_is_refused_in_french_and_nothing_changes(
    admin_client, product, upload, message, django_capture_on_commit_callbacks
):
    old = files(product)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            change_url(product), form_data(product, name="Nouveau nom", photo_upload=upload())
        )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo_upload"] == [message]
    unchanged = Product.objects.get(pk=product.pk)
    assert unchanged.name == product.name
    assert files(unchanged) == old
    assert stored(old) == [True, True, True]


def test_a_photo_with_gps_metadata_is_stored_without_it(admin_client, product):
    admin_client.post(change_url(product), form_data(product, photo_upload=jpeg(gps=True)))

    product.refresh_from_db()
    for name in files(product):
        with default_storage.open(name) as handle, Image.open(handle) as stored_image:
            assert not stored_image.getexif()


def test_ticking_clear_takes_the_photo_and_renditions_off_and_their_files_go_after_commit(
    admin_client, product, django_capture_on_commit_callbacks
):
    old = files(product)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            change_url(product), form_data(product, **{"photo_upload-clear": "on"})
        )
        assert stored(old) == [True, True, True]

    assert response.status_code == 302
    assert files(Product.objects.get(pk=product.pk)) == ["", "", ""]
    assert stored(old) == [False, False, False]


def test_saving_other_fields_keeps_the_photo_and_its_files(admin_client, product):
    old = files(product)

    admin_client.post(change_url(product), form_data(product, name="Nouveau nom"))

    saved = Product.objects.get(pk=product.pk)
    assert saved.name == "Nouveau nom"
    assert files(saved) == old and stored(old) == [True, True, True]


def test_a_product_added_in_the_admin_with_a_photo_gets_its_renditions(admin_client):
    merchant = MerchantFactory()
    draft = ProductFactory.build(merchant=merchant, name="Potjevleesch", slug="potjevleesch")

    response = admin_client.post(
        reverse("admin:shop_product_add"), form_data(draft, photo_upload=jpeg(gps=True))
    )

    assert response.status_code == 302
    added = Product.objects.get(merchant=merchant, slug="potjevleesch")
    assert all(files(added)) and stored(files(added)) == [True, True, True]
    with default_storage.open(added.photo.name) as handle, Image.open(handle) as stored_image:
        assert not stored_image.getexif()


def test_the_renditions_are_shown_read_only_and_cannot_be_sent(admin_client, product):
    page = admin_client.get(change_url(product)).content.decode()
    assert 'name="photo_upload"' in page and product.photo.url in page
    assert 'name="photo"' not in page
    assert 'name="photo_list"' not in page and 'name="photo_detail"' not in page
    assert product.photo_list.url in page and product.photo_detail.url in page
    old = files(product)

    admin_client.post(
        change_url(product),
        form_data(product, photo=jpeg(BLUE), photo_list=jpeg(BLUE), photo_detail=jpeg(BLUE)),
    )

    assert files(Product.objects.get(pk=product.pk)) == old


@pytest.mark.parametrize(
    "user",
    [
        lambda: StaffFactory(roles=[Role.DISPATCH]),
        lambda: StaffFactory(roles=[Role.DIRECTION]),
        lambda: UserFactory(),
    ],
    ids=["dispatch", "direction", "not-staff"],
)
def test_who_may_not_change_products_in_the_admin_cannot_change_their_photo(
    client, product, user, django_capture_on_commit_callbacks
):
    someone = user()
    client.force_login(someone)
    old = files(product)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(product), form_data(product, photo_upload=jpeg(BLUE)))

    if someone.is_staff:
        assert response.status_code == 403
    else:
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert files(Product.objects.get(pk=product.pk)) == old
    assert stored(old) == [True, True, True]
