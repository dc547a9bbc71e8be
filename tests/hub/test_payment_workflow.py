"""Online payments' state machines: the payment, its parts, refunds and payouts make only their
declared moves, and each move the provider's answers cause is in the status history with the
provider's state and what brought it (return page, webhook, settling job, staff)."""

import pytest

from hub.models import (
    OperationStatus,
    PartStatus,
    Payment,
    PaymentPart,
    PaymentStatus,
    Payout,
    PayoutAccount,
    Refund,
    StatusChange,
)
from hub.payments import services as payments
from hub.payments.workflows import PART, PAYMENT, PAYOUT, REFUND
from hub.roles import Role
from hub.services import status_changes
from shop import services
from tests.concurrency import run_together
from tests.delivery.factories import DeliverySlotFactory
from tests.hub.factories import StaffFactory, UserFactory
from tests.shop.factories import ProductFactory, connect, deliver_events, place
from tests.workflows import walk_every_move


def _payment() -> Payment:
    return Payment.objects.create(
        purpose="test", reference="R1", description="Test", email="a@example.org", amount=1000
    )


def _part(payment: Payment) -> PaymentPart:
    account = PayoutAccount.objects.create(payee="shop.merchant:1", label="Shop", provider_id="a1")
    return PaymentPart.objects.create(
        payment=payment, key="k", label="Part", amount=1000, account=account
    )


@pytest.mark.django_db
def test_a_payment_makes_every_allowed_move_and_no_other():
    assert walk_every_move(PAYMENT, _payment(), UserFactory()) == (4, 21)


@pytest.mark.django_db
def test_a_payment_part_makes_every_allowed_move_and_no_other():
    assert walk_every_move(PART, _part(_payment()), UserFactory()) == (4, 12)


@pytest.mark.django_db
def test_a_refund_makes_every_allowed_move_and_no_other():
    payment = _payment()
    refund = Refund.objects.create(payment=payment, amount=100, reason="Cassé")
    assert walk_every_move(REFUND, refund, UserFactory()) == (2, 7)


@pytest.mark.django_db
def test_a_payout_makes_every_allowed_move_and_no_other():
    part = _part(_payment())
    payout = Payout.objects.create(part=part, account=part.account, amount=900)
    assert walk_every_move(PAYOUT, payout, UserFactory()) == (3, 6)


@pytest.fixture
def order(client, stripe_standin):
    """An order of one shop, to pay online."""
    product = ProductFactory()
    connect(product.merchant, stripe_standin)
    shopper = product.merchant.owner
    shopper.phone = "06 12 34 56 78"
    shopper.save()
    client.force_login(shopper)
    return place(shopper, (product, 1), slot=DeliverySlotFactory().pk, payment="online")


def _moves(obj) -> list[tuple[str, str, str]]:
    return [(c.from_status, c.to_status, c.source) for c in status_changes(obj)]


def _paid_through_the_webhook(client, order, standin) -> Payment:
    from shop import payments as shop_payments

    standin.pay(shop_payments.payment_page(order).rsplit("/", 1)[-1])
    deliver_events(client, standin)
    return Payment.objects.get(reference=order.number)


@pytest.mark.django_db(transaction=True)
def test_a_payment_charged_and_paid_out_leaves_each_move_in_the_history(
    client, order, stripe_standin
):
    payment = _paid_through_the_webhook(client, order, stripe_standin)
    services.accept_part(order.merchant_orders.get())

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CAPTURED
    authorised, captured = status_changes(payment)
    # The first of the provider's events about the payment moved it (the others found it moved).
    first_event = next(e["type"] for e in stripe_standin.events if e["type"] != "account.updated")
    assert _moves(payment) == [
        ("open", "authorised", f"payments.webhook {first_event}"),
        ("authorised", "captured", "payments.settle"),
    ]
    assert payment.intent_id in authorised.why and "requires_capture" in authorised.why
    assert "succeeded" in captured.why
    assert authorised.by is None
    shop_part = payment.parts.get(account__isnull=False)
    assert _moves(shop_part) == [
        ("pending", "accepted", "payments.decide_part"),
        ("accepted", "captured", "payments.settle"),
    ]
    payout = Payout.objects.get()
    assert _moves(payout) == [("pending", "done", "payments.settle")]
    assert payout.provider_id in status_changes(payout).get().why


@pytest.mark.django_db(transaction=True)
def test_a_refused_payout_sent_again_by_staff_records_the_refusal_and_who_retried(
    client, order, stripe_standin
):
    account = PayoutAccount.objects.get()
    stripe_standin.objects[account.provider_id]["capabilities"]["transfers"] = "inactive"
    _paid_through_the_webhook(client, order, stripe_standin)
    services.accept_part(order.merchant_orders.get())
    payout = Payout.objects.get()
    assert payout.status == OperationStatus.FAILED
    assert "capabilities" in status_changes(payout).get().why

    stripe_standin.objects[account.provider_id]["capabilities"]["transfers"] = "active"
    staff = StaffFactory(roles=[Role.DIRECTION])
    payments.retry_payout(payout, by=staff)

    payout.refresh_from_db()
    assert payout.status == OperationStatus.DONE  # not the provider's first refusal replayed
    assert _moves(payout) == [
        ("pending", "failed", "payments.settle"),
        ("failed", "pending", "payments.retry_payout"),
        ("pending", "done", "payments.settle"),
    ]
    assert [change.by for change in status_changes(payout)] == [None, staff, None]
    assert stripe_standin.objects[payout.provider_id]["amount"] == payout.amount


@pytest.mark.django_db(transaction=True)
def test_retrying_a_payout_not_refused_moves_nothing(client, order, stripe_standin):
    _paid_through_the_webhook(client, order, stripe_standin)
    services.accept_part(order.merchant_orders.get())
    payout = Payout.objects.get()
    before = StatusChange.objects.count()

    payments.retry_payout(payout, by=StaffFactory())

    payout.refresh_from_db()
    assert payout.status == OperationStatus.DONE
    assert StatusChange.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_a_part_refused_by_its_shop_is_released_and_the_payment_with_it(
    client, order, stripe_standin
):
    payment = _paid_through_the_webhook(client, order, stripe_standin)
    services.refuse_part(order.merchant_orders.get(), reason="Rupture de stock")

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.RELEASED
    assert _moves(payment)[-1] == ("authorised", "released", "payments.settle")
    for part in payment.parts.all():
        assert part.status == PartStatus.RELEASED
        assert _moves(part)[-1][1] == "released"


@pytest.mark.django_db(transaction=True)
def test_a_refund_done_at_the_provider_is_in_its_history(client, order, stripe_standin):
    payment = _paid_through_the_webhook(client, order, stripe_standin)
    services.accept_part(order.merchant_orders.get())

    refunds = payments.refund_payment(
        Payment.objects.get(pk=payment.pk), "Produit abîmé", by=StaffFactory()
    )

    assert refunds  # the shop's part and the delivery's
    for refund in refunds:
        refund.refresh_from_db()
        assert refund.status == OperationStatus.DONE
        [change] = status_changes(refund)
        assert (change.from_status, change.to_status, change.source) == (
            "pending",
            "done",
            "payments.settle",
        )
        assert refund.provider_id in change.why


@pytest.mark.django_db(transaction=True)
def test_an_abandoned_payment_records_that_the_payer_left(client, order, stripe_standin):
    payment = Payment.objects.get(reference=order.number)

    payments.abandon_payment(payment)

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert _moves(payment) == [("open", "failed", "payments.abandon")]
    assert all(
        _moves(part) == [("pending", "released", "payments.abandon")]
        for part in payment.parts.all()
    )


@pytest.mark.django_db(transaction=True)
def test_the_payment_admin_shows_the_status_history(client, order, stripe_standin):
    payment = _paid_through_the_webhook(client, order, stripe_standin)
    client.force_login(StaffFactory(roles=[Role.DIRECTION]))

    page = client.get(f"/admin/hub/payment/{payment.pk}/change/").content.decode()

    assert "historique des statuts" in page.lower()
    assert "payments.webhook " in page
    assert "Montant réservé par le prestataire" in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_part_accepted_and_dropped_at_once_makes_one_move(client, stripe_standin):
    """The part's row lock: the second call waits and decides on the part as the first left it
    (no Conflict for either caller, a history that follows on from one move to the next)."""
    products = [ProductFactory(), ProductFactory()]
    for product in products:
        connect(product.merchant, stripe_standin)
    shopper = products[0].merchant.owner
    shopper.phone = "06 12 34 56 78"
    shopper.save()
    client.force_login(shopper)
    order = place(
        shopper, *[(p, 1) for p in products], slot=DeliverySlotFactory().pk, payment="online"
    )
    payment = _paid_through_the_webhook(client, order, stripe_standin)
    part = payment.parts.filter(account__isnull=False).order_by("pk").first()

    outcomes = run_together(
        [
            lambda: payments.decide_part(payment.purpose, payment.reference, part.key, True),
            lambda: payments.drop_part(payment.purpose, payment.reference, part.key, "Retirée"),
        ]
    )

    assert outcomes == ["ok", "ok"]
    part.refresh_from_db()
    assert part.status == PartStatus.RELEASED  # dropped, whichever came first
    moves = [(c.from_status, c.to_status) for c in status_changes(part)]
    assert moves in (
        [("pending", "released")],
        [("pending", "accepted"), ("accepted", "released")],
    )
