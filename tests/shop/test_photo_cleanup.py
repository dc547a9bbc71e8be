"""Product photos leave the storage once nothing shows them: abandoned pending photos."""

import os
import time
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shop import services
from shop.services.catalogue import (
    PENDING_PHOTO_MARGIN_SECONDS,
    PENDING_PHOTO_SECONDS,
    PENDING_PHOTOS,
)
from shop.tasks import purge_pending_photos
from tests.shop.factories import MerchantFactory

pytestmark = pytest.mark.django_db


def jpeg(colour="#9b2226") -> SimpleUploadedFile:
    output = BytesIO()
    Image.new("RGB", (640, 480), colour).save(output, format="JPEG")
    return SimpleUploadedFile("photo.jpg", output.getvalue(), content_type="image/jpeg")


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
