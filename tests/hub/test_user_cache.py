"""A signed-in page reads its user from the cache (hub.user_cache), yet a deactivation, a
password changed or a role given is seen on the user's very next request."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub.demo import close_demo_accounts
from hub.models import User
from hub.remembered import forget, remembered
from hub.user_cache import _key, cached_user
from tests.hub.factories import PASSWORD, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db

WARM_PAGES = ("/", "/agenda/", "/structures/")


@pytest.fixture(autouse=True)
def _tombstones_expire_at_once(settings):
    """What the next request sees once the tombstones of a change (REMEMBERED_TOMBSTONE_SECONDS)
    have expired; their own protection is tested below with their usual life."""
    settings.REMEMBERED_TOMBSTONE_SECONDS = 0


def user_cache():
    return caches[getattr(django_settings, "SESSION_CACHE_ALIAS", "default")]


def signed_in(client) -> bool:
    return client.get(reverse("account_email")).status_code == 200


def queries_of(client, path: str) -> list[str]:
    client.get(path)  # the page's cached copy, the user's row and menu are kept from here
    with CaptureQueriesContext(connection) as page:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in page.captured_queries]


@pytest.mark.parametrize("structures", [2, 30])
def test_a_signed_in_warm_public_page_runs_no_query_at_any_size(client, structures):
    StructureFactory.create_batch(structures)
    client.force_login(UserFactory())

    for path in WARM_PAGES:
        assert queries_of(client, path) == [], path


def test_a_deactivated_user_is_signed_out_on_their_next_request(client):
    user = UserFactory()
    client.force_login(user)
    assert signed_in(client)

    user.is_active = False
    user.save()

    assert not signed_in(client)
    assert "Se connecter" in client.get("/agenda/").content.decode()


def test_a_deleted_user_is_signed_out_on_their_next_request(client):
    user = UserFactory()
    client.force_login(user)
    assert signed_in(client)

    user.delete()

    assert not signed_in(client)


def test_a_password_changed_elsewhere_signs_out_the_other_sessions(client):
    user = UserFactory()
    client.force_login(user)
    assert signed_in(client)

    user.set_password("un-autre-mot-de-passe-99")
    user.save()

    assert not signed_in(client)


def test_changing_ones_password_keeps_this_session_and_ends_the_others(client):
    user = UserFactory()
    other_device = Client()
    other_device.force_login(user)
    client.force_login(user)
    assert signed_in(client) and signed_in(other_device)

    answer = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "Nouveau-mot-2-passe!",
            "password2": "Nouveau-mot-2-passe!",
        },
    )

    assert answer.status_code == 302
    assert signed_in(client)
    assert not signed_in(other_device)
    user.refresh_from_db()
    assert user.check_password("Nouveau-mot-2-passe!")


def test_a_role_or_staff_flag_given_opens_the_pages_at_once(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 302

    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="direction"))

    assert client.get(reverse("admin:index")).status_code == 200


def test_closing_the_demo_accounts_in_bulk_signs_them_out(client):
    demo = UserFactory(email="cip@demo.anima-calais.fr")
    client.force_login(demo)
    assert signed_in(client)

    close_demo_accounts()  # a bulk update(): no signal

    assert not signed_in(client)


def test_the_cache_never_holds_a_password_hash(client):
    user = UserFactory()
    client.force_login(user)
    signed_in(client)

    entry = user_cache().get(_key(user.pk))

    assert entry is not None and "password" not in entry["names"]
    assert user.password not in repr(entry)


def test_a_cached_user_reads_its_password_from_the_database_only_when_asked():
    user = UserFactory()
    cached_user(user.pk)  # stored

    with CaptureQueriesContext(connection) as reads:
        again = cached_user(user.pk)
        assert again.email == user.email and again.is_active
    assert reads.captured_queries == []
    with CaptureQueriesContext(connection) as reads:
        assert again.check_password(PASSWORD)  # the deferred password, read now
    assert len(reads.captured_queries) == 1


def test_an_unknown_user_is_none_and_not_remembered():
    assert cached_user(987654) is None
    assert user_cache().get(_key(987654)) is None


def test_a_value_read_before_a_change_is_not_stored_over_it(settings):
    """The interleaving of a request that read the old row while another saved the new one:
    the late store finds the tombstone, so the next request reads the change."""
    settings.REMEMBERED_TOMBSTONE_SECONDS = 10
    key = "test:remembered:race"
    old_read_in_flight = "old row"

    forget([key])  # the change (saved, then committed)
    served = remembered(key, lambda: old_read_in_flight, 60)  # the slow request stores late

    assert served == "old row"  # it serves what it read, as without any cache
    assert remembered(key, lambda: "new row", 60) == "new row"


def test_a_value_is_computed_once_then_served_from_the_cache():
    key = "test:remembered:once"
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert [remembered(key, compute, 60) for _ in range(3)] == [1, 1, 1]
    forget([key])
    assert remembered(key, compute, 60) == 2


def test_the_session_still_decides_the_user():
    """The cache holds rows, never who is signed in: a forged session cookie is nobody."""
    user = UserFactory()
    cached_user(user.pk)
    stranger = Client()
    stranger.cookies[django_settings.SESSION_COOKIE_NAME] = "x" * 32

    assert not signed_in(stranger)
    assert User.objects.filter(pk=user.pk).exists()


def test_a_role_given_or_taken_in_any_direction_shows_at_once(client):
    user = UserFactory()
    counsellors = Group.objects.get(name="cip")
    client.force_login(user)
    caseload = reverse("insertion:caseload")
    assert client.get(caseload).status_code == 403

    counsellors.user_set.add(user)
    assert client.get(caseload).status_code == 200

    user.groups.remove(counsellors)
    assert client.get(caseload).status_code == 403

    user.groups.add(counsellors)
    assert client.get(caseload).status_code == 200
    counsellors.user_set.clear()
    assert client.get(caseload).status_code == 403


def test_a_signed_in_staff_page_reads_the_roles_from_the_cache(client):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="direction"))
    client.force_login(user)

    read = " ".join(queries_of(client, "/impact/"))

    assert "auth_group" not in read and "hub_user" not in read


def test_the_menu_carried_by_the_cached_user_follows_a_shop_membership_at_once(client):
    from tests.shop.factories import MerchantFactory

    user = UserFactory()
    client.force_login(user)
    back_office = reverse("shop:merchant_home")
    assert back_office not in client.get("/structures/").content.decode()
    assert queries_of(client, "/structures/") == []  # user and menu from the cache

    shop = MerchantFactory(owner=user)
    assert back_office in client.get("/structures/").content.decode()

    shop.members.all().delete()
    assert back_office not in client.get("/structures/").content.decode()


def test_a_logout_ends_the_session_though_the_user_stays_cached(client):
    user = UserFactory()
    client.force_login(user)
    assert signed_in(client)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    client.post(reverse("account_logout"))

    assert not signed_in(client)
    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = cookie
    assert not signed_in(replay)


def test_signing_in_gives_a_new_session_key(client):
    from tests.shop.factories import ProductFactory

    user = UserFactory()
    client.post(reverse("shop:basket_add"), {"product": ProductFactory().pk, "quantity": 1})
    before = client.cookies[django_settings.SESSION_COOKIE_NAME].value  # a visitor's basket

    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert signed_in(client)
    assert client.cookies[django_settings.SESSION_COOKIE_NAME].value != before
