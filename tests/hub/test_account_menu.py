"""The account menu costs a signed-in page no query, yet follows at once what decides it:
groups, staff flag, shop membership, organiser, courier profile."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub.models import StructureOrganiser
from tests.delivery.factories import CourierFactory
from tests.hub.factories import StructureFactory, UserFactory
from tests.shop.factories import MerchantFactory

pytestmark = pytest.mark.django_db

MENU_TABLES = ("shop_merchantmember", "hub_structureorganiser", "auth_group", "delivery_courier")


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


def menu(client) -> str:
    html = client.get("/structures/").content.decode()
    start = html.index('class="account-nav"')
    return html[start : html.index("</nav>", start)]


def test_a_known_menu_costs_the_page_no_query(client, person):
    assert reverse("shop:order_list") in menu(client)

    with CaptureQueriesContext(connection) as page:
        client.get("/structures/")

    read = " ".join(query["sql"] for query in page.captured_queries)
    assert not [table for table in MENU_TABLES if table in read]


def test_joining_a_shop_shows_its_back_office_at_once(client, person):
    assert reverse("shop:merchant_home") not in menu(client)

    shop = MerchantFactory(owner=person)
    assert reverse("shop:merchant_home") in menu(client)

    shop.members.all().delete()
    assert reverse("shop:merchant_home") not in menu(client)


def test_a_group_given_or_taken_shows_at_once_both_ways(client, person):
    counsellors = Group.objects.get(name="cip")
    assert reverse("insertion:caseload") not in menu(client)

    person.groups.add(counsellors)
    assert reverse("insertion:caseload") in menu(client)

    counsellors.user_set.remove(person)
    assert reverse("insertion:caseload") not in menu(client)

    counsellors.user_set.add(person)
    assert reverse("insertion:caseload") in menu(client)

    counsellors.user_set.clear()
    assert reverse("insertion:caseload") not in menu(client)


def test_the_staff_flag_shows_the_dashboard_link_at_once(client, person):
    assert reverse("hub:dashboard") not in menu(client)

    person.is_staff = True
    person.save()

    assert reverse("hub:dashboard") in menu(client)


def test_becoming_an_organiser_or_a_courier_shows_their_pages_at_once(client, person):
    assert reverse("hub:organiser_home") not in menu(client)
    assert reverse("delivery:courier") not in menu(client)

    StructureOrganiser.objects.create(structure=StructureFactory(), user=person)
    CourierFactory(user=person)

    assert reverse("hub:organiser_home") in menu(client)
    assert reverse("delivery:courier") in menu(client)


def test_another_persons_menu_is_their_own(client, person):
    MerchantFactory(owner=person)
    assert reverse("shop:merchant_home") in menu(client)

    client.force_login(UserFactory())

    assert reverse("shop:merchant_home") not in menu(client)
