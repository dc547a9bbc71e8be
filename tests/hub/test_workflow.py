"""The declared state machines' framework (``hub.workflow``): one way to move, one history."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from hub.models import StatusChange, Structure
from hub.services import (
    PastMove,
    TransitionRefused,
    record_past,
    status_changes,
    transition,
    transition_many,
)
from hub.workflow import workflows
from shop.models import MerchantOrder, MerchantOrderStatus
from tests.delivery.factories import DeliverySlotFactory
from tests.hub.factories import UserFactory
from tests.shop.factories import ProductFactory, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper():
    return UserFactory(phone="06 12 34 56 78")


@pytest.fixture
def slot():
    return DeliverySlotFactory()


@pytest.fixture
def part(shopper, slot):
    return place(shopper, (ProductFactory(), 1), slot=slot.pk).merchant_orders.get()


def test_a_move_records_who_when_from_to_why_and_where(part):
    user = UserFactory()
    change = transition(
        part, MerchantOrderStatus.ACCEPTED, by=user, why="Bon pour moi", source="test"
    )
    part.refresh_from_db()
    assert part.status == MerchantOrderStatus.ACCEPTED
    assert change.subject == part
    assert (change.from_status, change.to_status) == ("placed", "accepted")
    assert (change.by, change.why, change.source) == (user, "Bon pour moi", "test")
    assert (change.from_label, change.to_label) == ("À accepter", "Acceptée")
    assert change.at is not None


def test_a_move_by_nobody_in_particular_records_no_one(part):
    change = transition(part, MerchantOrderStatus.ACCEPTED, by=AnonymousUser())
    assert change.by is None


def test_a_forbidden_move_is_refused_in_french_and_writes_nothing(part):
    with pytest.raises(TransitionRefused) as refused:
        transition(part, MerchantOrderStatus.DELIVERED, by=UserFactory())
    assert refused.value.message == (
        "Impossible : « commande par commerce » ne peut pas passer de « À accepter » à « Livrée »."
    )
    assert part.status == MerchantOrderStatus.PLACED
    part.refresh_from_db()
    assert part.status == MerchantOrderStatus.PLACED
    assert not StatusChange.objects.exists()


def test_staying_in_the_same_status_is_not_a_move(part):
    with pytest.raises(TransitionRefused):
        transition(part, MerchantOrderStatus.PLACED)
    assert not StatusChange.objects.exists()


def test_a_batch_moves_together_with_one_history_row_each(shopper, slot):
    first = place(shopper, (ProductFactory(), 1), (ProductFactory(), 1), slot=slot.pk)
    parts = MerchantOrder.objects.filter(order=first)
    user = UserFactory()
    assert transition_many(parts, MerchantOrderStatus.CANCELLED, by=user, why="Fermé") == 2
    assert set(parts.values_list("status", flat=True)) == {MerchantOrderStatus.CANCELLED}
    for part in parts:
        [change] = status_changes(part)
        assert (change.from_status, change.to_status, change.by) == ("placed", "cancelled", user)


def test_a_batch_with_one_forbidden_move_writes_nothing(shopper, slot):
    order = place(shopper, (ProductFactory(), 1), (ProductFactory(), 1), slot=slot.pk)
    parts = MerchantOrder.objects.filter(order=order).order_by("pk")
    transition(parts[0], MerchantOrderStatus.ACCEPTED)
    with pytest.raises(TransitionRefused):
        transition_many(parts, MerchantOrderStatus.REFUSED, why="Trop tard")
    assert list(parts.values_list("status", flat=True)) == ["accepted", "placed"]
    assert StatusChange.objects.count() == 1


def _two_parts(shopper, slot):
    order = place(shopper, (ProductFactory(), 1), (ProductFactory(), 1), slot=slot.pk)
    return list(MerchantOrder.objects.filter(order=order).order_by("pk"))


def test_a_made_up_past_moves_rows_along_dated_moves_with_their_history(shopper, slot):
    first, second = _two_parts(shopper, slot)
    updated = first.updated_at
    day = timezone.now() - timedelta(days=30)
    user = UserFactory()
    moves = [
        PastMove(MerchantOrderStatus.ACCEPTED, day, "Acceptée", "demo", user),
        PastMove(MerchantOrderStatus.READY, day + timedelta(hours=2), "Prête", "demo"),
    ]
    refused = [PastMove(MerchantOrderStatus.REFUSED, day, "Rupture", "demo")]
    assert record_past([(first, moves), (second, refused)]) == 3
    assert (first.status, second.status) == ("ready", "refused")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("ready", "refused")
    assert first.updated_at == updated  # the caller dates its rows
    history = [
        (c.from_status, c.to_status, c.at, c.why, c.source, c.by) for c in status_changes(first)
    ]
    assert history == [
        ("placed", "accepted", day, "Acceptée", "demo", user),
        ("accepted", "ready", day + timedelta(hours=2), "Prête", "demo", None),
    ]
    [change] = status_changes(second)
    assert (change.from_status, change.to_status, change.at) == ("placed", "refused", day)


def test_a_made_up_past_with_one_undeclared_move_writes_nothing(shopper, slot):
    first, second = _two_parts(shopper, slot)
    day = timezone.now() - timedelta(days=3)
    good = [PastMove(MerchantOrderStatus.ACCEPTED, day)]
    bad = [
        PastMove(MerchantOrderStatus.ACCEPTED, day),
        PastMove(MerchantOrderStatus.DELIVERED, day),
    ]
    with pytest.raises(TransitionRefused):
        record_past([(first, good), (second, bad)])
    assert (first.status, second.status) == ("placed", "placed")
    assert set(MerchantOrder.objects.values_list("status", flat=True)) == {"placed"}
    assert not StatusChange.objects.exists()


def test_a_made_up_past_starts_from_the_stored_status(shopper, slot):
    first, _second = _two_parts(shopper, slot)
    MerchantOrder.objects.filter(pk=first.pk).update(status=MerchantOrderStatus.ACCEPTED)
    with pytest.raises(TransitionRefused):  # the object still says placed; the row does not
        record_past([(first, [PastMove(MerchantOrderStatus.ACCEPTED, timezone.now())])])
    assert not StatusChange.objects.exists()


def test_a_made_up_past_refuses_moves_out_of_date_order_and_unsaved_rows(shopper, slot):
    first, _second = _two_parts(shopper, slot)
    day = timezone.now() - timedelta(days=3)
    backwards = [
        PastMove(MerchantOrderStatus.ACCEPTED, day),
        PastMove(MerchantOrderStatus.READY, day - timedelta(minutes=1)),
    ]
    with pytest.raises(ValueError):
        record_past([(first, backwards)])
    unsaved = MerchantOrder(order=first.order, merchant=first.merchant)
    with pytest.raises(ValueError):
        record_past([(unsaved, [PastMove(MerchantOrderStatus.ACCEPTED, day)])])
    first.refresh_from_db()
    assert first.status == MerchantOrderStatus.PLACED
    assert not StatusChange.objects.exists()


def test_a_model_without_a_workflow_cannot_be_moved():
    structure = Structure(name="Sans statut")
    with pytest.raises(ImproperlyConfigured):
        transition(structure, "anything")


def test_every_declared_move_names_states_of_its_model():
    assert workflows()
    for workflow in workflows():
        states = set(workflow.states())
        for source, target in workflow.allowed:
            assert {source, target} <= states, (workflow.model, source, target)
            assert source != target, workflow.model


def test_the_admin_page_shows_the_history_read_only(client, shopper, slot):
    order = place(shopper, (ProductFactory(), 1), slot=slot.pk)
    part = order.merchant_orders.get()
    transition(part, MerchantOrderStatus.ACCEPTED, by=shopper, why="Vu en boutique")
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(f"/admin/shop/merchantorder/{part.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Historique des statuts" in html
    assert "Vu en boutique" in html
    assert "À accepter" in html and "Acceptée" in html
    assert 'name="hub-statuschange-content_type-object_id-TOTAL_FORMS"' in html
    assert "hub-statuschange-content_type-object_id-0-why" not in html  # shown, not editable
