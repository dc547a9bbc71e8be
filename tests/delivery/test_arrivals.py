"""Expected arrival times: set when a plan is applied, moved by each stop the courier records,
and told to the shopper as a window inside the slot (or plainly late), with nothing personal
on the public page."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery import routing, services
from delivery.models import ProposalKind, RoundStatus, Stop, StopKind, StopState
from delivery.services import arrivals
from delivery.services.arrival_window import arrival_window
from tests.delivery.factories import (
    DeliverySlotFactory,
    RoundFactory,
    make_delivery,
    published_round,
)
from tests.delivery.test_tracking import PERSONAL
from tests.hub.factories import StaffFactory

pytestmark = pytest.mark.django_db


def at(hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(2026, 11, 27, hour, minute))


@pytest.fixture
def slot():
    return DeliverySlotFactory()  # tomorrow 10:00 – 12:00


@pytest.fixture
def frozen_now(monkeypatch):
    """Set the clock the courier's actions read (the test decides when they happen)."""

    def freeze(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return freeze


def optimised_round(slot, deliveries):
    round_ = RoundFactory(slot=slot)
    services.add_deliveries(round_.pk, [d.pk for d in deliveries], None)
    services.optimise_round(round_.pk, None)
    services.publish_round(round_.pk, None)
    round_.refresh_from_db()
    return round_


def stops_of(round_):
    return list(round_.stops.order_by("sequence", "pk"))


def point(stop) -> routing.Point:
    place = stop.pickup if stop.kind == StopKind.PICKUP else stop.delivery
    return routing.Point(float(place.latitude), float(place.longitude))


def ride_s(a: Stop, b: Stop) -> int:
    return services.solver_options().travel_times.matrix([point(a), point(b)])[1][0][1]


@pytest.mark.parametrize(
    ("expected", "window", "late"),
    [
        (at(14, 50), ("14 h 40", "15 h 00"), False),
        (at(14, 43), ("14 h 35", "14 h 55"), False),
        (at(14, 2), ("14 h 00", "14 h 20"), False),  # moved inside the slot's start
        (at(15, 57), ("15 h 40", "16 h 00"), False),  # moved inside the slot's end
        (at(16, 7), ("15 h 55", "16 h 15"), True),  # past the slot: told late
        (at(13, 40), ("14 h 00", "14 h 20"), False),  # early (a door open before the slot)
    ],
)
def test_the_window_is_twenty_minutes_around_the_rounded_arrival_inside_the_slot(
    expected, window, late
):
    found = arrival_window(expected, at(14), at(16))

    assert found.label == f"entre {window[0]} et {window[1]}"
    assert found.late is late


def test_a_morning_window_reads_the_hour_without_a_leading_zero():
    assert arrival_window(at(9, 12), at(9), at(11)).label == "entre 9 h 00 et 9 h 20"


def test_applying_a_plan_expects_each_stop_at_its_planned_time(slot):
    round_ = RoundFactory(slot=slot)
    services.add_deliveries(round_.pk, [make_delivery(slot).pk, make_delivery(slot).pk], None)
    assert all(s.expected_at == s.planned_at is not None for s in stops_of(round_))

    services.optimise_round(round_.pk, None)

    stops = stops_of(round_)
    assert len(stops) == 6
    assert all(s.expected_at == s.planned_at is not None for s in stops)
    assert [s.expected_at for s in stops] == sorted(s.expected_at for s in stops)


def test_an_applied_proposal_expects_each_stop_at_its_planned_time(
    slot, django_capture_on_commit_callbacks
):
    round_ = RoundFactory(slot=slot)
    services.add_deliveries(round_.pk, [make_delivery(slot).pk, make_delivery(slot).pk], None)
    Stop.objects.filter(round=round_).update(expected_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.start_proposal(ProposalKind.ROUND, round_.pk, None)

    services.apply_proposal(proposal.pk, None)

    stops = stops_of(round_)
    assert len(stops) == 6
    assert all(s.expected_at == s.planned_at is not None for s in stops)


def test_a_late_courier_moves_the_next_arrivals_later(
    slot, frozen_now, django_capture_on_commit_callbacks
):
    round_ = published_round(deliveries=[make_delivery(slot, shops=1) for _ in range(2)])
    first, *rest = stops_of(round_)
    planned = {s.pk: s.expected_at for s in rest}
    frozen_now(slot.start + timedelta(minutes=50))  # the plan had the first pickup before 9:10

    with django_capture_on_commit_callbacks(execute=True):
        services.record_pickup(round_.courier.user, first.pk)

    first.refresh_from_db()
    moved = stops_of(round_)[1:]
    assert moved[0].expected_at == first.done_at + timedelta(seconds=ride_s(first, moved[0]))
    for stop in moved:
        assert stop.expected_at - planned[stop.pk] > timedelta(minutes=30)
    assert [s.expected_at for s in moved] == sorted(s.expected_at for s in moved)


def test_an_early_courier_still_waits_for_the_slot_to_open_at_the_door(
    slot, frozen_now, django_capture_on_commit_callbacks
):
    delivery = make_delivery(slot, shops=1)
    round_ = published_round(deliveries=[delivery])
    pickup, dropoff = stops_of(round_)
    frozen_now(round_.start)

    with django_capture_on_commit_callbacks(execute=True):
        services.record_pickup(round_.courier.user, pickup.pk)

    dropoff.refresh_from_db()
    assert dropoff.expected_at == slot.start
    tracking = services.tracking_for_order(delivery.order_number)
    assert tracking.arrival_label == "Arrivée prévue entre 10 h 00 et 10 h 20."


def test_a_parcel_of_the_same_shop_visit_takes_only_its_handling_time(
    slot, frozen_now, django_capture_on_commit_callbacks
):
    round_ = optimised_round(slot, [make_delivery(slot, shops=1) for _ in range(2)])
    first, second = stops_of(round_)[:2]
    assert (first.kind, second.kind, first.visit) == ("pickup", "pickup", second.visit)
    frozen_now(round_.start + timedelta(minutes=20))

    with django_capture_on_commit_callbacks(execute=True):
        services.record_pickup(round_.courier.user, first.pk)

    second.refresh_from_db()
    assert second.expected_at == round_.start + timedelta(minutes=20)


def test_the_break_still_to_take_delays_the_stops_after_it(
    slot, frozen_now, django_capture_on_commit_callbacks
):
    round_ = published_round(deliveries=[make_delivery(slot, shops=1) for _ in range(2)])
    stops = stops_of(round_)
    round_.break_at, round_.break_minutes = stops[0].planned_at, 20
    round_.save(update_fields=["break_at", "break_minutes"])
    frozen_now(slot.start)

    with django_capture_on_commit_callbacks(execute=True):
        services.record_pickup(round_.courier.user, stops[0].pk)

    after = stops_of(round_)
    ride = timedelta(seconds=ride_s(stops[0], stops[1]))
    assert after[1].expected_at == slot.start + timedelta(minutes=20) + ride


def test_a_stop_recorded_meanwhile_keeps_the_newer_times(
    slot, frozen_now, monkeypatch, django_capture_on_commit_callbacks
):
    round_ = published_round(deliveries=[make_delivery(slot, shops=1) for _ in range(2)])
    first, second, *rest = stops_of(round_)
    planned = [s.expected_at for s in rest]
    frozen_now(slot.start + timedelta(minutes=50))
    asked = routing.arrivals_from

    def slow_service(*args, **kwargs):
        # The second pickup is recorded while the travel times of the first are computed.
        Stop.objects.filter(pk=second.pk).update(state=StopState.DONE, done_at=timezone.now())
        return asked(*args, **kwargs)

    monkeypatch.setattr(arrivals.routing, "arrivals_from", slow_service)
    Stop.objects.filter(pk=first.pk).update(state=StopState.DONE, done_at=timezone.now())

    arrivals.refresh_expected_arrivals(round_.pk)

    assert [s.expected_at for s in stops_of(round_)[2:]] == planned


def test_the_public_page_and_its_refresh_show_the_arrival_window_and_nothing_personal(
    client, slot, frozen_now, django_capture_on_commit_callbacks
):
    delivery = make_delivery(slot, shops=1)
    round_ = published_round(deliveries=[make_delivery(slot, shops=1), delivery])
    page_url = reverse("delivery:track", args=[delivery.tracking_token])
    refresh_url = reverse("delivery:track_progress", args=[delivery.tracking_token])
    planned = services.tracking_for_order(delivery.order_number).arrival
    before = client.get(page_url).content.decode()
    assert f"Arrivée prévue {planned.label}." in before
    assert f'hx-get="{refresh_url}"' in before
    frozen_now(slot.start + timedelta(minutes=55))

    with django_capture_on_commit_callbacks(execute=True):
        services.record_pickup(round_.courier.user, stops_of(round_)[0].pk)

    response = client.get(refresh_url)
    block = response.content.decode()
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "<html" not in block and 'class="tracking"' in block
    moved = services.tracking_for_order(delivery.order_number).arrival
    assert moved.start > planned.start
    assert f"Arrivée prévue {moved.label}." in block
    for secret in PERSONAL + (delivery.order_number,):
        assert secret not in block


def test_a_courier_late_past_the_slot_is_told_as_late(slot):
    delivery = make_delivery(slot, shops=1)
    published_round(deliveries=[delivery])
    delivery.stops.filter(kind=StopKind.DROPOFF).update(
        expected_at=slot.end + timedelta(minutes=12)
    )

    tracking = services.tracking_for_order(delivery.order_number)

    assert tracking.arrival.late
    assert tracking.arrival_label == (
        "Avec du retard : arrivée prévue entre 12 h 00 et 12 h 20, après la fin de votre "
        "créneau (12 h 00)."
    )


def test_before_publication_only_the_slot_is_shown(client, slot):
    delivery = make_delivery(slot, shops=1)
    page = client.get(reverse("delivery:track", args=[delivery.tracking_token])).content.decode()
    assert "Arrivée prévue" not in page and "Créneau de livraison" in page

    round_ = RoundFactory(slot=slot)
    services.add_deliveries(round_.pk, [delivery.pk], None)  # a draft may still change
    assert services.tracking_for_order(delivery.order_number).arrival is None


def test_a_delivered_parcel_has_no_window_and_the_page_stops_asking(client, slot):
    delivery = make_delivery(slot, shops=1)
    round_ = published_round(deliveries=[delivery])
    pickup, dropoff = stops_of(round_)
    services.record_pickup(round_.courier.user, pickup.pk)
    services.record_delivery(round_.courier.user, dropoff.pk, "Camille")

    page = client.get(reverse("delivery:track", args=[delivery.tracking_token])).content.decode()

    assert "Arrivée prévue" not in page and "hx-get" not in page


def test_an_unknown_token_has_no_refresh_either(client):
    assert client.get("/suivi/inconnu/avancement/").status_code == 404


def test_the_tracking_api_gives_the_window(client, slot):
    delivery = make_delivery(slot, shops=1)
    published_round(deliveries=[delivery])

    data = client.get(f"/api/v1/track/{delivery.tracking_token}/").json()

    assert data["arrival_label"] == "Arrivée prévue entre 10 h 00 et 10 h 20."
    assert data["arrival_late"] is False
    assert data["arrival_start"].startswith(slot.start.date().isoformat())


def test_the_tracking_page_reads_in_constant_queries(client, django_assert_max_num_queries):
    for size in (1, 6):
        slot = DeliverySlotFactory(days=size)
        deliveries = [make_delivery(slot, shops=2) for _ in range(size)]
        mine = deliveries[-1]
        round_ = published_round(deliveries=deliveries, slot=slot, days=size)
        assert round_.status == RoundStatus.PUBLISHED
        for url in ("delivery:track", "delivery:track_progress"):
            with django_assert_max_num_queries(6):
                response = client.get(reverse(url, args=[mine.tracking_token]))
            assert "Arrivée prévue" in response.content.decode()


def test_dispatch_sees_how_late_a_stop_is_expected_and_the_courier_the_new_time(client, slot):
    round_ = published_round(deliveries=[make_delivery(slot, shops=1)])
    pickup, dropoff = stops_of(round_)
    late = dropoff.planned_at + timedelta(minutes=25)
    Stop.objects.filter(pk=dropoff.pk).update(expected_at=late)
    Stop.objects.filter(pk=pickup.pk).update(expected_at=pickup.planned_at + timedelta(minutes=4))
    client.force_login(StaffFactory(roles=["dispatch"]))

    board = client.get("/livraisons/regulation/", {"date": slot.date.isoformat()})

    text = board.content.decode()
    assert f"attendu {timezone.localtime(late):%H:%M} (+25 min)" in text
    assert text.count("attendu ") == 1  # 4 minutes late is on time
    dropoff.refresh_from_db()
    assert dropoff.delay_minutes == 25
    dropoff.state = StopState.DONE
    assert dropoff.delay_minutes == 0
