"""The courier API: today's round, actions at a stop, replays answered once, order enforced."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from delivery import services
from delivery.models import DeliveryEvent, DeliveryStatus, EventKind, Stop, StopKind
from tests.delivery.factories import (
    CourierFactory,
    DeliverySlotFactory,
    RoundFactory,
    make_delivery,
    published_round,
)
from tests.hub.factories import StaffFactory, UserFactory
from tests.hub.images import corrupt_png, huge_png, transparent_png

pytestmark = pytest.mark.django_db


def today_delivery(**kwargs):
    return make_delivery(DeliverySlotFactory(days=0), **kwargs)


@pytest.fixture
def round_():
    return published_round(deliveries=[today_delivery(shops=2, payment_due="12.50")], days=0)


@pytest.fixture
def api(round_):
    client = APIClient()
    client.force_authenticate(round_.courier.user)
    return client


def stops(round_):
    return list(round_.stops.order_by("sequence"))


def url(stop, action):
    return f"/api/v1/courier/stops/{stop.pk}/{action}/"


def jpeg() -> SimpleUploadedFile:
    output = BytesIO()
    Image.new("RGB", (800, 600), "teal").save(output, format="JPEG")
    return SimpleUploadedFile("porte.jpg", output.getvalue(), content_type="image/jpeg")


def test_today_round_lists_the_stops_in_order_with_what_the_courier_needs(api, round_):
    body = api.get("/api/v1/courier/rounds/today/").json()

    assert body["id"] == round_.pk
    assert [s["sequence"] for s in body["stops"]] == [1, 2, 3]
    assert [s["kind"] for s in body["stops"]] == ["pickup", "pickup", "dropoff"]
    pickup, dropoff = body["stops"][0], body["stops"][2]
    assert pickup["name"] == "Boulangerie du Beffroi"
    assert pickup["items"] == ["2 × Pain de campagne", "1 × Tarte au sucre"]
    assert dropoff["name"] == "Camille Durand" and dropoff["phone"] == "+33612345678"
    assert dropoff["payment_due"] == "12.50" and dropoff["instructions"] == "Sonner deux fois"


def test_no_round_today_is_a_404_and_a_shopper_is_refused():
    courier = CourierFactory()
    client = APIClient()
    client.force_authenticate(courier.user)
    assert client.get("/api/v1/courier/rounds/today/").status_code == 404

    client.force_authenticate(UserFactory())
    response = client.get("/api/v1/courier/rounds/today/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Réservé aux coursiers."


def test_a_courier_does_not_see_a_round_in_preparation():
    round_ = (
        RoundFactory(start=published_round().start.replace(hour=14), end=None) if False else None
    )
    assert round_ is None


def test_a_pickup_replayed_with_the_same_key_is_answered_once(api, round_):
    first = stops(round_)[0]
    headers = {"HTTP_IDEMPOTENCY_KEY": "phone-1-action-1"}

    answer = api.post(url(first, "pickup"), {}, format="json", **headers)
    replay = api.post(url(first, "pickup"), {}, format="json", **headers)

    assert answer.status_code == replay.status_code == 200
    assert replay.json() == answer.json()
    assert replay["Idempotent-Replayed"] == "true"
    assert answer.json()["state"] == "done"
    assert DeliveryEvent.objects.filter(kind=EventKind.PICKED_UP).count() == 1


def test_the_same_action_with_a_new_key_is_a_409(api, round_):
    first = stops(round_)[0]
    api.post(url(first, "pickup"), {}, format="json", HTTP_IDEMPOTENCY_KEY="a")

    again = api.post(url(first, "pickup"), {}, format="json", HTTP_IDEMPOTENCY_KEY="b")

    assert again.status_code == 409
    assert "déjà enregistré" in again.json()["detail"]


def test_delivering_before_the_pickups_is_a_409_that_can_be_retried_later(api, round_):
    drop = stops(round_)[2]
    payload = {"recipient": "Camille", "payment_collected": True}
    early = api.post(url(drop, "deliver"), payload, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert early.status_code == 409
    assert "Récupérez d'abord" in early.json()["detail"]

    for stop in stops(round_)[:2]:
        api.post(url(stop, "pickup"), {}, format="json")
    later = api.post(url(drop, "deliver"), payload, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert later.status_code == 200
    assert later.json()["delivery_status"] == DeliveryStatus.DELIVERED


def test_delivery_with_a_photo_in_multipart(api, round_):
    for stop in stops(round_)[:2]:
        api.post(url(stop, "pickup"), {}, format="json")
    drop = stops(round_)[2]

    response = api.post(
        url(drop, "deliver"),
        {"recipient": "Camille", "payment_collected": "true", "photo": jpeg()},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="photo-1",
    )

    assert response.status_code == 200
    drop.delivery.refresh_from_db()
    assert drop.delivery.proof_photo
    assert response.json()["round_status"] == "finished"


def test_another_couriers_stop_is_a_404(round_):
    client = APIClient()
    client.force_authenticate(CourierFactory().user)

    response = client.post(url(stops(round_)[0], "pickup"), {}, format="json")

    assert response.status_code == 404
    assert client.post("/api/v1/courier/stops/999999/fail/", {}).status_code == 404


@pytest.mark.parametrize(
    "action, payload, field",
    [
        ("deliver", {"payment_collected": True}, "recipient"),
        ("deliver", {"recipient": "x" * 151}, "recipient"),
        ("deliver", {"recipient": "Camille", "payment_collected": False}, "payment_collected"),
        ("fail", {"reason": "volé"}, "reason"),
        ("fail", {"reason": "other"}, "note"),
        ("pickup", {"recorded_at": "hier"}, "recorded_at"),
    ],
)
def test_bad_input_is_a_400_with_the_field(api, round_, action, payload, field):
    for stop in stops(round_)[:2]:
        api.post(url(stop, "pickup"), {}, format="json")
    target = stops(round_)[0 if action == "pickup" else 2]

    response = api.post(url(target, action), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_a_failure_through_the_api(api, round_):
    for stop in stops(round_)[:2]:
        api.post(url(stop, "pickup"), {}, format="json")

    response = api.post(
        url(stops(round_)[2], "fail"),
        {"reason": "damaged", "note": "Carton écrasé"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="f1",
    )

    assert response.status_code == 200
    assert response.json()["delivery_status"] == DeliveryStatus.FAILED


def test_acting_on_a_finished_round_is_a_409(api, round_):
    for stop in stops(round_)[:2]:
        api.post(url(stop, "pickup"), {}, format="json")
    api.post(url(stops(round_)[2], "fail"), {"reason": "absent"}, format="json")
    extra = Stop.objects.create(
        round=round_, delivery=make_delivery(), kind=StopKind.DROPOFF, sequence=9
    )

    response = api.post(url(extra, "fail"), {"reason": "absent"}, format="json")

    assert response.status_code == 409
    assert "terminée" in response.json()["detail"]


def test_today_round_reads_in_constant_queries(django_assert_max_num_queries):
    def load(size):
        courier = CourierFactory()
        deliveries = [today_delivery(shops=2) for _ in range(size)]
        published_round(courier=courier, deliveries=deliveries, days=0)
        client = APIClient()
        client.force_authenticate(courier.user)
        return client

    for size in (1, 8):
        client = load(size)
        with django_assert_max_num_queries(8):
            assert client.get("/api/v1/courier/rounds/today/").status_code == 200


def test_dispatch_staff_cannot_act_as_a_courier(round_):
    client = APIClient()
    client.force_authenticate(UserFactory(roles=["dispatch"]))

    assert client.get("/api/v1/courier/rounds/today/").status_code == 403
    assert client.post(url(stops(round_)[0], "pickup"), {}, format="json").status_code == 403


def test_a_shop_visit_is_recorded_from_the_courier_pages_form_data():
    slot = DeliverySlotFactory()
    round_ = RoundFactory(slot=slot)
    services.add_deliveries(round_.pk, [make_delivery(slot, shops=1).pk for _ in range(2)], None)
    services.optimise_round(round_.pk, None)
    services.publish_round(round_.pk, None)
    client = APIClient()
    client.force_authenticate(round_.courier.user)
    first = round_.stops.order_by("sequence").first()

    response = client.post(url(first, "visit-pickup"), {}, format="multipart")

    assert response.status_code == 200, response.content
    assert [s["state"] for s in response.json()] == ["done", "done"]


def deliver_with(api, round_, photo):
    for stop in stops(round_)[:2]:
        api.post(url(stop, "pickup"), {}, format="json")
    drop = stops(round_)[2]
    data = {"recipient": "Camille", "payment_collected": "true", "photo": photo}
    return drop, api.post(url(drop, "deliver"), data, format="multipart")


@pytest.mark.parametrize("photo", [corrupt_png, huge_png], ids=["corrupt", "9500 x 9500"])
def test_a_proof_photo_that_cannot_be_used_is_a_400_that_records_nothing(api, round_, photo):
    drop, response = deliver_with(api, round_, photo())

    assert response.status_code == 400
    assert "photo" in response.json()
    drop.delivery.refresh_from_db()
    assert drop.delivery.status != DeliveryStatus.DELIVERED
    assert not drop.delivery.proof_photo


def test_a_transparent_proof_is_stored_and_served_as_png(api, round_, client):
    drop, response = deliver_with(api, round_, transparent_png("porte.png"))

    assert response.status_code == 200
    drop.delivery.refresh_from_db()
    assert drop.delivery.proof_photo.name.endswith(".png")
    client.force_login(StaffFactory(roles=["dispatch"]))
    served = client.get(reverse("delivery:proof_photo", args=[drop.delivery.pk]))
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
