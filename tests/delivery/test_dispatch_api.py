"""The dispatch API (dispatch group only) and the public tracking endpoint (status only)."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from delivery import services
from delivery.models import Round, StopKind
from tests.delivery.factories import (
    CargoBikeFactory,
    CourierFactory,
    DeliverySlotFactory,
    RoundFactory,
    make_delivery,
    published_round,
)
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatcher():
    client = APIClient()
    client.force_authenticate(UserFactory(roles=["dispatch"]))
    return client


@pytest.fixture
def slot():
    return DeliverySlotFactory()


def test_deliveries_of_a_date_with_their_pickups(dispatcher, slot):
    planned, waiting = make_delivery(slot), make_delivery(slot)
    services.add_deliveries(RoundFactory().pk, [planned.pk], None)
    make_delivery(DeliverySlotFactory(days=3))

    every = dispatcher.get("/api/v1/dispatch/deliveries/", {"date": slot.date.isoformat()}).json()
    unplanned = dispatcher.get(
        "/api/v1/dispatch/deliveries/", {"date": slot.date.isoformat(), "unplanned": "true"}
    ).json()

    assert every["count"] == 2
    assert [d["id"] for d in unplanned["results"]] == [waiting.pk]
    assert len(unplanned["results"][0]["pickups"]) == 2


def test_a_bad_date_is_a_400(dispatcher):
    assert dispatcher.get("/api/v1/dispatch/deliveries/", {"date": "demain"}).status_code == 400
    assert dispatcher.get("/api/v1/dispatch/rounds/", {"date": "2026-13-01"}).status_code == 400


@pytest.mark.parametrize(
    "path",
    ["/api/v1/dispatch/deliveries/", "/api/v1/dispatch/rounds/", "/api/v1/dispatch/rounds/1/"],
)
def test_couriers_and_shoppers_cannot_use_the_dispatch_api(path):
    client = APIClient()
    client.force_authenticate(CourierFactory().user)
    assert client.get(path).status_code == 403
    client.force_authenticate(UserFactory())
    assert client.get(path).status_code == 403


def test_create_change_optimise_and_publish_a_round(
    dispatcher, slot, django_capture_on_commit_callbacks
):
    deliveries = [make_delivery(slot, shops=1) for _ in range(3)]
    courier, bike = CourierFactory(), CargoBikeFactory()
    start = slot.start - timedelta(hours=1)

    created = dispatcher.post(
        "/api/v1/dispatch/rounds/",
        {
            "courier": courier.pk,
            "bike": bike.pk,
            "start": start.isoformat(),
            "end": (slot.end + timedelta(minutes=30)).isoformat(),
            "slot": slot.pk,
        },
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]

    changed = dispatcher.patch(
        f"/api/v1/dispatch/rounds/{pk}/", {"add": [d.pk for d in deliveries]}, format="json"
    )
    assert changed.status_code == 200
    stops = changed.json()["stops"]
    assert len(stops) == 6

    reordered = dispatcher.patch(
        f"/api/v1/dispatch/rounds/{pk}/",
        {"stop_order": [s["id"] for s in stops[4:]] + [s["id"] for s in stops[:4]]},
        format="json",
    )
    assert reordered.status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        proposal = dispatcher.post(f"/api/v1/dispatch/rounds/{pk}/optimise/")
    assert proposal.status_code == 202
    optimised = dispatcher.post(f"/api/v1/dispatch/proposals/{proposal.json()['id']}/apply/")
    assert optimised.status_code == 200
    body = optimised.json()
    assert body["unplaced"] == [] and body["distance_m"] > 0
    assert body["rounds"][0]["id"] == pk

    published = dispatcher.post(f"/api/v1/dispatch/rounds/{pk}/publish/")
    assert published.json()["status"] == "published"


def test_round_conflicts_are_409_with_a_message(dispatcher, slot):
    existing = RoundFactory()
    response = dispatcher.post(
        "/api/v1/dispatch/rounds/",
        {
            "courier": existing.courier.pk,
            "bike": CargoBikeFactory().pk,
            "start": existing.start.isoformat(),
            "end": existing.end.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 409
    assert "déjà une tournée" in response.json()["detail"]

    empty = dispatcher.post(f"/api/v1/dispatch/rounds/{existing.pk}/publish/")
    assert empty.status_code == 409


def test_a_wrong_stop_order_is_refused_and_nothing_changes(dispatcher, slot):
    round_ = RoundFactory()
    services.add_deliveries(round_.pk, [make_delivery(slot, shops=1).pk], None)
    before = list(round_.stops.order_by("sequence").values_list("kind", flat=True))
    ids = list(round_.stops.order_by("sequence").values_list("pk", flat=True))

    response = dispatcher.patch(
        f"/api/v1/dispatch/rounds/{round_.pk}/", {"stop_order": ids[::-1]}, format="json"
    )

    assert response.status_code == 409
    assert list(round_.stops.order_by("sequence").values_list("kind", flat=True)) == before


def test_a_draft_round_is_deleted_but_not_a_published_one(dispatcher, slot):
    draft = RoundFactory(days=2)
    assert dispatcher.delete(f"/api/v1/dispatch/rounds/{draft.pk}/").status_code == 204
    assert not Round.objects.filter(pk=draft.pk).exists()

    published = published_round(deliveries=[make_delivery(slot)])
    assert dispatcher.delete(f"/api/v1/dispatch/rounds/{published.pk}/").status_code == 409


def test_rounds_of_a_date_read_in_constant_queries(dispatcher, django_assert_max_num_queries):
    for size in (1, 6):
        slot = DeliverySlotFactory(days=size)
        published_round(deliveries=[make_delivery(slot) for _ in range(size)], days=size)
        with django_assert_max_num_queries(8):
            response = dispatcher.get("/api/v1/dispatch/rounds/", {"date": slot.date.isoformat()})
        assert len(response.json()["results"][0]["stops"]) == 3 * size


def test_public_tracking_tells_the_status_and_nothing_personal(slot):
    delivery = make_delivery(slot)
    round_ = published_round(deliveries=[make_delivery(slot, shops=1), delivery])

    body = APIClient().get(f"/api/v1/track/{delivery.tracking_token}/").json()

    assert body["status"] == "ready"
    assert body["stops_before"] == 4
    text = str(body)
    for secret in ("Camille", "06 12", "Gambetta", "Place d'Armes", "Rue Royale", "exemple.fr"):
        assert secret not in text
    assert round_.stops.filter(kind=StopKind.DROPOFF).count() == 2


def test_an_unknown_tracking_token_is_a_404():
    assert APIClient().get("/api/v1/track/pas-un-vrai-jeton/").status_code == 404
