"""Paying a basket online: authorised once, each shop's part charged only if accepted."""

from datetime import timedelta
from decimal import Decimal

import pytest

from delivery.models import Delivery
from hub.exceptions import Conflict
from hub.models import PartStatus, Payment, PaymentStatus, Payout
from shop import payments, services
from shop.models import MerchantOrder, MerchantOrderStatus, OrderStatus
from shop.models import PaymentStatus as OrderPayment
from tests.delivery.factories import DeliverySlotFactory
from tests.hub.factories import UserFactory
from tests.shop.factories import basket_with, connect, deliver_events, pay_online, place

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shops(three_shops, stripe_standin):
    for product in three_shops:
        connect(product.merchant, stripe_standin)
    return three_shops


@pytest.fixture
def order(client, shopper, slot, shops):
    client.force_login(shopper)
    return place(shopper, *[(product, 2) for product in shops], slot=slot.pk, payment="online")


def payment_of(order) -> Payment:
    return Payment.objects.get(purpose="shop.order", reference=order.number)


def part_of(order, product):
    return order.merchant_orders.get(merchant=product.merchant)


def intent(standin, order):
    return standin.objects[payment_of(order).intent_id]


def test_the_whole_basket_is_held_then_each_accepted_part_charged(
    client, order, shops, stripe_standin
):
    response = pay_online(client, order, stripe_standin)
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.payment_status == OrderPayment.AUTHORISED
    assert intent(stripe_standin, order)["amount_capturable"] == 3 * 900 + 490

    for product in shops:
        services.accept_part(part_of(order, product))

    payment = payment_of(order)
    order.refresh_from_db()
    assert payment.status == PaymentStatus.CAPTURED
    assert payment.captured == 3 * 900 + 490
    assert intent(stripe_standin, order)["amount_received"] == 3 * 900 + 490
    assert order.payment_status == OrderPayment.PAID
    assert Payout.objects.filter(part__payment=payment, status="done").count() == 3


def test_a_refused_part_is_released_and_never_charged(client, order, shops, stripe_standin):
    pay_online(client, order, stripe_standin)
    services.accept_part(part_of(order, shops[0]))
    services.refuse_part(part_of(order, shops[1]), "Plus de stock")
    services.accept_part(part_of(order, shops[2]))

    payment = payment_of(order)
    refused = payment.parts.get(key=f"part:{part_of(order, shops[1]).pk}")
    assert refused.status == PartStatus.RELEASED
    assert payment.captured == 2 * 900 + 490
    assert payment.released == 900
    assert intent(stripe_standin, order)["amount_received"] == 2 * 900 + 490
    page = client.get(order.get_absolute_url()).content.decode()
    assert "non débitée : montant libéré" in page
    assert "22,90" in page  # 18,00 € of goods and 4,90 € of delivery charged


def test_pay_on_delivery_is_unchanged_when_no_provider_is_configured(
    client, shopper, slot, three_shops, settings
):
    settings.STRIPE_SECRET_KEY = ""
    client.force_login(shopper)
    order = place(shopper, (three_shops[0], 1), slot=slot.pk)
    assert order.payment_status == OrderPayment.DUE
    assert not Payment.objects.exists()
    assert Decimal(order.total) == Decimal("9.40")
    assert order.merchant_orders.get().status == MerchantOrderStatus.PLACED
    assert order.status == OrderStatus.PLACED


def test_when_every_shop_refuses_nothing_is_charged(client, order, shops, stripe_standin):
    pay_online(client, order, stripe_standin)
    for product in shops:
        services.refuse_part(part_of(order, product), "Fermé pour inventaire")

    payment = payment_of(order)
    order.refresh_from_db()
    assert payment.status == PaymentStatus.RELEASED
    assert payment.captured == 0
    assert intent(stripe_standin, order)["status"] == "canceled"
    assert order.status == OrderStatus.CANCELLED
    assert order.payment_status == OrderPayment.RELEASED


def test_cancelling_the_order_releases_everything(client, order, shopper, stripe_standin):
    pay_online(client, order, stripe_standin)
    services.cancel_order(order, shopper)

    assert payment_of(order).status == PaymentStatus.RELEASED
    assert intent(stripe_standin, order)["status"] == "canceled"
    assert intent(stripe_standin, order)["amount_received"] == 0


def test_a_part_not_accepted_before_the_deadline_is_released(client, order, shops, stripe_standin):
    pay_online(client, order, stripe_standin)
    services.accept_part(part_of(order, shops[0]))
    services.accept_part(part_of(order, shops[1]))
    order.refresh_from_db()

    services.release_unaccepted_orders(now=order.slot.cutoff)

    payment = payment_of(order)
    late = payment.parts.get(key=f"part:{part_of(order, shops[2]).pk}")
    assert late.status == PartStatus.RELEASED
    assert payment.captured == 2 * 900 + 490
    assert part_of(order, shops[2]).status == MerchantOrderStatus.REFUSED


def test_shops_must_answer_before_the_card_authorisation_lapses(
    client, shopper, shops, stripe_standin
):
    far = DeliverySlotFactory(days=12)
    client.force_login(shopper)
    order = place(shopper, (shops[0], 1), slot=far.pk, payment="online")
    pay_online(client, order, stripe_standin)
    order.refresh_from_db()

    assert order.accept_by < far.cutoff
    services.release_unaccepted_orders(now=order.accept_by + timedelta(minutes=1))
    assert payment_of(order).status == PaymentStatus.RELEASED
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_a_declined_card_charges_nothing_and_the_expired_page_cancels_the_order(
    client, order, shops, stripe_standin
):
    session = payments.payment_page(order).rsplit("/", 1)[-1]
    stripe_standin.decline(session)
    deliver_events(client, stripe_standin)
    order.refresh_from_db()
    assert order.payment_status == OrderPayment.PENDING
    assert order.status == OrderStatus.PLACED

    stripe_standin.expire_session(session)
    deliver_events(client, stripe_standin, since=len(stripe_standin.events) - 1)

    order.refresh_from_db()
    shops[0].refresh_from_db()
    assert payment_of(order).status == PaymentStatus.FAILED
    assert order.status == OrderStatus.CANCELLED
    assert shops[0].stock == 10
    assert order.shopper.basket.lines.count() == 3  # the basket is back, to pay otherwise


def test_abandoning_3d_secure_charges_nothing_and_cancels_the_order(client, order, stripe_standin):
    session = payments.payment_page(order).rsplit("/", 1)[-1]
    stripe_standin.decline(session, "payment_intent_authentication_failure")
    abandon = f"/paiement/{payment_of(order).public_id}/abandon/"

    page = client.get(abandon)
    assert "Reprendre le paiement" in page.content.decode()
    response = client.post(abandon)

    assert response.status_code == 302
    order.refresh_from_db()
    assert payment_of(order).status == PaymentStatus.FAILED
    assert stripe_standin.objects[session]["status"] == "expired"
    assert order.status == OrderStatus.CANCELLED
    assert order.payment_status == OrderPayment.RELEASED


def test_another_shopper_cannot_abandon_a_payment(client, order, stripe_standin):
    payments.payment_page(order)
    client.force_login(UserFactory())
    response = client.post(f"/paiement/{payment_of(order).public_id}/abandon/")
    assert response.status_code == 403
    assert payment_of(order).status == PaymentStatus.OPEN


def test_shops_do_not_see_an_order_until_it_is_paid(client, order, shops, stripe_standin):
    owner = shops[0].merchant.owner
    part = part_of(order, shops[0])
    client.force_login(owner)
    queue = client.get(f"/commercant/{shops[0].merchant.slug}/commandes/").content.decode()
    assert order.number not in queue
    with pytest.raises(MerchantOrder.DoesNotExist):
        services.member_part(owner, part.pk)

    client.force_login(order.shopper)
    pay_online(client, order, stripe_standin)
    client.force_login(owner)
    queue = client.get(f"/commercant/{shops[0].merchant.slug}/commandes/").content.decode()
    assert order.number in queue
    assert "payée en ligne par carte : rien à encaisser" in queue


def test_a_failed_delivery_keeps_the_payment_for_the_next_attempt(
    client, order, shops, stripe_standin, settings
):
    settings.SHOP_FAILED_DELIVERY_POLICY = "keep"
    delivered_order = _handed_over(client, order, shops, stripe_standin)
    services.delivery_failed(delivered_order.number, "Absent")

    payment = payment_of(order)
    assert payment.refunded == 0
    order.refresh_from_db()
    assert order.payment_status == OrderPayment.PAID


def test_parcels_sent_back_to_the_shops_are_refunded(client, order, shops, stripe_standin):
    _handed_over(client, order, shops, stripe_standin)
    services.delivery_failed(order.number, "Absent")
    services.delivery_returned(order.number, "Trois passages sans réponse")

    payment = payment_of(order)
    assert payment.refunded == payment.captured == 3 * 900 + 490
    assert stripe_standin.objects[payment.charge_id]["amount_refunded"] == 3 * 900 + 490
    assert all(payout.reversed == payout.amount for payout in Payout.objects.all())
    order.refresh_from_db()
    assert order.payment_status == OrderPayment.REFUNDED
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Remboursements" in page


def test_the_refund_policy_refunds_at_once_and_the_next_attempt_is_paid_at_the_door(
    client, order, shops, stripe_standin, settings
):
    settings.SHOP_FAILED_DELIVERY_POLICY = "refund"
    _handed_over(client, order, shops, stripe_standin)
    services.delivery_failed(order.number, "Absent")

    payment = payment_of(order)
    assert payment.refunded == payment.captured
    order.refresh_from_db()
    assert order.payment_method == "card"
    assert order.payment_status == OrderPayment.DUE
    assert Delivery.objects.get(order_number=order.number).payment_due == order.total


def _handed_over(client, order, shops, standin):
    pay_online(client, order, standin)
    for product in shops:
        part = services.accept_part(part_of(order, product))
        services.mark_part_ready(part)
        services.part_picked_up(order.number, product.merchant_id)
    order.refresh_from_db()
    return order


def test_a_basket_with_a_shop_not_connected_is_paid_on_delivery_only(
    client, shopper, slot, three_shops, stripe_standin
):
    connect(three_shops[0].merchant, stripe_standin)
    client.force_login(shopper)
    basket_with(shopper, (three_shops[0], 1), (three_shops[1], 1))

    page = client.get("/boutique/commande/").content.decode()
    assert "Payer en ligne" not in page
    assert "Le paiement en ligne n'est pas proposé pour ce panier" in page
    assert three_shops[1].merchant.name in page
    with pytest.raises(Conflict):
        place(shopper, slot=slot.pk, payment="online", key="k2")
    assert not Payment.objects.exists()


def test_the_checkout_offers_online_payment_when_every_shop_is_connected(client, shopper, shops):
    client.force_login(shopper)
    basket_with(shopper, (shops[0], 1), (shops[1], 1))
    page = client.get("/boutique/commande/").content.decode()
    assert "Payer en ligne par carte" in page
    assert 'value="online"' in page


def test_without_a_provider_the_checkout_offers_exactly_the_payments_at_the_door(
    client, shopper, three_shops, settings
):
    settings.STRIPE_SECRET_KEY = ""
    client.force_login(shopper)
    basket_with(shopper, (three_shops[0], 1))
    page = client.get("/boutique/commande/").content.decode()
    assert "Paiement à la remise" in page
    assert 'value="online"' not in page
    assert "paiement en ligne" not in page.lower()


def test_the_order_page_offers_to_pay_again_when_the_provider_was_down(
    client, order, stripe_standin
):
    stripe_standin.outage = True
    response = client.post(f"/boutique/commandes/{order.number}/payer/")
    assert response.status_code == 302
    page = client.get(order.get_absolute_url()).content.decode()
    assert "momentanément indisponible" in page
    assert "maintenant" in page

    stripe_standin.outage = False
    response = client.post(f"/boutique/commandes/{order.number}/payer/")
    assert response["Location"].startswith(stripe_standin.url + "/pay/")
