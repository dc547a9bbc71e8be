"""Product photos leave the storage once nothing shows them: abandoned pending photos, the
files of a replaced photo (after commit only) and those of a deleted product."""

import os
import time
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from shop import services
from shop.models import Product
from shop.services.catalogue import (
    PENDING_PHOTO_MARGIN_SECONDS,
    PENDING_PHOTO_SECONDS,
    PENDING_PHOTOS,
)
from shop.tasks import purge_pending_photos
from tests.hub.images import corrupt_png
from tests.shop.factories import MerchantFactory, ProductFactory

pytestmark = pytest.mark.django_db


def jpeg(colour="#9b2226") -> SimpleUploadedFile:
    output = BytesIO()
    Image.new("RGB", (640, 480), colour).save(output, format="JPEG")
    return SimpleUploadedFile("photo.jpg", output.getvalue(), content_type="image/jpeg")


def files(product: Product) -> list[str]:
    return [product.photo.name, product.photo_list.name, product.photo_detail.name]


def stored(names: list[str]) -> list[bool]:
    return [default_storage.exists(name) for name in names]


def kept_photo(merchant) -> str:
    token = services.keep_pending_photo(merchant, jpeg())
    name = services.pending_photo(merchant, token)
    assert name
    return name


def age(name: str, seconds: int) -> None:
    """Date the stored file ``seconds`` back, as if it had been kept then."""
    then = time.time() - seconds
    os.utime(default_storage.path(name), (then, then))


@pytest.fixture
def product(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.save_product(ProductFactory.build(merchant=MerchantFactory()), jpeg())


def test_it_deletes_a_pending_photo_older_than_its_token_and_keeps_a_fresh_one():
    merchant = MerchantFactory()
    abandoned, fresh = kept_photo(merchant), kept_photo(merchant)
    age(abandoned, PENDING_PHOTO_SECONDS + PENDING_PHOTO_MARGIN_SECONDS + 60)
    age(fresh, PENDING_PHOTO_SECONDS - 60)

    assert services.purge_pending_photos() == 1

    assert stored([abandoned, fresh]) == [False, True]


def test_the_purge_does_without_a_pending_folder():
    assert not default_storage.exists(PENDING_PHOTOS)

    assert services.purge_pending_photos() == 0


def test_the_purge_skips_a_pending_photo_gone_while_it_runs():
    old = kept_photo(MerchantFactory())
    age(old, PENDING_PHOTO_SECONDS + PENDING_PHOTO_MARGIN_SECONDS + 60)
    # Listed, but gone when its date is read: what a form using the photo meanwhile leaves.
    os.symlink("absent.jpg", default_storage.path(f"{PENDING_PHOTOS}used-meanwhile.jpg"))

    assert services.purge_pending_photos() == 1
    assert not default_storage.exists(old)


def test_the_hourly_task_purges_through_the_service():
    old = kept_photo(MerchantFactory())
    age(old, PENDING_PHOTO_SECONDS + PENDING_PHOTO_MARGIN_SECONDS + 60)

    assert purge_pending_photos.delay().get() == 1
    assert purge_pending_photos() == 0
    assert not default_storage.exists(old)


def test_the_purge_is_scheduled_hourly():
    from hub.registry import registry

    specs = {spec.task: spec for spec in registry.periodic}
    assert specs["shop.tasks.purge_pending_photos"].every_seconds == 3600


def test_a_replaced_photo_s_three_files_go_after_commit_and_the_new_ones_stay(
    product, django_capture_on_commit_callbacks
):
    old = files(product)
    assert stored(old) == [True, True, True]

    with django_capture_on_commit_callbacks(execute=True):
        services.save_product(product, jpeg("#005f73"))
        assert stored(old) == [True, True, True]  # not before the commit

    product.refresh_from_db()
    new = files(product)
    assert set(new).isdisjoint(old)
    assert stored(old) == [False, False, False]
    assert stored(new) == [True, True, True]


def test_a_bad_replacement_photo_keeps_the_old_files(product, django_capture_on_commit_callbacks):
    old = files(product)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.save_product(product, corrupt_png())

    assert files(Product.objects.get(pk=product.pk)) == old
    assert stored(old) == [True, True, True]


def test_a_replacement_rolled_back_keeps_the_old_files(product, django_capture_on_commit_callbacks):
    old = files(product)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.set_product_photo(product, jpeg("#005f73"))
        raise RuntimeError("a later step of the same transaction failed")

    assert callbacks == []
    assert files(Product.objects.get(pk=product.pk)) == old
    assert stored(old) == [True, True, True]


def test_a_file_another_product_shows_is_kept(product, django_capture_on_commit_callbacks):
    old = files(product)
    twin = ProductFactory(merchant=product.merchant)
    Product.objects.filter(pk=twin.pk).update(photo=old[0], photo_list=old[1])

    with django_capture_on_commit_callbacks(execute=True):
        services.save_product(product, jpeg("#005f73"))

    assert stored(old) == [True, True, False]


def test_a_deleted_product_s_files_go_after_commit(product, django_capture_on_commit_callbacks):
    old = files(product)

    with django_capture_on_commit_callbacks(execute=True):
        product.delete()
        assert stored(old) == [True, True, True]

    assert stored(old) == [False, False, False]


def test_a_deleted_shop_s_product_files_go_but_not_those_another_shows(
    product, django_capture_on_commit_callbacks
):
    old = files(product)
    other = ProductFactory()
    Product.objects.filter(pk=other.pk).update(photo_detail=old[2])

    with django_capture_on_commit_callbacks(execute=True):
        product.merchant.delete()

    assert not Product.objects.filter(pk=product.pk).exists()
    assert stored(old) == [False, False, True]


def test_a_deletion_rolled_back_keeps_the_files(product, django_capture_on_commit_callbacks):
    old = files(product)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Product.objects.filter(pk=product.pk).delete()
        raise RuntimeError("rolled back")

    assert callbacks == []

    assert Product.objects.filter(pk=product.pk).exists()
    assert stored(old) == [True, True, True]
