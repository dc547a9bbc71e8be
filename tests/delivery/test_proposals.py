"""« Optimiser » and « Répartir » off the request path: a proposal is queued, computed by the
worker (eager here), shown on the board while it is computed and once ready, then applied
atomically — or refused if the deliveries changed meanwhile."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from rest_framework.test import APIClient

from delivery import routing, services
from delivery.models import (
    Delivery,
    PlanProposal,
    ProposalKind,
    ProposalStatus,
    Round,
    StopKind,
)
from delivery.services.proposals import compute_proposal, not_queued_message
from hub.services import elide, status_changes
from tests.concurrency import run_together
from tests.delivery.factories import (
    CargoBikeFactory,
    CourierFactory,
    DeliverySlotFactory,
    RoundFactory,
    make_delivery,
    published_round,
)
from tests.hub.factories import StaffFactory, UserFactory

BOARD = "/livraisons/regulation/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def dispatcher(client):
    client.force_login(StaffFactory(roles=["dispatch"]))
    return client


@pytest.fixture
def slot():
    return DeliverySlotFactory()


@pytest.fixture
def filled(slot):
    """A round in preparation holding three deliveries in a poor order."""
    round_ = RoundFactory(slot=slot)
    deliveries = [make_delivery(slot, shops=1) for _ in range(3)]
    services.add_deliveries(round_.pk, [d.pk for d in deliveries[::-1]], None)
    return round_, deliveries


def stop_order(round_):
    return list(round_.stops.order_by("sequence").values_list("pk", "kind", "delivery_id"))


def optimise(client, round_, capture, execute=True):
    with capture(execute=execute):
        response = client.post(reverse("delivery:round_optimise", args=[round_.pk]), **HTMX)
    return response


def ready_proposal(round_, capture) -> PlanProposal:
    with capture(execute=True):
        proposal = services.start_proposal(ProposalKind.ROUND, round_.pk, None)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.READY
    return proposal


# --- Start and progress -----------------------------------------------------------------------


@pytest.mark.django_db
def test_optimise_queues_a_proposal_and_changes_nothing_yet(
    dispatcher, filled, django_capture_on_commit_callbacks
):
    round_, _deliveries = filled
    before = stop_order(round_)

    page = optimise(dispatcher, round_, django_capture_on_commit_callbacks, execute=False)

    proposal = PlanProposal.objects.get()
    assert proposal.status == ProposalStatus.QUEUED
    assert proposal.kind == ProposalKind.ROUND and proposal.round == round_
    assert proposal.created_by is not None
    text = page.content.decode()
    assert "Calcul du plan lancé" in text
    assert "En attente du calcul" in text
    assert f'hx-get="{reverse("delivery:proposal", args=[proposal.pk])}"' in text
    assert 'hx-trigger="every 2s"' in text
    assert "Actualiser" in text  # without JavaScript: a plain link reloads the board
    assert stop_order(round_) == before


@pytest.mark.django_db(transaction=True)
def test_a_task_the_broker_refuses_fails_the_proposal_and_dispatch_asks_again(
    dispatcher, filled, broker_down
):
    round_, _deliveries = filled
    url = reverse("delivery:round_optimise", args=[round_.pk])

    page = dispatcher.post(url, **HTMX).content.decode()

    proposal = PlanProposal.objects.get()
    assert proposal.status == ProposalStatus.FAILED
    assert proposal.error == not_queued_message()
    assert escape(proposal.error) in page and "Échec du calcul" in page
    assert [(c.from_status, c.to_status) for c in status_changes(proposal)] == [
        (ProposalStatus.QUEUED, ProposalStatus.FAILED)
    ]

    broker_down.back()
    dispatcher.post(url, **HTMX)

    again = PlanProposal.objects.exclude(pk=proposal.pk).get()
    assert again.status == ProposalStatus.READY


@pytest.mark.django_db
def test_the_polled_fragment_shows_each_state(dispatcher, filled):
    round_, _deliveries = filled
    proposal = PlanProposal.objects.create(kind=ProposalKind.ROUND, round=round_, date=round_.date)
    url = reverse("delivery:proposal", args=[proposal.pk])

    assert "En attente du calcul" in dispatcher.get(url, **HTMX).content.decode()

    PlanProposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.RUNNING)
    running = dispatcher.get(url, **HTMX).content.decode()
    assert "Calcul en cours" in running and 'hx-trigger="every 2s"' in running

    assert compute_proposal(proposal.pk) == ProposalStatus.READY
    ready = dispatcher.get(url, **HTMX).content.decode()
    assert "hx-trigger" not in ready
    assert "Appliquer" in ready and "Abandonner" in ready
    assert all(d.order_number in ready for d in round_.deliveries.all())


@pytest.mark.django_db
def test_without_htmx_the_fragment_address_leads_to_the_board(dispatcher, filled):
    round_, _deliveries = filled
    proposal = PlanProposal.objects.create(kind=ProposalKind.ROUND, round=round_, date=round_.date)
    response = dispatcher.get(reverse("delivery:proposal", args=[proposal.pk]))
    assert response.status_code == 302
    assert response.url == f"{BOARD}?date={round_.date:%Y-%m-%d}#proposal-{proposal.pk}"
    assert "En attente du calcul" in dispatcher.get(response.url).content.decode()


@pytest.mark.django_db
def test_the_worker_makes_the_proposal_ready_and_the_board_shows_the_plan(
    dispatcher, filled, django_capture_on_commit_callbacks
):
    round_, deliveries = filled
    before = stop_order(round_)

    page = optimise(dispatcher, round_, django_capture_on_commit_callbacks)

    proposal = PlanProposal.objects.get()
    assert proposal.status == ProposalStatus.READY
    assert proposal.started_at and proposal.finished_at and len(proposal.fingerprint) == 64
    board = dispatcher.get(BOARD, {"date": round_.date.isoformat()}).content.decode()
    # The courier's name is random: « de Bernard », « d'Inès ».
    assert f"Plan proposé — tournée {escape(elide('de', round_.courier))}" in board
    assert "Prête" in board
    assert all(d.order_number in board for d in deliveries)
    assert "Appliquer" in board
    assert page.status_code == 200
    assert stop_order(round_) == before  # nothing written before « Appliquer »


@pytest.mark.django_db
def test_a_second_optimise_while_computing_reuses_the_proposal(
    dispatcher, filled, django_capture_on_commit_callbacks
):
    round_, _deliveries = filled
    optimise(dispatcher, round_, django_capture_on_commit_callbacks, execute=False)
    optimise(dispatcher, round_, django_capture_on_commit_callbacks, execute=False)
    assert PlanProposal.objects.count() == 1


@pytest.mark.django_db
def test_a_started_round_cannot_be_optimised_and_no_proposal_is_made(dispatcher, slot):
    round_ = published_round(deliveries=[make_delivery(slot, shops=1)], slot=slot)
    round_.status = "in_progress"
    round_.save(update_fields=["status"])

    page = dispatcher.post(reverse("delivery:round_optimise", args=[round_.pk]), **HTMX)

    assert "is-error" in page.content.decode() and "a commencé" in page.content.decode()
    assert not PlanProposal.objects.exists()


@pytest.mark.django_db
def test_the_worker_runs_a_proposal_once(filled):
    round_, _deliveries = filled
    proposal = PlanProposal.objects.create(kind=ProposalKind.ROUND, round=round_, date=round_.date)
    assert compute_proposal(proposal.pk) == ProposalStatus.READY
    finished = PlanProposal.objects.get().finished_at
    assert compute_proposal(proposal.pk) == "skipped"
    assert PlanProposal.objects.get().finished_at == finished


# --- Apply and abandon ------------------------------------------------------------------------


@pytest.mark.django_db
def test_apply_writes_the_plan_into_the_round(
    dispatcher, filled, django_capture_on_commit_callbacks
):
    round_, deliveries = filled
    proposal = ready_proposal(round_, django_capture_on_commit_callbacks)

    page = dispatcher.post(reverse("delivery:proposal_apply", args=[proposal.pk]), **HTMX)

    text = page.content.decode()
    assert "Optimisation : 1 tournée(s)" in text and " km" in text
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPLIED and proposal.closed_at
    round_.refresh_from_db()
    assert round_.optimised_at is not None and round_.distance_m > 0
    planned = proposal.plan["rounds"][0]["route"]["stops"]
    written = list(round_.stops.order_by("sequence"))
    assert [(s.kind, s.delivery_id) for s in written] == [
        (s["kind"], int(s["job"])) for s in planned
    ]
    assert f"proposal-{proposal.pk}" not in text  # applied: it leaves the board


@pytest.mark.django_db
def test_apply_reports_the_deliveries_left_out_with_their_reason(
    dispatcher, slot, django_capture_on_commit_callbacks
):
    round_ = RoundFactory(slot=slot)
    heavy = make_delivery(slot, shops=1, weight=150_000)
    services.add_deliveries(round_.pk, [make_delivery(slot).pk, heavy.pk], None)
    proposal = ready_proposal(round_, django_capture_on_commit_callbacks)
    shown = dispatcher.get(reverse("delivery:proposal", args=[proposal.pk]), **HTMX)
    assert f"{heavy.order_number} : Trop lourd" in shown.content.decode()

    page = dispatcher.post(reverse("delivery:proposal_apply", args=[proposal.pk]), **HTMX)

    assert f"Non placées : {heavy.order_number} (Trop lourd" in page.content.decode()
    heavy.refresh_from_db()
    assert heavy.round is None and heavy.unplaced_reason.startswith("Trop lourd")


@pytest.mark.django_db
def test_without_htmx_apply_redirects_to_the_day(
    dispatcher, filled, django_capture_on_commit_callbacks
):
    round_, _deliveries = filled
    proposal = ready_proposal(round_, django_capture_on_commit_callbacks)
    response = dispatcher.post(reverse("delivery:proposal_apply", args=[proposal.pk]))
    assert response.status_code == 302
    assert response.url == f"{BOARD}?date={round_.date:%Y-%m-%d}"


@pytest.mark.django_db
def test_a_second_apply_is_refused_and_changes_nothing(
    dispatcher, filled, django_capture_on_commit_callbacks
):
    round_, _deliveries = filled
    proposal = ready_proposal(round_, django_capture_on_commit_callbacks)
    url = reverse("delivery:proposal_apply", args=[proposal.pk])
    dispatcher.post(url, **HTMX)
    after = stop_order(round_)

    again = dispatcher.post(url, **HTMX).content.decode()

    assert "is-error" in again and "déjà été appliqué" in again
    assert stop_order(round_) == after


@pytest.mark.django_db
def test_abandon_leaves_the_rounds_as_they_are(
    dispatcher, filled, django_capture_on_commit_callbacks
):
    round_, _deliveries = filled
    before = stop_order(round_)
    proposal = ready_proposal(round_, django_capture_on_commit_callbacks)

    page = dispatcher.post(reverse("delivery:proposal_abandon", args=[proposal.pk]), **HTMX)

    assert "abandonné" in page.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ABANDONED
    assert stop_order(round_) == before
    applied = dispatcher.post(reverse("delivery:proposal_apply", args=[proposal.pk]), **HTMX)
    assert "is-error" in applied.content.decode() and "Abandonnée" in applied.content.decode()


# --- Refused when the deliveries changed ------------------------------------------------------


def add_one(round_, slot):
    services.add_deliveries(round_.pk, [make_delivery(slot, shops=1).pk], None)


def cancel_one(round_, slot):
    services.cancel_delivery(round_.deliveries.first().order_number, "Commande annulée")


def move_to_another_slot(round_, slot):
    delivery = round_.deliveries.first()
    services.remove_delivery(round_.pk, delivery.pk, None)
    delivery.refresh_from_db()
    delivery.slot = DeliverySlotFactory(days=2)
    delivery.save()


def drop_a_shop_part(round_, slot):
    delivery = round_.deliveries.first()
    services.pickup_dropped(delivery.order_number, delivery.pickups.first().shop_id)


def make_heavier(round_, slot):
    delivery = round_.deliveries.first()
    delivery.weight_grams += 1000
    delivery.save()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [add_one, cancel_one, move_to_another_slot, drop_a_shop_part, make_heavier],
    ids=["added", "cancelled", "re-slotted", "part dropped", "changed"],
)
def test_apply_is_refused_when_the_deliveries_changed_meanwhile(
    change, dispatcher, filled, slot, django_capture_on_commit_callbacks
):
    round_, _deliveries = filled
    proposal = ready_proposal(round_, django_capture_on_commit_callbacks)
    change(round_, slot)
    before = stop_order(round_)

    page = dispatcher.post(reverse("delivery:proposal_apply", args=[proposal.pk]), **HTMX)

    text = page.content.decode()
    assert "is-error" in text and "Les livraisons ont changé depuis le calcul" in text
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REFUSED
    assert stop_order(round_) == before
    round_.refresh_from_db()
    assert round_.optimised_at is None


@pytest.mark.django_db
def test_apply_is_refused_once_the_courier_picked_up_a_parcel(
    dispatcher, slot, django_capture_on_commit_callbacks
):
    round_ = published_round(
        deliveries=[make_delivery(slot, shops=1) for _ in range(2)], slot=slot, days=0
    )
    proposal = ready_proposal(round_, django_capture_on_commit_callbacks)
    first = round_.stops.filter(kind=StopKind.PICKUP).order_by("sequence").first()
    services.record_pickup(round_.courier.user, first.pk)

    page = dispatcher.post(reverse("delivery:proposal_apply", args=[proposal.pk]), **HTMX)

    assert "is-error" in page.content.decode() and "a commencé" in page.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REFUSED


@pytest.mark.django_db
def test_a_part_marked_ready_after_the_computation_refuses_the_slot_plan(
    dispatcher, slot, django_capture_on_commit_callbacks
):
    late = make_delivery(slot, shops=1, ready=False)
    make_delivery(slot, shops=1)
    CourierFactory()
    CargoBikeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        dispatcher.post(reverse("delivery:slot_dispatch", args=[slot.pk]), **HTMX)
    proposal = PlanProposal.objects.get()
    assert proposal.status == ProposalStatus.READY
    services.pickup_ready(late.order_number, late.pickups.get().shop_id)

    page = dispatcher.post(reverse("delivery:proposal_apply", args=[proposal.pk]), **HTMX)

    assert "Les livraisons ont changé" in page.content.decode()
    assert not Round.objects.exists()


@pytest.mark.django_db
def test_a_courier_taken_meanwhile_refuses_the_slot_plan(
    dispatcher, slot, django_capture_on_commit_callbacks
):
    make_delivery(slot, shops=1)
    couriers = [CourierFactory(), CourierFactory()]
    CargoBikeFactory(), CargoBikeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        dispatcher.post(reverse("delivery:slot_dispatch", args=[slot.pk]), **HTMX)
    proposal = PlanProposal.objects.get()
    RoundFactory(courier=couriers[0], start=slot.start - timedelta(hours=1), end=slot.end)

    page = dispatcher.post(reverse("delivery:proposal_apply", args=[proposal.pk]), **HTMX)

    assert "un coursier n&#x27;est plus libre" in page.content.decode()
    assert Round.objects.count() == 1
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REFUSED


# --- « Répartir » -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_split_a_slot_creates_rounds_only_when_applied(
    dispatcher, slot, django_capture_on_commit_callbacks
):
    for _ in range(3):
        make_delivery(slot, shops=1)
    courier = CourierFactory()
    CargoBikeFactory()

    with django_capture_on_commit_callbacks(execute=True):
        started = dispatcher.post(reverse("delivery:slot_dispatch", args=[slot.pk]), **HTMX)

    assert "Calcul du plan lancé" in started.content.decode()
    board = dispatcher.get(BOARD, {"date": slot.date.isoformat()}).content.decode()
    assert "Plan proposé — répartition du créneau" in board and "nouvelle tournée" in board
    assert not Round.objects.exists()
    proposal = PlanProposal.objects.get()
    assert proposal.kind == ProposalKind.SLOT and proposal.slot == slot

    page = dispatcher.post(reverse("delivery:proposal_apply", args=[proposal.pk]), **HTMX)

    assert "Optimisation : 1 tournée(s)" in page.content.decode()
    round_ = Round.objects.get()
    assert round_.courier == courier and round_.deliveries.count() == 3


@pytest.mark.django_db
def test_a_slot_with_nothing_to_place_is_said_at_once(dispatcher, slot):
    page = dispatcher.post(reverse("delivery:slot_dispatch", args=[slot.pk]), **HTMX)
    assert "Aucune livraison à répartir" in page.content.decode()
    assert not PlanProposal.objects.exists()


# --- A failed computation ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_failed_computation_shows_a_french_error(
    dispatcher, filled, monkeypatch, django_capture_on_commit_callbacks
):
    round_, _deliveries = filled

    def broken(*args, **kwargs):
        raise RuntimeError("vroom exploded")

    monkeypatch.setattr(routing, "solve", broken)

    optimise(dispatcher, round_, django_capture_on_commit_callbacks)

    proposal = PlanProposal.objects.get()
    assert proposal.status == ProposalStatus.FAILED
    board = dispatcher.get(BOARD, {"date": round_.date.isoformat()}).content.decode()
    assert "Échec du calcul" in board and "Le calcul du plan a échoué" in board
    assert "vroom" not in board
    assert "Appliquer" not in board.split(f'id="proposal-{proposal.pk}"')[1].split("</section>")[0]


@pytest.mark.django_db
def test_deliveries_gone_before_the_worker_runs_fail_with_the_reason(
    dispatcher, slot, django_capture_on_commit_callbacks
):
    delivery = make_delivery(slot, shops=1)
    CourierFactory()
    CargoBikeFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dispatcher.post(reverse("delivery:slot_dispatch", args=[slot.pk]), **HTMX)
    services.cancel_delivery(delivery.order_number, "Commande annulée")
    for callback in callbacks:
        callback()

    proposal = PlanProposal.objects.get()
    assert proposal.status == ProposalStatus.FAILED
    assert proposal.error == "Aucune livraison à répartir sur ce créneau."


# --- Who may -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["courier", "shopper", "direction"])
def test_only_dispatch_optimises_applies_or_abandons(who, client, filled):
    round_, _deliveries = filled
    proposal = PlanProposal.objects.create(kind=ProposalKind.ROUND, round=round_, date=round_.date)
    compute_proposal(proposal.pk)
    user = {
        "courier": lambda: CourierFactory().user,
        "shopper": UserFactory,
        "direction": lambda: StaffFactory(roles=["direction"]),
    }[who]()
    client.force_login(user)

    assert client.post(reverse("delivery:round_optimise", args=[round_.pk])).status_code == 403
    assert client.post(reverse("delivery:slot_dispatch", args=[round_.slot_id])).status_code == 403
    assert client.get(reverse("delivery:proposal", args=[proposal.pk])).status_code == 403
    for name in ("delivery:proposal_apply", "delivery:proposal_abandon"):
        assert client.post(reverse(name, args=[proposal.pk])).status_code == 403
    assert PlanProposal.objects.get().status == ProposalStatus.READY
    assert PlanProposal.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_proposal_is_a_404(dispatcher):
    assert dispatcher.get(reverse("delivery:proposal", args=[999]), **HTMX).status_code == 404
    assert dispatcher.post(reverse("delivery:proposal_apply", args=[999])).status_code == 404


# --- The board's queries ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
def test_the_board_reads_its_proposals_in_constant_queries(
    count, dispatcher, slot, django_assert_max_num_queries
):
    for _ in range(count):
        round_ = RoundFactory(slot=slot)
        services.add_deliveries(round_.pk, [make_delivery(slot, shops=1).pk], None)
        proposal = PlanProposal.objects.create(
            kind=ProposalKind.ROUND, round=round_, date=round_.date
        )
        compute_proposal(proposal.pk)
        PlanProposal.objects.create(kind=ProposalKind.SLOT, slot=slot, date=slot.date)

    with django_assert_max_num_queries(40):
        page = dispatcher.get(BOARD, {"date": slot.date.isoformat()})
    assert page.content.decode().count('class="proposal"') == 2 * count


# --- The API ----------------------------------------------------------------------------------


@pytest.fixture
def api():
    client = APIClient()
    client.force_authenticate(UserFactory(roles=["dispatch"]))
    return client


@pytest.mark.django_db
def test_the_api_queues_then_applies_a_proposal_once(
    api, filled, django_capture_on_commit_callbacks
):
    round_, _deliveries = filled
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = api.post(f"/api/v1/dispatch/rounds/{round_.pk}/optimise/")
    assert queued.status_code == 202
    body = queued.json()
    assert body["status"] == "queued" and body["status_label"] == "En attente du calcul"
    for callback in callbacks:
        callback()

    ready = api.get(f"/api/v1/dispatch/proposals/{body['id']}/").json()
    assert ready["status"] == "ready" and ready["plan"]["rounds"][0]["route"]["stops"]

    applied = api.post(f"/api/v1/dispatch/proposals/{body['id']}/apply/")
    assert applied.status_code == 200
    assert applied.json()["rounds"][0]["id"] == round_.pk and applied.json()["distance_m"] > 0
    again = api.post(f"/api/v1/dispatch/proposals/{body['id']}/apply/")
    assert again.status_code == 409 and "déjà été appliqué" in again.json()["detail"]


@pytest.mark.django_db
def test_the_api_refuses_a_changed_plan_with_a_409(
    api, filled, slot, django_capture_on_commit_callbacks
):
    round_, _deliveries = filled
    proposal = ready_proposal(round_, django_capture_on_commit_callbacks)
    add_one(round_, slot)

    refused = api.post(f"/api/v1/dispatch/proposals/{proposal.pk}/apply/")

    assert refused.status_code == 409
    assert "Les livraisons ont changé" in refused.json()["detail"]
    assert api.get(f"/api/v1/dispatch/proposals/{proposal.pk}/").json()["status"] == "refused"


@pytest.mark.django_db
def test_the_api_abandons_and_is_for_dispatch_only(api, filled, django_capture_on_commit_callbacks):
    round_, _deliveries = filled
    proposal = ready_proposal(round_, django_capture_on_commit_callbacks)
    courier = APIClient()
    courier.force_authenticate(CourierFactory().user)
    assert courier.get(f"/api/v1/dispatch/proposals/{proposal.pk}/").status_code == 403
    assert courier.post(f"/api/v1/dispatch/proposals/{proposal.pk}/apply/").status_code == 403

    abandoned = api.post(f"/api/v1/dispatch/proposals/{proposal.pk}/abandon/")

    assert abandoned.json()["status"] == "abandoned"


# --- Races --------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_appliers_at_once_apply_the_plan_once():
    slot = DeliverySlotFactory()
    round_ = RoundFactory(slot=slot)
    services.add_deliveries(round_.pk, [make_delivery(slot, shops=1).pk for _ in range(3)], None)
    proposal = PlanProposal.objects.create(kind=ProposalKind.ROUND, round=round_, date=round_.date)
    compute_proposal(proposal.pk)

    outcomes = run_together([lambda: services.apply_proposal(proposal.pk, None)] * 4)

    assert sorted(outcomes) == ["conflict"] * 3 + ["ok"]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPLIED
    assert round_.stops.count() == 6
    assert Delivery.objects.filter(round=round_).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_claim_and_finish_the_proposal_once():
    slot = DeliverySlotFactory()
    round_ = RoundFactory(slot=slot)
    services.add_deliveries(round_.pk, [make_delivery(slot, shops=1).pk for _ in range(2)], None)
    proposal = PlanProposal.objects.create(kind=ProposalKind.ROUND, round=round_, date=round_.date)

    outcomes = run_together([lambda: compute_proposal(proposal.pk)] * 3)

    assert outcomes == ["ok"] * 3
    moves = [(c.from_status, c.to_status) for c in status_changes(proposal)]
    assert moves == [("queued", "running"), ("running", "ready")]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.READY


@pytest.mark.django_db
def test_a_proposal_abandoned_while_computed_stays_abandoned(dispatcher, filled):
    round_, _deliveries = filled
    proposal = PlanProposal.objects.create(kind=ProposalKind.ROUND, round=round_, date=round_.date)
    dispatcher.post(reverse("delivery:proposal_abandon", args=[proposal.pk]), **HTMX)

    assert compute_proposal(proposal.pk) == "skipped"
    assert PlanProposal.objects.get().status == ProposalStatus.ABANDONED


# --- « Re-planifier la suite » of a started round ----------------------------------------------


@pytest.fixture
def started():
    """A round of today with two deliveries, the first one's parcels picked up before the
    slot (so that the slot is ahead whatever the hour the tests run at)."""
    slot = DeliverySlotFactory(days=0)
    first, second = make_delivery(slot, shops=1), make_delivery(slot, shops=1)
    round_ = published_round(deliveries=[first, second], days=0)
    stop = round_.stops.get(kind=StopKind.PICKUP, delivery=first)
    at = min(timezone.now(), slot.start - timedelta(minutes=45))
    services.record_pickup(round_.courier.user, stop.pk, at)
    return round_, first, second


@pytest.mark.django_db
def test_replan_of_a_started_round_is_proposed_then_applied(
    dispatcher, started, django_capture_on_commit_callbacks
):
    round_, first, _second = started
    done = round_.stops.get(state="done")

    with django_capture_on_commit_callbacks(execute=True):
        dispatcher.post(reverse("delivery:round_replan", args=[round_.pk]), **HTMX)

    proposal = PlanProposal.objects.get()
    assert proposal.kind == ProposalKind.REPLAN and proposal.status == ProposalStatus.READY
    board = dispatcher.get(BOARD, {"date": round_.date.isoformat()}).content.decode()
    # The courier's name is random: « de Bernard », « d'Inès ».
    assert f"Plan proposé — suite de la tournée {escape(elide('de', round_.courier))}" in board

    page = dispatcher.post(reverse("delivery:proposal_apply", args=[proposal.pk]), **HTMX)

    assert "Optimisation : 1 tournée(s)" in page.content.decode()
    stops = list(round_.stops.order_by("sequence"))
    assert stops[0].pk == done.pk
    assert [s.kind for s in stops[1:] if s.delivery_id == first.pk] == [StopKind.DROPOFF]


@pytest.mark.django_db
def test_a_stop_recorded_after_the_replan_was_computed_refuses_it(
    dispatcher, started, django_capture_on_commit_callbacks
):
    round_, _first, second = started
    with django_capture_on_commit_callbacks(execute=True):
        dispatcher.post(reverse("delivery:round_replan", args=[round_.pk]), **HTMX)
    proposal = PlanProposal.objects.get()
    pickup = round_.stops.get(kind=StopKind.PICKUP, delivery=second)
    services.record_pickup(round_.courier.user, pickup.pk)
    before = stop_order(round_)

    page = dispatcher.post(reverse("delivery:proposal_apply", args=[proposal.pk]), **HTMX)

    assert "Les livraisons ont changé" in page.content.decode()
    assert stop_order(round_) == before
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REFUSED
