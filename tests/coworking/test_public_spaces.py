"""What the public sees of the spaces: opening hours, the Made in Calais studios and a way to
ask for one; and what a tenant sees of their lease."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from coworking.models import LeaseDocument, SpaceKind, StudioRequest
from coworking.services import opening_hours_lines
from hub.roles import Role
from tests.conftest import isolated_caches
from tests.coworking.factories import LeaseFactory, SpaceFactory, StudioFactory
from tests.hub.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

WEEK = (
    [(day, time(9), time(12)) for day in range(5)]
    + [(day, time(14), time(18, 30)) for day in range(5)]
    + [(5, time(9), time(12))]
)


def test_opening_hours_group_the_days_with_the_same_hours():
    space = SpaceFactory(hours=WEEK)

    lines = opening_hours_lines(list(space.opening_hours.all()))

    assert [(line.days, line.hours) for line in lines] == [
        ("du lundi au vendredi", "9 h – 12 h, 14 h – 18 h 30"),
        ("samedi", "9 h – 12 h"),
        ("dimanche", "fermé"),
    ]


def test_the_spaces_page_shows_each_space_s_hours_to_anybody(client):
    SpaceFactory(name="Le Lieu Commun", hours=WEEK)

    html = client.get(reverse("coworking:home")).content.decode()

    assert "Horaires d&#x27;ouverture" in html or "Horaires d'ouverture" in html
    assert "Du lundi au vendredi" in html
    assert "9 h – 12 h, 14 h – 18 h 30" in html
    assert "Dimanche" in html


@pytest.fixture
def studios():
    space = SpaceFactory(name="Made in Calais", kind=SpaceKind.STUDIOS, hours=WEEK)
    let = StudioFactory(space=space, name="Atelier Dentelle")
    free = StudioFactory(space=space, name="Atelier Bois")
    tenant = UserFactory(first_name="Rose", last_name="Vasseur")
    lease = LeaseFactory(studio=let, tenant=tenant, monthly_rent=Decimal("180.00"))
    return {"let": let, "free": free, "tenant": tenant, "lease": lease}


def test_the_studios_page_says_which_studio_is_free_without_naming_tenants(client, studios):
    response = client.get(reverse("coworking:studios"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Atelier Dentelle" in html and "Atelier Bois" in html
    assert "Libre" in html
    end = studios["lease"].end_date
    assert f"jusqu&#x27;au {end.day}" in html or f"jusqu'au {end.day}" in html
    assert "Vasseur" not in html
    assert "Du lundi au vendredi" in html
    assert reverse("account_login") in html


def test_a_signed_in_artisan_asks_for_a_studio_and_the_team_is_told(
    client, studios, django_capture_on_commit_callbacks
):
    StaffFactory(roles=[Role.COWORKING], email="espaces@exemple.fr")
    artisan = UserFactory()
    client.force_login(artisan)
    wanted = timezone.localdate() + timedelta(days=30)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("coworking:studios"),
            {
                "studio": studios["free"].pk,
                "activity": "Ébénisterie, petites séries de meubles en bois flotté.",
                "wanted_from": wanted.isoformat(),
            },
        )

    assert response.status_code == 302
    request = StudioRequest.objects.get()
    assert (request.requester, request.studio) == (artisan, studios["free"])
    assert mail.outbox[-1].to == ["espaces@exemple.fr"]
    assert "bois flotté" in mail.outbox[-1].body


def test_a_request_for_a_past_date_is_refused_and_nothing_saved(client, studios):
    client.force_login(UserFactory())

    response = client.post(
        reverse("coworking:studios"),
        {"activity": "Céramique", "wanted_from": "2020-01-01"},
    )

    assert response.status_code == 400
    assert "date à venir" in response.content.decode()
    assert not StudioRequest.objects.exists()


def test_an_anonymous_request_goes_to_the_login_page(client, studios):
    response = client.post(reverse("coworking:studios"), {"activity": "x"})

    assert response.status_code == 302
    assert not StudioRequest.objects.exists()


@pytest.fixture
def document(studios):
    document = LeaseDocument(lease=studios["lease"], title="Bail signé")
    document.file.save("bail.pdf", ContentFile(b"%PDF-1.4 bail"), save=True)
    return document


def test_the_tenant_sees_the_lease_dates_rent_and_documents(client, studios, document):
    client.force_login(studios["tenant"])

    html = client.get(reverse("coworking:my_bookings")).content.decode()

    assert "Mon atelier Made in Calais" in html
    assert "Atelier Dentelle" in html
    assert "180,00\u00a0€" in html
    assert reverse("coworking:lease_document", args=[document.pk]) in html
    download = client.get(reverse("coworking:lease_document", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "bail-signe.pdf" in download["Content-Disposition"]


def test_lease_documents_are_for_the_tenant_and_the_coworking_team_only(client, document):
    url = reverse("coworking:lease_document", args=[document.pk])

    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(StaffFactory(roles=[Role.DIRECTION]))
    assert client.get(url).status_code == 403
    client.force_login(StaffFactory(roles=[Role.COWORKING]))
    download = client.get(url)
    assert download.status_code == 200
    download.close()  # the file it streams


def test_someone_without_a_lease_sees_no_lease_section(client, studios):
    client.force_login(UserFactory())

    assert "Mon atelier" not in client.get(reverse("coworking:my_bookings")).content.decode()


@pytest.mark.parametrize("count", [2, 25])
def test_the_studios_page_runs_a_constant_number_of_queries(
    client, django_assert_max_num_queries, count
):
    space = SpaceFactory(kind=SpaceKind.STUDIOS, hours=WEEK)
    for number in range(count):
        studio = StudioFactory(space=space, name=f"Atelier {number}")
        if number % 2:
            LeaseFactory(studio=studio)

    # Studios with their leases (2), their spaces with opening hours (2), the form's list (1).
    with django_assert_max_num_queries(5):
        assert client.get(reverse("coworking:studios")).status_code == 200


def test_the_spaces_page_served_from_its_cache_reads_nothing_from_the_database(
    client, settings, django_assert_num_queries
):
    settings.CACHES = isolated_caches(settings.CACHES)
    SpaceFactory(name="Le Lieu Commun", hours=WEEK)
    first = client.get(reverse("coworking:home")).content.decode()

    with django_assert_num_queries(0):
        again = client.get(reverse("coworking:home")).content.decode()

    assert "Le Lieu Commun" in first and "Le Lieu Commun" in again
