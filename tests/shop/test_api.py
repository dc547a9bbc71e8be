"""The shop's API: public catalogue, the shopper's basket and orders, the shops' back-office."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from shop.models import MerchantStatus, Order, Product
from tests.hub.factories import UserFactory
from tests.shop.factories import MerchantFactory, ProductFactory, basket_with, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_public_products_expose_the_documented_fields(api):
    ProductFactory(
        name="Tarte au sucre", stock=None, price=Decimal("12.00"), vat_rate=Decimal("5.5")
    )
    row = api.get("/api/v1/products/").json()["results"][0]

    assert {"id", "merchant", "name", "price", "vat_rate", "unit", "stock", "available"} <= set(row)
    assert row["price"] == "12.00"
    assert row["vat_rate"] == "5.5"
    assert row["stock"] is None and row["available"] is True


def test_products_filter_by_merchant_category_label_and_accentless_search(api):
    pate = ProductFactory(name="Pâté de campagne", category="meat")
    pate.label_list = ["fait_main"]
    pate.save()
    ProductFactory(name="Maroilles", category="cheese")

    def names(**params):
        return [r["name"] for r in api.get("/api/v1/products/", params).json()["results"]]

    assert names(search="PATE") == ["Pâté de campagne"]
    assert names(category="cheese") == ["Maroilles"]
    assert names(label="fait_main") == ["Pâté de campagne"]
    assert names(merchant=pate.merchant_id) == ["Pâté de campagne"]
    assert api.get("/api/v1/products/", {"category": "lune"}).status_code == 400


def test_suspended_shops_and_inactive_products_never_appear(api):
    ProductFactory(is_active=False)
    suspended = MerchantFactory(status=MerchantStatus.SUSPENDED)
    ProductFactory(merchant=suspended)
    visible = ProductFactory()

    assert [r["id"] for r in api.get("/api/v1/products/").json()["results"]] == [visible.pk]
    merchants = [r["id"] for r in api.get("/api/v1/merchants/").json()["results"]]
    assert visible.merchant_id in merchants and suspended.pk not in merchants


def test_public_merchants_reveal_no_person(api):
    merchant = MerchantFactory()
    body = str(api.get("/api/v1/merchants/").json())
    assert merchant.owner.email not in body
    assert "siret" not in body


def test_the_basket_takes_lines_and_refuses_beyond_the_stock(shopper):
    client = as_user(shopper)
    product = ProductFactory(name="Maroilles", stock=3)

    created = client.post("/api/v1/basket/lines/", {"product": product.pk, "quantity": 2})
    too_many = client.post("/api/v1/basket/lines/", {"product": product.pk, "quantity": 2})
    line_id = created.json()["id"]
    changed = client.patch(f"/api/v1/basket/lines/{line_id}/", {"quantity": 3})
    basket = client.get("/api/v1/basket/").json()

    assert created.status_code == 201
    assert too_many.status_code == 409 and "Maroilles" in too_many.json()["detail"]
    assert changed.json()["quantity"] == 3
    assert basket["count"] == 3 and basket["total"] == "13.50"
    assert client.delete(f"/api/v1/basket/lines/{line_id}/").status_code == 204


@pytest.mark.parametrize("quantity", [-1, 0, 100, 10**12, "deux"])
def test_bad_quantities_get_a_400(shopper, quantity):
    product = ProductFactory()
    response = as_user(shopper).post(
        "/api/v1/basket/lines/", {"product": product.pk, "quantity": quantity}
    )
    assert response.status_code == 400 and "quantity" in response.json()


def test_an_unknown_product_gets_a_400(shopper):
    response = as_user(shopper).post("/api/v1/basket/lines/", {"product": 999999, "quantity": 1})
    assert response.status_code == 400 and "product" in response.json()


def test_nobody_touches_another_shoppers_basket_line(shopper):
    other = UserFactory()
    line = basket_with(other, (ProductFactory(), 1)).lines.get()
    client = as_user(shopper)
    assert client.patch(f"/api/v1/basket/lines/{line.pk}/", {"quantity": 2}).status_code == 404
    assert client.delete(f"/api/v1/basket/lines/{line.pk}/").status_code == 404


def test_the_basket_needs_an_account(api):
    assert api.get("/api/v1/basket/").status_code in (401, 403)


def order_payload(slot, **extra):
    return {
        "fulfilment": "home",
        "address": "18 Rue Mollien, 62100 Calais",
        "slot": slot.pk,
        "payment": "card",
        **extra,
    }


def test_placing_an_order_once_per_idempotency_key(shopper, slot):
    basket_with(shopper, (ProductFactory(), 2), (ProductFactory(), 1))
    client = as_user(shopper)

    first = client.post(
        "/api/v1/orders/", order_payload(slot), format="json", HTTP_IDEMPOTENCY_KEY="abc"
    )
    again = client.post(
        "/api/v1/orders/", order_payload(slot), format="json", HTTP_IDEMPOTENCY_KEY="abc"
    )

    assert first.status_code == again.status_code == 201
    body = first.json()
    assert {"id", "number", "status", "total", "merchant_orders"} <= set(body)
    assert len(body["merchant_orders"]) == 2
    assert body["merchant_orders"][0]["lines"][0]["unit_price"] == "4.50"
    assert again.json()["id"] == body["id"]
    assert Order.objects.count() == 1


def test_lacking_stock_gets_a_409_naming_the_product(shopper, slot):
    basket_with(shopper, (ProductFactory(name="Potjevleesch", stock=1), 1))
    Product.objects.update(stock=0)

    response = as_user(shopper).post("/api/v1/orders/", order_payload(slot), format="json")

    assert response.status_code == 409
    assert "Potjevleesch" in response.json()["detail"]


def test_bad_order_input_gets_field_errors(shopper, slot):
    basket_with(shopper, (ProductFactory(), 1))
    response = as_user(shopper).post(
        "/api/v1/orders/",
        order_payload(slot, fulfilment="teleport", payment="or"),
        format="json",
    )
    assert response.status_code == 400
    assert {"fulfilment", "payment"} <= set(response.json())


def test_out_of_zone_address_gets_a_400_on_the_address(shopper, slot):
    basket_with(shopper, (ProductFactory(), 1))
    response = as_user(shopper).post(
        "/api/v1/orders/",
        order_payload(slot, address="Route de Boulogne, 62231 Sangatte"),
        format="json",
    )
    assert response.status_code == 400 and "point relais" in response.json()["address"][0]


def test_shoppers_see_and_cancel_only_their_orders(shopper, slot):
    mine = place(shopper, (ProductFactory(), 1), slot=slot.pk)
    other = UserFactory(phone="0611111111")
    theirs = place(other, (ProductFactory(), 1), slot=slot.pk, key="x")
    client = as_user(shopper)

    assert [o["id"] for o in client.get("/api/v1/orders/").json()["results"]] == [mine.pk]
    assert client.get(f"/api/v1/orders/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/orders/{theirs.pk}/cancel/").status_code == 404
    cancelled = client.post(f"/api/v1/orders/{mine.pk}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert client.post(f"/api/v1/orders/{mine.pk}/cancel/").status_code == 409


def test_merchants_manage_their_products_only():
    merchant = MerchantFactory()
    mine = ProductFactory(merchant=merchant)
    theirs = ProductFactory()
    client = as_user(merchant.owner)

    listed = [p["id"] for p in client.get("/api/v1/merchant/products/").json()["results"]]
    created = client.post(
        "/api/v1/merchant/products/",
        {
            "merchant": merchant.pk,
            "name": "Cramique",
            "category": "bread",
            "price": "6.50",
            "vat_rate": "5.5",
            "unit": "piece",
            "stock": 8,
            "weight_grams": 500,
            "labels": ["local"],
        },
        format="json",
    )
    elsewhere = client.post(
        "/api/v1/merchant/products/",
        {**created.json(), "merchant": theirs.merchant_id, "name": "Intrus"},
        format="json",
    )
    patched = client.patch(f"/api/v1/merchant/products/{mine.pk}/", {"stock": 0}, format="json")

    assert listed == [mine.pk]
    assert created.status_code == 201 and created.json()["labels"] == ["local"]
    assert elsewhere.status_code == 400 and "merchant" in elsewhere.json()
    assert patched.json()["stock"] == 0 and patched.json()["available"] is False
    assert client.patch(f"/api/v1/merchant/products/{theirs.pk}/", {"stock": 1}).status_code == 404


def test_merchant_product_bad_input_gets_field_errors():
    merchant = MerchantFactory()
    mine = ProductFactory(merchant=merchant)
    response = as_user(merchant.owner).patch(
        f"/api/v1/merchant/products/{mine.pk}/",
        {"price": "-3", "vat_rate": "7", "stock": -1},
        format="json",
    )
    assert response.status_code == 400
    assert {"price", "vat_rate", "stock"} <= set(response.json())


def test_merchants_accept_refuse_and_ready_only_their_parts(shopper, slot):
    a, b = ProductFactory(), ProductFactory()
    order = place(shopper, (a, 1), (b, 1), slot=slot.pk)
    part_a = order.merchant_orders.get(merchant=a.merchant)
    part_b = order.merchant_orders.get(merchant=b.merchant)
    client = as_user(a.merchant.owner)

    queue = client.get("/api/v1/merchant/orders/").json()["results"]
    assert [p["id"] for p in queue] == [part_a.pk]
    assert "address" not in str(queue[0]).lower()
    assert client.post(f"/api/v1/merchant/orders/{part_b.pk}/accept/").status_code == 404
    assert (
        client.post(f"/api/v1/merchant/orders/{part_a.pk}/accept/").json()["status"] == "accepted"
    )
    assert client.post(f"/api/v1/merchant/orders/{part_a.pk}/accept/").status_code == 409
    assert client.post(f"/api/v1/merchant/orders/{part_a.pk}/ready/").json()["status"] == "ready"

    other = as_user(b.merchant.owner)
    assert other.post(f"/api/v1/merchant/orders/{part_b.pk}/refuse/", {}).status_code == 400
    refused = other.post(f"/api/v1/merchant/orders/{part_b.pk}/refuse/", {"reason": "Rupture"})
    assert refused.json()["status"] == "refused"


def test_a_shopper_has_no_merchant_orders(shopper):
    assert as_user(shopper).get("/api/v1/merchant/orders/").json()["results"] == []


@pytest.mark.parametrize("size", [3, 30])
def test_product_list_runs_a_constant_number_of_queries(api, size, django_assert_max_num_queries):
    merchant = MerchantFactory()
    ProductFactory.create_batch(size, merchant=merchant)
    with django_assert_max_num_queries(3):
        assert api.get("/api/v1/products/").status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_merchant_order_queue_api_runs_a_constant_number_of_queries(
    size, shopper, django_assert_max_num_queries
):
    from tests.delivery.factories import DeliverySlotFactory

    merchant = MerchantFactory()
    slot = DeliverySlotFactory(capacity=50)
    for n in range(size):
        place(shopper, (ProductFactory(merchant=merchant), 1), slot=slot.pk, key=f"k{n}")
    client = as_user(merchant.owner)
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/v1/merchant/orders/").json()["results"]) == size


@pytest.mark.parametrize(("extra", "expected"), [({"news_by_sms": True}, True), ({}, False)])
def test_an_api_order_texts_the_shopper_only_when_asked(shopper, slot, extra, expected):
    from delivery.models import Delivery

    basket_with(shopper, (ProductFactory(), 1))

    response = as_user(shopper).post("/api/v1/orders/", order_payload(slot, **extra), format="json")

    assert response.status_code == 201
    assert response.json()["news_by_sms"] is expected
    order = Order.objects.get()
    assert order.news_by_sms is expected
    assert Delivery.objects.get(order_number=order.number).news_by_sms is expected


def test_a_news_by_sms_that_is_no_boolean_gets_a_400(shopper, slot):
    basket_with(shopper, (ProductFactory(), 1))

    response = as_user(shopper).post(
        "/api/v1/orders/", order_payload(slot, news_by_sms="peut-être"), format="json"
    )

    assert response.status_code == 400 and "news_by_sms" in response.json()
    assert not Order.objects.exists()


def test_the_schema_documents_news_by_sms_as_optional_and_off_by_default(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    create = schema["components"]["schemas"]["OrderCreateRequest"]
    assert create["properties"]["news_by_sms"]["type"] == "boolean"
    assert create["properties"]["news_by_sms"]["default"] is False
    assert "news_by_sms" not in create.get("required", [])
    assert "news_by_sms" in schema["components"]["schemas"]["Order"]["properties"]
