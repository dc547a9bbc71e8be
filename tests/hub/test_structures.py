"""The directory of member structures and their pages."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hub.models import StructureKind
from tests.hub.factories import StructureFactory

pytestmark = pytest.mark.django_db


def image_file(name="logo.png", image_format="PNG", size=(64, 64)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, "#0f5c4d").save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def test_the_directory_lists_published_structures_only(client):
    StructureFactory(name="Galilée", slug="galilee")
    StructureFactory(name="Brouillon", slug="brouillon", is_published=False)

    html = client.get("/structures/").content.decode()

    assert "Galilée" in html
    assert "Brouillon" not in html


def test_the_directory_filters_by_kind(client):
    StructureFactory(name="ADLC", kind=StructureKind.SIAE)
    StructureFactory(name="Galilée", kind=StructureKind.ASSOCIATION)

    html = client.get("/structures/?type=siae").content.decode()

    assert "ADLC" in html
    assert "Galilée" not in html


def test_an_unknown_kind_filter_shows_everything(client):
    StructureFactory(name="ADLC", kind=StructureKind.SIAE)
    assert "ADLC" in client.get("/structures/?type=n-importe-quoi").content.decode()


def test_a_structure_page_shows_its_contact(client):
    StructureFactory(
        name="Opale Vélo Services",
        slug="opale-velo-services",
        phone="03 21 00 00 00",
        website="https://opale-velo.example",
        email="contact@opale-velo.example",
    )

    html = client.get("/structures/opale-velo-services/").content.decode()

    assert "<h1>Opale Vélo Services</h1>" in html
    assert 'href="tel:+33321000000">03 21 00 00 00</a>' in html
    assert "contact@opale-velo.example" in html


def test_an_unpublished_structure_page_is_not_found(client):
    StructureFactory(slug="brouillon", is_published=False)
    assert client.get("/structures/brouillon/").status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_directory_runs_a_constant_number_of_queries(
    client, count, django_assert_max_num_queries
):
    StructureFactory.create_batch(count)
    with django_assert_max_num_queries(4):
        assert client.get("/structures/").status_code == 200


def test_a_logo_must_be_a_real_image():
    structure = StructureFactory.build(logo=SimpleUploadedFile("logo.png", b"pas une image"))

    with pytest.raises(ValidationError) as error:
        structure.full_clean()
    assert "n'est pas une image lisible" in str(error.value)


def test_a_logo_in_an_accepted_format_passes():
    structure = StructureFactory.build(logo=image_file())
    structure.full_clean()


def test_a_gif_logo_is_refused():
    structure = StructureFactory.build(logo=image_file("logo.gif", "GIF"))

    with pytest.raises(ValidationError) as error:
        structure.full_clean()
    assert "JPEG, PNG ou WebP" in str(error.value)
