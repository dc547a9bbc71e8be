"""Uploaded pictures: decoded to the last pixel, and refused above a phone photo's pixel count
from the header alone."""

import pytest
from django.core.exceptions import ValidationError
from PIL import ImageFile

from hub.images import validate_image
from tests.hub.images import corrupt_png, huge_png, transparent_png


def test_a_png_whose_data_cannot_be_decoded_is_refused():
    with pytest.raises(ValidationError, match="pas une image lisible"):
        validate_image(corrupt_png())


def test_an_image_above_the_pixel_budget_is_refused_before_decoding(monkeypatch):
    def no_decoding(image):
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)

    with pytest.raises(ValidationError, match="trop de pixels"):
        validate_image(huge_png(9500))


def test_a_phone_sized_header_is_not_refused_for_its_pixels():
    with pytest.raises(ValidationError) as refusal:
        validate_image(huge_png(6000))  # 36 MP: its (fake) data is what fails

    assert "pixels" not in refusal.value.messages[0]


def test_a_readable_transparent_png_passes():
    validate_image(transparent_png())
