"""Where a delivery stands: stops ahead of the drop-off, steps, and a public link that shows
the status and nothing personal."""

import pytest
from django.urls import reverse

from delivery import services
from delivery.models import StopKind
from tests.delivery.factories import (
    DeliverySlotFactory,
    RelayPointFactory,
    make_delivery,
    published_round,
)

pytestmark = pytest.mark.django_db

PERSONAL = ("Camille", "Durand", "06 12", "Gambetta", "Place d", "Rue Royale", "exemple.fr")


@pytest.fixture
def slot():
    return DeliverySlotFactory()


def test_stops_before_count_the_stops_still_to_ride(slot):
    first, mine = make_delivery(slot, shops=1), make_delivery(slot, shops=2)
    round_ = published_round(deliveries=[first, mine], slot=slot)
    assert services.tracking_for_order(mine.order_number).stops_before == 4

    pickup = round_.stops.order_by("sequence").first()
    services.record_pickup(round_.courier.user, pickup.pk)

    tracking = services.tracking_for_order(mine.order_number)
    assert tracking.stops_before == 3
    assert tracking.stops_before_label == "3 arrêts avant vous"


def test_no_count_before_the_round_is_published(slot):
    delivery = make_delivery(slot)
    assert services.tracking_for_order(delivery.order_number).stops_before is None


def test_the_steps_follow_the_status(slot):
    delivery = make_delivery(slot, ready=False)
    steps = services.tracking_for_order(delivery.order_number).steps
    assert [s.current for s in steps] == [True, False, False, False]

    round_ = published_round(deliveries=[make_delivery(slot, shops=1)], slot=slot)
    user = round_.courier.user
    pickup, dropoff = round_.stops.order_by("sequence")
    services.record_pickup(user, pickup.pk)
    services.record_delivery(user, dropoff.pk, "Camille")
    done = services.tracking_for_order(dropoff.delivery.order_number)
    assert all(step.done for step in done.steps)
    assert done.label == "Livrée"


def test_the_public_page_shows_status_only(client, slot):
    delivery = make_delivery(slot)
    published_round(deliveries=[make_delivery(slot, shops=1), delivery], slot=slot)

    response = client.get(reverse("delivery:track", args=[delivery.tracking_token]))

    page = response.content.decode()
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "4 arrêts avant vous" in page and "Prête à partir" in page
    assert '<meta name="robots" content="noindex">' in page
    for secret in PERSONAL + (delivery.order_number,):
        assert secret not in page


def test_a_failure_is_told_without_the_note(client, slot):
    delivery = make_delivery(slot, shops=1)
    round_ = published_round(deliveries=[delivery], slot=slot)
    user = round_.courier.user
    services.record_pickup(user, round_.stops.get(kind=StopKind.PICKUP).pk)
    services.record_failure(user, round_.stops.get(kind=StopKind.DROPOFF).pk, "other", "Chien")

    page = client.get(reverse("delivery:track", args=[delivery.tracking_token])).content.decode()

    assert "Échec de livraison" in page and "nouvelle tentative" in page
    assert "Chien" not in page


@pytest.mark.parametrize("token", ["inconnu", "x" * 80])
def test_an_unknown_token_is_a_404(client, token):
    assert client.get(f"/suivi/{token}/").status_code == 404


def test_a_relay_point_delivery_says_where_to_collect_it(slot):
    point = RelayPointFactory(name="Pôle Anima", address="Pôle Anima, 62100 Calais")
    delivery = services.create_delivery(
        services.DeliveryRequest(
            order_number="R1",
            slot_id=slot.pk,
            contact_name="Camille",
            contact_phone="0612345678",
            contact_email="c@exemple.fr",
            pickups=[services.PickupRequest(1, "Boulangerie", "18 Rue Mollien, 62100 Calais")],
            relay_point_id=point.pk,
        )
    )
    services.pickup_ready("R1", 1)
    round_ = published_round(deliveries=[delivery], slot=slot)
    user = round_.courier.user
    services.record_pickup(user, round_.stops.get(kind=StopKind.PICKUP).pk)
    services.record_delivery(user, round_.stops.get(kind=StopKind.DROPOFF).pk, "Accueil du pôle")

    tracking = services.tracking_for_order("R1")
    delivery.refresh_from_db()
    assert delivery.address == "Pôle Anima, 62100 Calais"
    assert tracking.detail == "Déposée au point relais Pôle Anima : elle vous y attend."
