"""Public pages are kept whole, layout included, for visitors without a session: served again
with no template and no query, each visitor with their own working CSRF token; never to a
signed-in member, never with someone's message, never a page that is not everyone's."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hub.account_menu import menu_key
from hub.fragments import CSRF_MARKER, page_key
from hub.whole_pages import VISITOR, kept_whole
from shop.catalogue_version import catalogue_version
from shop.models import Product
from tests.coworking.factories import SpaceFactory
from tests.hub.event_factories import EventFactory
from tests.hub.factories import StructureFactory, UserFactory
from tests.shop.factories import ProductFactory

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/structures/", "/agenda/", "/espaces/", "/impact/"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def catalogue(product) -> list[str]:
    return [
        reverse("shop:catalogue"),
        reverse("shop:product_list"),
        f"{reverse('shop:product_list')}?q=savon",
        product.merchant.get_absolute_url(),
        product.get_absolute_url(),
    ]


@pytest.fixture
def content():
    StructureFactory(name="Les Ateliers de la Citoyenneté")
    EventFactory(title="Café de l'ESS")
    SpaceFactory(name="Le Lieu Commun")
    return ProductFactory(name="Savon doux", price=Decimal("6.50"))


def served_whole(answer) -> bool:
    """Served from the kept page: nothing rendered."""
    return answer.status_code == 200 and not answer.templates


def token_of(answer) -> str:
    return TOKEN.search(answer.content.decode()).group(1)


def test_a_visitor_without_session_is_served_the_whole_page_with_no_query(
    client, content, django_assert_max_num_queries
):
    for url in PUBLIC + catalogue(content):
        first = client.get(url)
        assert first.status_code == 200 and first.templates, url

        with django_assert_max_num_queries(0):
            again = client.get(url)

        assert served_whole(again), url
        assert CSRF_MARKER not in again.content.decode(), url


def test_each_visitor_gets_their_own_token_and_it_changes_the_language(content):
    Client().get("/agenda/")  # kept by a first visitor
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    answers = [visitor.get("/agenda/") for visitor in visitors]
    assert all(served_whole(answer) for answer in answers)
    tokens = [token_of(answer) for answer in answers]
    assert tokens[0] != tokens[1]

    for visitor, token in zip(visitors, tokens, strict=True):
        switched = visitor.post(
            reverse("set_language"),
            {"language": "en", "next": "/agenda/", "csrfmiddlewaretoken": token},
        )
        assert switched.status_code == 302
        assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_token_from_another_visitors_page_is_refused(content):
    Client().get("/agenda/")
    mine, theirs = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    mine.get("/agenda/")
    their_token = token_of(theirs.get("/agenda/"))

    refused = mine.post(
        reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": their_token}
    )

    assert refused.status_code == 403


def test_a_signed_in_member_never_gets_the_page_kept_for_visitors(client, content):
    member = UserFactory(email="lea@example.org")
    signed_in = Client()
    signed_in.force_login(member)
    for url in PUBLIC + catalogue(content):
        client.get(url)  # kept for visitors without a session

        page = signed_in.get(url).content.decode()

        assert "lea@example.org" in page and "Se connecter" not in page, url


def test_a_visitor_never_gets_a_page_rendered_for_a_member(client, content):
    signed_in = Client()
    signed_in.force_login(UserFactory(email="lea@example.org"))
    for url in PUBLIC + catalogue(content):
        signed_in.get(url)
        signed_in.get(url)

        page = client.get(url).content.decode()

        assert "lea@example.org" not in page and "Se connecter" in page, url


def test_a_visitor_just_signed_out_sees_the_goodbye_message(client, content):
    Client().get("/")  # kept without any message
    client.force_login(UserFactory())
    client.post(reverse("account_logout"))

    page = client.get("/").content.decode()

    assert "Vous êtes déconnecté" in page


def greeting_kept_for_visitors(greet: bool):
    def greeting(request):
        if greet:
            messages.info(request, "Bienvenue")
        return HttpResponse("<p>Bonjour</p>")

    return kept_whole(f"test.greeting.{greet}", lambda: 60)(greeting)


@pytest.mark.parametrize("greet", [False, True])
def test_a_page_that_queued_a_message_is_not_kept(rf, greet):
    request = rf.get("/bonjour/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    with translation.override("fr"):
        greeting_kept_for_visitors(greet)(request)
        kept = cache.get(page_key(f"whole.test.greeting.{greet}", ("/bonjour/", VISITOR)))

    assert (kept is None) is greet


def test_a_new_price_shows_to_the_next_visitor(client, content):
    url = content.get_absolute_url()
    client.get(url)
    assert served_whole(client.get(url))

    Product.objects.filter(pk=content.pk).update(price=Decimal("7.20"))

    page = client.get(url).content.decode()
    assert "7,20" in page and "6,50" not in page


def test_a_whole_page_kept_at_an_older_version_is_never_served(client, content):
    url = content.get_absolute_url()
    client.get(url)
    with translation.override("fr"):
        key = page_key("whole.shop.product_detail", (url, VISITOR))
    _, html = cache.get(key)
    Product.objects.filter(pk=content.pk).update(price=Decimal("7.20"))
    cache.set(key, (catalogue_version() - 1, html))  # a slow render landing last

    answer = client.get(url)

    assert not served_whole(answer)
    assert "7,20" in answer.content.decode()


def test_languages_and_addresses_are_kept_apart(client, content):
    client.get("/agenda/")
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english.get("/agenda/")

    assert '<html lang="en">' in english.get("/agenda/").content.decode()
    assert '<html lang="fr">' in client.get("/agenda/").content.decode()
    page = client.get("/agenda/?page=1").content.decode()
    assert "next=/agenda/%3Fpage%3D1" in page


def test_an_htmx_request_and_a_long_made_up_address_are_rendered(client, content):
    client.get("/agenda/")
    assert not served_whole(client.get("/agenda/", headers={"HX-Request": "true"}))

    long = "/agenda/?x=" + "a" * 600
    client.get(long)
    assert not served_whole(client.get(long))


def test_a_missing_page_is_never_kept(client, content):
    url = f"{content.merchant.get_absolute_url()}inconnu/"
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404
    assert client.get(url).templates


def test_without_the_cache_pages_are_rendered_and_work(content, cache_down):
    visitor = Client(enforce_csrf_checks=True)
    for url in PUBLIC + catalogue(content):
        answer = visitor.get(url)
        assert answer.status_code == 200 and answer.templates, url
        assert CSRF_MARKER not in answer.content.decode(), url
    switched = visitor.post(
        reverse("set_language"),
        {"language": "en", "csrfmiddlewaretoken": token_of(visitor.get("/agenda/"))},
    )
    assert switched.status_code == 302


# --- members: one page per account menu, their own e-mail and basket filled in -------------


def signed_in_as(user) -> Client:
    member = Client()
    member.force_login(user)
    return member


def test_a_member_is_served_the_whole_page_with_their_own_email_and_basket(
    content, django_assert_max_num_queries, settings
):
    settings.REMEMBERED_TOMBSTONE_SECONDS = 0  # as once the login's tombstones expired
    lea = signed_in_as(UserFactory(email="lea@example.org"))
    lea.post(reverse("shop:basket_add"), {"product": content.pk, "quantity": 2})
    assert "ajouté au panier" in lea.get(reverse("shop:basket")).content.decode()
    for url in PUBLIC[:-1] + catalogue(content):
        lea.get(url)
        with django_assert_max_num_queries(0):
            again = lea.get(url)

        assert served_whole(again), url
        page = again.content.decode()
        assert "lea@example.org" in page and "anima-whole-page" not in page, url
    assert (
        '<span id="basket-count">2</span>' in lea.get(reverse("shop:product_list")).content.decode()
    )


def test_members_sharing_a_page_each_see_only_their_own_email_and_basket(content):
    lea = signed_in_as(UserFactory(email="lea@example.org", first_name="Léa", last_name="Roux"))
    tom = signed_in_as(UserFactory(email="tom@example.org", first_name="Tom", last_name="Petit"))
    lea.post(reverse("shop:basket_add"), {"product": content.pk, "quantity": 3})
    for url in catalogue(content):
        lea.get(url)
        lea.get(url)  # kept from Léa's visit (her message is gone by now)

        answer = tom.get(url)

        assert served_whole(answer), url
        page = answer.content.decode()
        assert "tom@example.org" in page and '<span id="basket-count">0</span>' in page, url
        assert "lea@example.org" not in page and "Léa" not in page, url


def test_a_member_with_another_menu_gets_their_own(content):
    signed_in_as(UserFactory()).get("/agenda/")
    staff = signed_in_as(UserFactory(is_staff=True))

    staff.get("/agenda/")
    page = staff.get("/agenda/").content.decode()

    assert "Administration" in page


def test_a_member_is_shown_their_message_on_a_kept_page(content):
    lea = signed_in_as(UserFactory())
    url = reverse("shop:product_list")
    lea.get(url)

    lea.post(reverse("shop:basket_add"), {"product": content.pk, "quantity": 1})
    answer = lea.get(url)

    assert "ajouté au panier" in answer.content.decode()
    assert not served_whole(answer)


def test_impact_is_rendered_for_each_member(content):
    member = signed_in_as(UserFactory())
    member.get("/impact/")

    assert member.get("/impact/").templates


def showing_the_member(request):
    return HttpResponse(f"<p>Bonjour {request.user.email}</p>")


def test_a_page_showing_the_member_is_never_kept(rf):
    member = UserFactory(email="lea@example.org")
    view = kept_whole("test.hello", lambda: 60)(showing_the_member)
    for visit in range(2):
        request = rf.get("/bonjour/")
        request.COOKIES[settings.SESSION_COOKIE_NAME] = "x"
        request.user = member
        request.session = SessionStore()
        request._messages = FallbackStorage(request)

        with translation.override("fr"):
            assert "lea@example.org" in view(request).content.decode(), visit
            audience = "member:" + repr(menu_key(member))
            assert cache.get(page_key("whole.test.hello", ("/bonjour/", audience))) is None
