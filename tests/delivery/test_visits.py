"""One stop per shop visit: parcels of several orders taken at one shop in one passage, on the
board, the courier page, the route sheet and the courier API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from delivery import services
from delivery.models import PickupStatus, StopKind, StopState
from hub.exceptions import Conflict
from tests.delivery.factories import DeliverySlotFactory, RoundFactory, make_delivery

pytestmark = pytest.mark.django_db


def optimised_round(deliveries, days=1):
    round_ = RoundFactory(days=days)
    services.add_deliveries(round_.pk, [d.pk for d in deliveries], None)
    services.optimise_round(round_.pk, None)
    services.publish_round(round_.pk, None)
    round_.refresh_from_db()
    return round_


@pytest.fixture
def round_():
    slot = DeliverySlotFactory(days=0)
    return optimised_round([make_delivery(slot, shops=1) for _ in range(3)], days=0)


def pickups(round_):
    return list(round_.stops.filter(kind=StopKind.PICKUP).order_by("sequence"))


def test_the_optimiser_takes_the_parcels_of_one_shop_in_one_visit(round_):
    stops = pickups(round_)

    assert len(stops) == 3
    assert len({s.visit for s in stops}) == 1
    assert [s.sequence for s in stops] == [1, 2, 3]


def test_the_courier_records_a_whole_visit_with_one_action(round_):
    first = pickups(round_)[0]

    done = services.record_visit_pickup(round_.courier.user, first.pk)

    assert len(done) == 3
    assert all(s.state == StopState.DONE for s in pickups(round_))


def test_a_parcel_not_ready_stays_to_do_and_is_recorded_on_its_own_later(round_):
    late = pickups(round_)[1]
    late.pickup.status = PickupStatus.WAITING
    late.pickup.save(update_fields=["status"])

    services.record_visit_pickup(round_.courier.user, late.pk)

    states = {s.pk: s.state for s in pickups(round_)}
    assert states[late.pk] == StopState.TODO
    assert list(states.values()).count(StopState.DONE) == 2
    services.pickup_ready(late.delivery.order_number, late.pickup.shop_id)
    services.record_pickup(round_.courier.user, late.pk)
    late.refresh_from_db()
    assert late.state == StopState.DONE


def test_a_visit_with_nothing_ready_is_refused_with_the_reason(round_):
    for stop in pickups(round_):
        stop.pickup.status = PickupStatus.WAITING
        stop.pickup.save(update_fields=["status"])

    with pytest.raises(Conflict, match="aucune de ces commandes"):
        services.record_visit_pickup(round_.courier.user, pickups(round_)[0].pk)


def test_another_courier_cannot_record_the_visit(round_):
    other = RoundFactory().courier.user
    api = APIClient()
    api.force_authenticate(other)

    response = api.post(f"/api/v1/courier/stops/{pickups(round_)[0].pk}/visit-pickup/")

    assert response.status_code in (403, 404)
    assert all(s.state == StopState.TODO for s in pickups(round_))


def test_the_courier_api_shows_the_visit_and_records_it(round_):
    api = APIClient()
    api.force_authenticate(round_.courier.user)

    today = api.get("/api/v1/courier/rounds/today/").json()
    visits = {s["visit"] for s in today["stops"] if s["kind"] == "pickup"}
    response = api.post(
        f"/api/v1/courier/stops/{pickups(round_)[0].pk}/visit-pickup/",
        HTTP_IDEMPOTENCY_KEY="visite-1",
    )

    assert len(visits) == 1
    assert response.status_code == 200
    assert [s["state"] for s in response.json()] == ["done"] * 3


def test_the_courier_page_shows_one_visit_with_one_button(round_, client):
    client.force_login(round_.courier.user)

    page = client.get(reverse("delivery:courier")).content.decode()

    assert page.count("Tout récupérer") == 1
    assert "Récupérer chez Boulangerie du Beffroi : 3 colis" in page


def test_the_route_sheet_and_the_board_show_the_visit_once(round_, client, django_user_model):
    staff = django_user_model.objects.create_user(email="regul@exemple.fr", password="x")
    from django.contrib.auth.models import Group

    staff.groups.add(Group.objects.get(name="dispatch"))
    client.force_login(staff)

    sheet = client.get(reverse("delivery:route_sheet", args=[round_.pk])).content.decode()
    board = client.get(reverse("delivery:board") + f"?date={round_.date:%Y-%m-%d}").content
    board = board.decode()

    assert "3 commandes" in sheet
    assert "Enlèvement Boulangerie du Beffroi — 3 colis" in board
