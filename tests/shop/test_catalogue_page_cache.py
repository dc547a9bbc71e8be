"""Catalogue pages are kept whole under the catalogue's version and served without a query;
any write to what they show (price, stock at checkout or given back, a suspended shop, a
withdrawn product, labels, a bulk update) shows on the next page, anonymous or signed in; the
basket and checkout always read the rows; a write committed after a render never leaves a
stale page under the new version."""

import re
import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from hub.services import page_key
from shop import catalogue_version as versions
from shop.models import Merchant, MerchantStatus, Product
from shop.services import cancel_order
from tests.hub.factories import UserFactory
from tests.shop.factories import MerchantFactory, ProductFactory, basket_with, place

pytestmark = pytest.mark.django_db

SHOPS = reverse("shop:catalogue")
LIST = reverse("shop:product_list")
KEPT = "shop/cached_page.html"


@pytest.fixture(autouse=True)
def _no_bump_owed():
    yield
    versions._owed = False


@pytest.fixture
def signed_in(db):
    visitor = Client()
    visitor.force_login(UserFactory())
    return visitor


def text(client, url) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, url
    return answer.content.decode()


def kept(answer) -> bool:
    """Served from what was kept: the whole page for a visitor without a session (no template
    rendered, ``hub.whole_pages``), else its kept parts in the visitor's layout."""
    names = [template.name for template in answer.templates]
    return not names or names[0] == KEPT


def templates(client, url) -> list[str]:
    return [template.name for template in client.get(url).templates]


def catalogue_pages(product) -> list[str]:
    return [
        SHOPS,
        LIST,
        f"{LIST}?q={product.name.split()[0]}",
        f"{LIST}?label=bio",
        f"{LIST}?rayon={product.category}",
        product.merchant.get_absolute_url(),
        product.get_absolute_url(),
    ]


def warm(product, *clients) -> None:
    for client in clients:
        for url in catalogue_pages(product):
            client.get(url)


# --- served without a query -------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 30])
def test_a_kept_page_runs_no_query_for_an_anonymous_visitor(
    client, size, django_assert_max_num_queries
):
    merchant = MerchantFactory()
    products = [ProductFactory(name=f"Savon {n:02}", merchant=merchant) for n in range(size)]
    for product in products[::2]:
        product.label_list = ["bio"]
        product.save()
    warm(products[0], client)

    for url in catalogue_pages(products[0]):
        with django_assert_max_num_queries(0):
            answer = client.get(url)
        assert answer.status_code == 200
        assert kept(answer)


def test_a_signed_in_shopper_is_served_the_kept_page_reading_no_catalogue_row(signed_in):
    product = ProductFactory(name="Savon doux")
    warm(product, Client())  # kept by an anonymous visitor

    for url in catalogue_pages(product):
        with CaptureQueriesContext(connection) as queries:
            shown = templates(signed_in, url)
        assert shown[0] == KEPT, url
        read = " ".join(query["sql"] for query in queries.captured_queries)
        assert '"shop_product"' not in read and '"shop_merchant"' not in read, url


def test_the_kept_page_is_the_page_rendered_from_the_rows(client):
    product = ProductFactory(name="Savon doux", stock=2)
    product.label_list = ["bio"]
    product.save()
    for url in catalogue_pages(product):
        rendered = client.get(url)
        served = client.get(url)

        assert [t.name for t in rendered.templates][0] != KEPT
        assert kept(served)
        assert without_tokens(served) == without_tokens(rendered), url


def without_tokens(response) -> str:
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", page)


def test_each_visitor_of_a_kept_page_gets_a_token_that_adds_to_the_basket(client):
    product = ProductFactory()
    warm(product, client)
    for url in (LIST, product.get_absolute_url(), product.merchant.get_absolute_url()):
        visitor = Client(enforce_csrf_checks=True)
        answer = visitor.get(url)
        assert kept(answer)
        page = answer.content.decode()
        assert "anima-fragment" not in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

        added = visitor.post(
            reverse("shop:basket_add"),
            {"product": product.pk, "quantity": 1, "csrfmiddlewaretoken": token},
        )

        assert added.status_code == 302, url


def test_a_kept_page_shows_each_visitor_their_own_basket_and_account(client, signed_in):
    product = ProductFactory()
    warm(product, client)
    signed_in.post(reverse("shop:basket_add"), {"product": product.pk, "quantity": 2})

    page = text(signed_in, LIST)

    assert '<span id="basket-count">2</span>' in page and reverse("shop:order_list") in page
    assert '<span id="basket-count">0</span>' in text(client, LIST)
    assert reverse("shop:order_list") not in text(client, LIST)


def test_a_page_kept_from_a_signed_in_visit_shows_nothing_of_that_shopper(client, signed_in):
    product = ProductFactory(name="Savon doux")
    signed_in.post(reverse("shop:basket_add"), {"product": product.pk, "quantity": 2})
    seen = []
    for url in catalogue_pages(product):
        seen.append(text(signed_in, url))  # kept by the signed-in shopper

        answer = client.get(url)

        assert kept(answer), url
        page = answer.content.decode()
        assert '<span id="basket-count">0</span>' in page, url
        assert reverse("shop:order_list") not in page and "Se connecter" in page, url
        assert "ajouté au panier" not in page, url
    assert "ajouté au panier" in seen[0]  # their message, shown on the page that kept it


def test_different_filters_pages_and_languages_are_kept_apart(client):
    soap = ProductFactory(name="Savon doux", category="grocery")
    ProductFactory(name="Tarte au sucre", category="pastry")
    warm(soap, client)

    assert "Tarte au sucre" not in text(client, f"{LIST}?q=savon")
    assert "Savon doux" not in text(client, f"{LIST}?rayon=pastry")
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "<h1>All products</h1>" in text(english, LIST)
    assert "<h1>Tous les produits</h1>" in text(client, LIST)


# --- never stale ------------------------------------------------------------------------------


def both(client, signed_in, url) -> list[str]:
    return [text(client, url), text(signed_in, url)]


def labelled(**fields):
    """A product on every catalogue page (the « bio » filter too)."""
    product = ProductFactory(**fields)
    product.label_list = ["bio"]
    product.save()
    return product


def test_a_new_price_shows_on_every_page_anonymous_and_signed_in(client, signed_in):
    product = labelled(name="Savon doux", price=Decimal("6.50"))
    warm(product, client, signed_in)

    product.price = Decimal("7.20")
    product.save()

    for url in catalogue_pages(product)[1:]:
        for page in both(client, signed_in, url):
            assert "7,20" in page and "6,50" not in page, url


def test_a_bulk_update_through_a_queryset_shows_at_once(client, signed_in):
    product = labelled(name="Savon doux", price=Decimal("6.50"))
    warm(product, client, signed_in)

    Product.objects.filter(merchant=product.merchant).update(price=Decimal("5.10"))

    for url in catalogue_pages(product)[1:]:
        for page in both(client, signed_in, url):
            assert "5,10" in page and "6,50" not in page, url


def out_of_stock(page: str) -> bool:
    return "Rupture de stock" in page and 'name="quantity"' not in page


def test_stock_sold_out_at_checkout_and_given_back_by_a_cancellation_shows_at_once(
    client, signed_in, shopper, slot
):
    product = ProductFactory(name="Savon doux", stock=2)
    urls = [LIST, product.merchant.get_absolute_url(), product.get_absolute_url()]
    warm(product, client, signed_in)

    order = place(shopper, (product, 2), slot=slot.pk)  # checkout's bulk F() decrement

    for url in urls:
        assert all(out_of_stock(page) for page in both(client, signed_in, url)), url

    cancel_order(order, shopper)  # the stock comes back

    for url in urls:
        assert not any(out_of_stock(page) for page in both(client, signed_in, url)), url


def test_a_suspended_shop_leaves_every_page(client, signed_in, admin_client):
    product = ProductFactory(name="Savon doux", merchant=MerchantFactory(name="Au Bon Savon"))
    warm(product, client, signed_in)

    admin_client.post(
        reverse("admin:shop_merchant_changelist"),
        {"action": "suspend", "_selected_action": [product.merchant.pk]},
    )

    assert Merchant.objects.get(pk=product.merchant.pk).status == MerchantStatus.SUSPENDED
    for visitor in (client, signed_in):
        assert "Au Bon Savon" not in text(visitor, SHOPS)
        assert "Savon doux" not in text(visitor, LIST)
        assert visitor.get(product.merchant.get_absolute_url()).status_code == 404
        assert visitor.get(product.get_absolute_url()).status_code == 404


def test_a_withdrawn_product_leaves_every_page(client, signed_in, admin_client):
    product = ProductFactory(name="Savon doux")
    warm(product, client, signed_in)

    admin_client.post(
        reverse("admin:shop_product_changelist"),
        {"action": "deactivate", "_selected_action": [product.pk]},
    )

    for visitor in (client, signed_in):
        assert "Savon doux" not in text(visitor, LIST)
        assert "Savon doux" not in text(visitor, product.merchant.get_absolute_url())
        assert visitor.get(product.get_absolute_url()).status_code == 404


def test_a_new_label_shows_and_filters_at_once(client, signed_in):
    product = ProductFactory(name="Savon doux")
    warm(product, client, signed_in)
    assert "Savon doux" not in text(client, f"{LIST}?label=bio")

    product.label_list = ["bio"]
    product.save()

    for page in both(client, signed_in, f"{LIST}?label=bio"):
        assert "Savon doux" in page
    for page in both(client, signed_in, product.get_absolute_url()):
        assert '<ul class="labels" aria-label="Labels"><li>Bio</li></ul>' in page


def test_a_renamed_shop_shows_on_its_page_header(client, signed_in):
    product = ProductFactory(merchant=MerchantFactory(name="Chez Paul"))
    warm(product, client, signed_in)

    merchant = product.merchant
    merchant.name, merchant.opening_hours = "Chez Pauline", "Le dimanche matin"
    merchant.save()

    for page in both(client, signed_in, merchant.get_absolute_url()):
        assert "<title>Chez Pauline" in page and "Le dimanche matin" in page


# --- the basket and checkout read the rows ----------------------------------------------------


def test_basket_and_checkout_show_the_current_price_even_when_the_catalogue_is_stale(
    client, shopper, slot
):
    product = ProductFactory(name="Savon doux", price=Decimal("6.50"))
    client.force_login(shopper)
    basket_with(shopper, (product, 1))
    old = versions.catalogue_version()
    text(client, product.get_absolute_url())  # kept at 6,50

    Product.objects.filter(pk=product.pk).update(price=Decimal("7.20"))
    cache.set(versions.VERSION_KEY, old, timeout=None)  # as if the bump had been lost

    assert "6,50" in text(client, product.get_absolute_url())  # the kept page, stale
    for url in (reverse("shop:basket"), reverse("shop:checkout")):
        answer = client.get(url)
        assert KEPT not in [t.name for t in answer.templates]
        page = answer.content.decode()
        assert "7,20" in page and "6,50" not in page, url


# --- the cache down, a race -------------------------------------------------------------------


def test_without_the_cache_every_page_is_rendered_from_the_rows(client, cache_down):
    product = labelled(name="Savon doux", price=Decimal("6.50"))
    warm(product, client)

    Product.objects.filter(pk=product.pk).update(price=Decimal("7.20"))

    for url in catalogue_pages(product)[1:]:
        answer = client.get(url)
        assert KEPT not in [t.name for t in answer.templates], url
        assert "7,20" in answer.content.decode(), url


@pytest.mark.django_db(transaction=True)
def test_a_write_committed_while_a_page_renders_leaves_no_stale_page_behind(client):
    """The page reads the version, then its rows (old price); the write commits and bumps
    before the page is kept: the old page is kept under the old version, never read again."""
    product = ProductFactory(name="Savon doux", price=Decimal("6.50"))

    def write_once_rows_are_read(sender, template, **kwargs):
        if template.name == "shop/_add_form.html":
            template_rendered.disconnect(write_once_rows_are_read)
            Product.objects.filter(pk=product.pk).update(price=Decimal("7.20"))

    template_rendered.connect(write_once_rows_are_read)
    try:
        first = text(client, product.get_absolute_url())
    finally:
        template_rendered.disconnect(write_once_rows_are_read)

    assert "6,50" in first  # rendered from the rows read before the write
    page = text(client, product.get_absolute_url())
    assert "7,20" in page and "6,50" not in page


def test_a_page_kept_at_an_older_version_is_never_served(client):
    """A slow render that read its rows before a write may store its page after a fresh one:
    it carries the older version and is rendered again, never served."""
    product = ProductFactory(name="Savon doux", price=Decimal("6.50"))
    url = product.get_absolute_url()
    text(client, url)
    with translation.override("fr"):
        key = page_key("shop.product_detail", (url,))
    from_before_the_write = cache.get(key)

    Product.objects.filter(pk=product.pk).update(price=Decimal("7.20"))
    text(client, url)  # kept anew, at the new version
    cache.set(key, from_before_the_write)  # the slow render lands last

    answer = client.get(url)
    assert KEPT not in [t.name for t in answer.templates]
    assert "7,20" in answer.content.decode() and "6,50" not in answer.content.decode()


@pytest.mark.postgres  # a reader beside an open write: SQLite's shared test database locks
@pytest.mark.django_db(transaction=True)
def test_a_page_rendered_inside_an_open_write_is_left_behind_by_the_bump_after_commit(client):
    """The write bumps at once (its own transaction reads the new rows) and again after
    commit: a page rendered meanwhile from the old, committed rows is kept under the version
    in between, which the commit leaves behind."""
    product = ProductFactory(name="Savon doux", price=Decimal("6.50"))
    written, go = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def writer():
        try:
            with transaction.atomic():
                Product.objects.filter(pk=product.pk).update(price=Decimal("7.20"))
                written.set()
                go.wait()
        except BaseException as error:
            failures.append(error)
        finally:
            written.set()
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    written.wait()
    try:
        during = text(client, product.get_absolute_url())
    finally:
        go.set()
        thread.join()

    assert not failures, failures
    assert "6,50" in during  # the write was not committed yet
    page = text(client, product.get_absolute_url())
    assert "7,20" in page and "6,50" not in page
