"""The basket: before sign-in in the session, merged at login; changed in place with HTMX."""

import pytest
from django.urls import reverse

from shop.models import Basket
from tests.hub.factories import PASSWORD, UserFactory
from tests.shop.factories import MerchantFactory, ProductFactory, basket_with

pytestmark = pytest.mark.django_db


def add(client, product, quantity=1, **headers):
    return client.post(
        reverse("shop:basket_add"), {"product": product.pk, "quantity": quantity}, **headers
    )


def test_a_visitor_fills_a_basket_grouped_by_shop_with_subtotals(client, three_shops):
    for product in three_shops:
        add(client, product, 2)

    page = client.get(reverse("shop:basket")).content.decode()

    for product in three_shops:
        assert product.merchant.name in page
    assert page.count("9,00\xa0€") == 6  # each line and each shop's subtotal
    assert "27,00\xa0€" in page


def test_the_basket_follows_the_visitor_into_their_account(client, three_shops):
    user = UserFactory()
    basket_with(user, (three_shops[0], 1))
    add(client, three_shops[0], 2)
    add(client, three_shops[1], 1)

    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    lines = {line.product_id: line.quantity for line in user.basket.lines.all()}
    assert lines == {three_shops[0].pk: 3, three_shops[1].pk: 1}
    assert Basket.objects.count() == 1


def test_merging_never_exceeds_the_stock(client):
    product = ProductFactory(stock=3)
    user = UserFactory()
    basket_with(user, (product, 2))
    add(client, product, 3)

    client.force_login(user)

    assert user.basket.lines.get().quantity == 3


def test_a_quantity_above_the_stock_is_refused_with_a_message(client):
    product = ProductFactory(name="Maroilles AOP", stock=2)
    response = add(client, product, 5, follow=True)

    assert "Il ne reste que 2 « Maroilles AOP » en stock." in response.content.decode()
    assert not Basket.objects.filter(lines__isnull=False).exists()


@pytest.mark.parametrize("quantity", ["-1", "0", "100", "99999999999999999999", "abc"])
def test_bad_quantities_are_refused(client, quantity):
    response = add(client, ProductFactory(), quantity, follow=True)
    assert "quantité" in response.content.decode().lower()
    assert not Basket.objects.filter(lines__isnull=False).exists()


def test_an_unknown_product_is_refused(client):
    response = client.post(
        reverse("shop:basket_add"), {"product": "999", "quantity": 1}, follow=True
    )
    assert "n'existe pas" in response.content.decode().replace("&#x27;", "'")


def test_htmx_add_answers_a_live_status_and_the_new_count(client):
    product = ProductFactory(name="Cramique")
    response = add(client, product, 2, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'aria-live="polite"' in body and "Cramique" in body
    assert 'id="basket-count" hx-swap-oob="true">2<' in body


def test_quantities_change_in_place_and_zero_removes_the_line(client):
    product = ProductFactory(stock=5)
    add(client, product, 1)
    line = Basket.objects.get().lines.get()

    changed = client.post(
        reverse("shop:basket_line", args=[line.pk]), {"quantity": 4}, HTTP_HX_REQUEST="true"
    )
    too_many = client.post(
        reverse("shop:basket_line", args=[line.pk]), {"quantity": 6}, HTTP_HX_REQUEST="true"
    )
    line.refresh_from_db()
    assert 'id="basket-body"' in changed.content.decode()
    assert "Il ne reste que 5" in too_many.content.decode()
    assert line.quantity == 4

    client.post(reverse("shop:basket_line", args=[line.pk]), {"quantity": 0})
    assert not Basket.objects.get().lines.exists()


def test_nobody_changes_another_basket(client):
    other_line = basket_with(UserFactory(), (ProductFactory(), 1)).lines.get()
    add(client, ProductFactory(), 1)

    client.post(reverse("shop:basket_line", args=[other_line.pk]), {"quantity": 9})
    client.post(reverse("shop:basket_remove", args=[other_line.pk]))

    other_line.refresh_from_db()
    assert other_line.quantity == 1


@pytest.mark.parametrize("size", [2, 20])
def test_the_basket_page_runs_a_constant_number_of_queries(
    client, size, django_assert_max_num_queries
):
    user = UserFactory()
    basket_with(user, *[(ProductFactory(merchant=MerchantFactory()), 1) for _ in range(size)])
    client.force_login(user)
    # 8 for the basket, 3 for the layout's account menu (groups, shop, organiser).
    with django_assert_max_num_queries(11):
        assert client.get(reverse("shop:basket")).status_code == 200


@pytest.mark.parametrize("next_path", ["panier", "/boutique/panier/"])
def test_a_relative_return_address_is_followed_not_read_as_a_view_name(
    client, three_shops, next_path
):
    product = three_shops[0]
    data = {"product": product.pk, "quantity": 1, "next": next_path}

    response = client.post(reverse("shop:basket_add"), data)

    assert response.status_code == 302
    assert response["Location"] == next_path
