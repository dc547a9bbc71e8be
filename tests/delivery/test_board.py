"""The dispatch board: dispatch only, per date and slot, changes through HTMX or plain forms,
failures at once, delivery history, route sheet; constant queries."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from delivery import services
from delivery.models import DeliveryStatus, Round, RoundStatus, StopKind
from hub.services import elide
from tests.delivery.factories import (
    CargoBikeFactory,
    CourierFactory,
    DeliverySlotFactory,
    RoundFactory,
    make_delivery,
    published_round,
)
from tests.hub.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

BOARD = "/livraisons/regulation/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def dispatcher(client):
    client.force_login(StaffFactory(roles=["dispatch"]))
    return client


@pytest.fixture
def slot():
    return DeliverySlotFactory()


def board(client, slot):
    return client.get(BOARD, {"date": slot.date.isoformat()}).content.decode()


@pytest.mark.parametrize("roles", [[], ["direction"], ["coworking"]])
def test_only_dispatch_opens_the_board(client, roles, slot):
    client.force_login(StaffFactory(roles=roles))
    assert client.get(BOARD).status_code == 403
    assert client.post(reverse("delivery:slot_dispatch", args=[slot.pk])).status_code == 403


def test_a_courier_cannot_open_the_board(client):
    client.force_login(CourierFactory().user)
    assert client.get(BOARD).status_code == 403


def test_the_board_shows_each_slot_its_unplanned_deliveries_and_rounds(dispatcher, slot):
    waiting = make_delivery(slot, ready=False)
    planned = make_delivery(slot)
    round_ = RoundFactory(slot=slot)
    services.add_deliveries(round_.pk, [planned.pk], None)

    page = board(dispatcher, slot)

    assert "Créneau 10:00 – 12:00" in page
    assert waiting.order_number in page and "en préparation" in page
    assert str(round_.courier) in page
    assert f"Livraison {planned.order_number}" in page
    assert "Feuille de route" in page


def test_a_bad_date_falls_back_to_today(dispatcher):
    assert dispatcher.get(BOARD, {"date": "n'importe quoi"}).status_code == 200


def test_create_a_round_then_add_deliveries_by_htmx(dispatcher, slot):
    deliveries = [make_delivery(slot, shops=1) for _ in range(2)]
    courier, bike = CourierFactory(), CargoBikeFactory()

    created = dispatcher.post(
        reverse("delivery:round_create"),
        {
            "courier": courier.pk,
            "bike": bike.pk,
            "day": slot.date.isoformat(),
            "slot": slot.pk,
            "start": "09:00",
            "end": "12:30",
        },
        **HTMX,
    )
    # « Tournée de Paul créée. » or « Tournée d'Inès créée. »: the factory draws the name.
    shown = created.content.decode()
    assert escape(f"Tournée {elide('de', courier)} créée.") in shown
    assert 'id="board"' in shown
    round_ = Round.objects.get()

    added = dispatcher.post(
        reverse("delivery:round_add_from_slot"),
        {"round": round_.pk, "deliveries": [d.pk for d in deliveries]},
        **HTMX,
    )

    assert "2 livraisons ajoutées" in added.content.decode()
    assert round_.stops.count() == 4


def test_a_refused_change_is_read_out_and_nothing_changes(dispatcher, slot):
    first = RoundFactory(slot=slot)

    response = dispatcher.post(
        reverse("delivery:round_create"),
        {
            "courier": first.courier.pk,
            "bike": CargoBikeFactory().pk,
            "day": slot.date.isoformat(),
            "start": "10:00",
            "end": "11:00",
        },
        **HTMX,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "board-outcome is-error" in page and "déjà une tournée" in page
    assert Round.objects.count() == 1


def test_bad_round_form_input_is_read_out(dispatcher, slot):
    response = dispatcher.post(
        reverse("delivery:round_create"),
        {"courier": "x", "day": slot.date.isoformat(), "start": "25:00"},
        **HTMX,
    )
    assert "is-error" in response.content.decode()
    assert not Round.objects.exists()


def test_without_htmx_an_action_redirects_back_to_the_day(dispatcher, slot):
    round_ = RoundFactory(slot=slot)
    services.add_deliveries(round_.pk, [make_delivery(slot).pk], None)

    response = dispatcher.post(reverse("delivery:round_optimise", args=[round_.pk]))

    assert response.status_code == 302
    assert response.url == f"{BOARD}?date={round_.date:%Y-%m-%d}"


def test_reorder_by_hand_and_remove(dispatcher, slot):
    a, b = make_delivery(slot, shops=1), make_delivery(slot, shops=1)
    round_ = RoundFactory(slot=slot)
    services.add_deliveries(round_.pk, [a.pk, b.pk], None)
    b_pickup = round_.stops.get(delivery=b, kind=StopKind.PICKUP)

    dispatcher.post(reverse("delivery:stop_move", args=[round_.pk, b_pickup.pk, "monter"]), **HTMX)
    b_pickup.refresh_from_db()
    assert b_pickup.sequence == 2

    a_dropoff = round_.stops.get(delivery=a, kind=StopKind.DROPOFF)
    move_up = reverse("delivery:stop_move", args=[round_.pk, a_dropoff.pk, "monter"])
    dispatcher.post(move_up, **HTMX)
    refused = dispatcher.post(move_up, **HTMX).content.decode()
    assert "is-error" in refused and "doit précéder la livraison" in refused

    dispatcher.post(reverse("delivery:round_remove", args=[round_.pk, a.pk]), **HTMX)
    a.refresh_from_db()
    assert a.round is None


def test_publish_tells_the_courier(dispatcher, slot, django_capture_on_commit_callbacks):
    round_ = RoundFactory(slot=slot)
    services.add_deliveries(round_.pk, [make_delivery(slot).pk], None)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        page = dispatcher.post(reverse("delivery:round_publish", args=[round_.pk]), **HTMX)

    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED
    assert "est prévenu·e par e-mail" in page.content.decode()
    assert mail.outbox[-1].to == [round_.courier.user.email]


def failed_delivery(slot):
    delivery = make_delivery(slot, shops=1)
    round_ = published_round(deliveries=[delivery], slot=slot)
    user = round_.courier.user
    pickup, dropoff = round_.stops.order_by("sequence")
    services.record_pickup(user, pickup.pk)
    services.record_failure(user, dropoff.pk, "address", "Pas de numéro 44")
    return delivery


def test_a_failure_shows_at_once_in_the_refreshed_panel(dispatcher, slot):
    delivery = failed_delivery(slot)

    panel = dispatcher.get(reverse("delivery:failures")).content.decode()

    # Refreshed by live.js: on the stream's news, or polled while the stream is down.
    assert 'hx-trigger="anima:refresh"' in panel
    assert delivery.order_number in panel and "Adresse introuvable" in panel


def test_the_history_shows_who_when_and_from_where(dispatcher, slot):
    delivery = failed_delivery(slot)

    page = dispatcher.get(reverse("delivery:delivery_detail", args=[delivery.pk])).content.decode()

    assert "Application coursier" in page and "Boutique" in page
    assert "Adresse introuvable : Pas de numéro 44" in page
    assert "Reprogrammer et prévenir le client" in page


def test_replan_from_the_delivery_page(dispatcher, slot):
    delivery = failed_delivery(slot)
    later = DeliverySlotFactory(days=2)

    response = dispatcher.post(
        reverse("delivery:delivery_replan", args=[delivery.pk]), {"slot": later.pk}, follow=True
    )

    assert "reprogrammée" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.READY and delivery.slot == later


def test_the_replan_form_preselects_nothing_and_lists_future_slots_nearest_first(dispatcher, slot):
    delivery = failed_delivery(slot)
    further, nearest = DeliverySlotFactory(days=4), DeliverySlotFactory(days=2)

    page = dispatcher.get(reverse("delivery:delivery_detail", args=[delivery.pk])).content.decode()

    form = page[page.index('name="slot"') :]
    assert '<option value="" selected>Choisissez un créneau à venir</option>' in form
    assert form.index(f'value="{nearest.pk}"') < form.index(f'value="{further.pk}"')
    assert f'value="{slot.pk}"' not in form[: form.index("</select>")]


def test_replan_with_a_bad_slot_shows_the_form_again(dispatcher, slot):
    delivery = failed_delivery(slot)
    response = dispatcher.post(
        reverse("delivery:delivery_replan", args=[delivery.pk]), {"slot": 999999}
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


def test_send_back_to_the_shops(dispatcher, slot):
    delivery = failed_delivery(slot)
    dispatcher.post(
        reverse("delivery:delivery_return", args=[delivery.pk]), {"reason": "Adresse fausse"}
    )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETURNED


def test_the_route_sheet_lists_every_stop_for_printing(dispatcher, slot):
    delivery = make_delivery(slot, payment_due="9.90")
    round_ = published_round(deliveries=[delivery], slot=slot)

    page = dispatcher.get(reverse("delivery:route_sheet", args=[round_.pk])).content.decode()

    assert "Feuille de route" in page
    assert "Boulangerie du Beffroi" in page and escape(delivery.address) in page
    assert "9,90" in page and "06 12 34 56 78" in page


def test_the_proof_photo_is_for_staff_only(client, slot):
    delivery = make_delivery(slot)
    url = reverse("delivery:proof_photo", args=[delivery.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(StaffFactory(roles=["dispatch"]))
    assert client.get(url).status_code == 404  # no photo yet


def test_the_board_reads_in_constant_queries(dispatcher, django_assert_max_num_queries):
    for size in (1, 8):
        slot = DeliverySlotFactory(days=size)
        deliveries = [make_delivery(slot) for _ in range(2 * size)]
        round_ = RoundFactory(slot=slot, days=size)
        services.add_deliveries(round_.pk, [d.pk for d in deliveries[:size]], None)
        published_round(deliveries=deliveries[size:], slot=slot, days=size)
        with django_assert_max_num_queries(16):
            response = dispatcher.get(BOARD, {"date": slot.date.isoformat()})
        assert response.status_code == 200


def test_an_unknown_move_is_a_404(dispatcher, slot):
    round_ = RoundFactory(slot=slot)
    services.add_deliveries(round_.pk, [make_delivery(slot, shops=1).pk], None)
    stop = round_.stops.first()
    url = reverse("delivery:stop_move", args=[round_.pk, stop.pk, "sauter"])
    assert dispatcher.post(url).status_code == 404


def test_the_replan_form_offers_later_slots_with_their_places(dispatcher, slot):
    delivery = failed_delivery(slot)
    DeliverySlotFactory(days=2, capacity=5, reserved=2)

    page = dispatcher.get(reverse("delivery:delivery_detail", args=[delivery.pk])).content.decode()

    assert "(3 place(s) libre(s))" in page
