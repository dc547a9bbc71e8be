"""Staff and online payments: direction sees payments, refunds and payouts, exports them, and
refunds a part or all of a payment; each refund is logged. Other roles cannot refund."""

import pytest
from django.contrib.admin.models import LogEntry

from hub.models import Payment, Payout, Refund
from hub.roles import Role
from shop import services
from tests.delivery.factories import DeliverySlotFactory
from tests.hub.factories import StaffFactory
from tests.hub.test_csv_exports import local, rows_of
from tests.shop.factories import ProductFactory, connect, pay_online, place

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def paid(client, stripe_standin):
    """An order of two shops paid online, both accepted (so captured and paid out)."""
    products = [ProductFactory(), ProductFactory()]
    for product in products:
        connect(product.merchant, stripe_standin)
    shopper = products[0].merchant.owner
    shopper.phone = "06 12 34 56 78"
    shopper.save()
    client.force_login(shopper)
    order = place(
        shopper, *[(p, 2) for p in products], slot=DeliverySlotFactory().pk, payment="online"
    )
    pay_online(client, order, stripe_standin)
    for part in order.merchant_orders.all():
        services.accept_part(part)
    return order


@pytest.fixture
def direction(client):
    user = StaffFactory(roles=[Role.DIRECTION])
    return user


def refund_url(order):
    payment = Payment.objects.get(reference=order.number)
    return f"/admin/hub/payment/{payment.pk}/rembourser/"


def test_direction_refunds_part_of_one_shop_and_it_is_logged(
    client, paid, direction, stripe_standin
):
    part = paid.merchant_orders.order_by("pk").first()
    client.force_login(direction)
    response = client.post(
        refund_url(paid),
        {"part": f"part:{part.pk}", "amount": "2,50", "reason": "Une baguette écrasée"},
    )

    assert response.status_code == 302
    refund = Refund.objects.get()
    assert (refund.amount, refund.created_by, refund.status) == (250, direction, "done")
    assert stripe_standin.objects[refund.payment.charge_id]["amount_refunded"] == 250
    payout = Payout.objects.get(part=refund.part)
    assert payout.reversed == 250
    assert LogEntry.objects.filter(user=direction, change_message__contains="2,50").exists()

    client.force_login(paid.shopper)
    page = client.get(paid.get_absolute_url()).content.decode()
    assert "Une baguette écrasée" in page
    receipt = client.get(f"/boutique/commandes/{paid.number}/recu/{part.pk}/").content.decode()
    assert "Une baguette écrasée" in receipt
    assert "2,50" in receipt


def test_a_full_refund_gives_back_every_part(client, paid, direction, stripe_standin):
    client.force_login(direction)
    client.post(refund_url(paid), {"part": "", "amount": "", "reason": "Geste commercial"})

    payment = Payment.objects.get(reference=paid.number)
    assert payment.refunded == payment.captured
    assert stripe_standin.objects[payment.charge_id]["refunded"] is True


def test_a_refund_larger_than_the_part_is_refused_and_nothing_happens(client, paid, direction):
    part = paid.merchant_orders.order_by("pk").first()
    client.force_login(direction)
    response = client.post(
        refund_url(paid), {"part": f"part:{part.pk}", "amount": "99", "reason": "Erreur"}
    )
    assert response.status_code == 200
    assert "compris entre" in response.content.decode()
    assert not Refund.objects.exists()


def test_other_staff_cannot_refund(client, paid):
    client.force_login(StaffFactory(roles=[Role.DISPATCH]))
    response = client.post(refund_url(paid), {"part": "", "reason": "Je tente"})
    assert response.status_code == 403
    assert client.get("/admin/hub/payment/").status_code == 403
    assert not Refund.objects.exists()


def test_direction_lists_filters_and_exports_payments_and_payouts(client, paid, direction):
    client.force_login(direction)
    listing = client.get("/admin/hub/payment/?status__exact=captured")
    assert paid.number in listing.content.decode() or "Commande" in listing.content.decode()
    payment = Payment.objects.get(reference=paid.number)
    export = client.post(
        "/admin/hub/payment/", {"action": "export", "_selected_action": [payment.pk]}
    )
    assert export["Content-Type"].startswith("text/csv")
    assert paid.number in export.content.decode("utf-8-sig")
    payouts = client.post(
        "/admin/hub/payout/",
        {"action": "export", "_selected_action": list(Payout.objects.values_list("pk", flat=True))},
    )
    assert payouts.content.decode("utf-8-sig").count(paid.number) == 2
    assert client.get("/admin/hub/payout/?status__exact=done").status_code == 200
    assert client.get("/admin/hub/refund/").status_code == 200


def export(client, url, queryset):
    return client.post(
        url, {"action": "export", "_selected_action": list(queryset.values_list("pk", flat=True))}
    )


def test_the_exports_have_french_headers_and_amounts_in_euros(
    client, paid, direction, stripe_standin
):
    part = paid.merchant_orders.order_by("pk").first()
    client.force_login(direction)
    client.post(
        refund_url(paid),
        {"part": f"part:{part.pk}", "amount": "2,50", "reason": "=Une baguette écrasée"},
    )
    payment = Payment.objects.get(reference=paid.number)

    payments = rows_of(export(client, "/admin/hub/payment/", Payment.objects.all()))
    assert payments[0][:3] == ["Date", "Objet", "Référence"]
    assert "Remboursé (€)" in payments[0]
    row = dict(zip(payments[0], payments[1], strict=True))
    assert row["Autorisé (€)"] == f"{payment.amount // 100},{payment.amount % 100:02d}"
    assert row["Remboursé (€)"] == "2,50"
    assert row["Date"] == local(payment.created_at)

    refunds = rows_of(export(client, "/admin/hub/refund/", Refund.objects.all()))
    row = dict(zip(refunds[0], refunds[1], strict=True))
    assert row["Montant (€)"] == "2,50" and row["Repris au commerce (€)"] == "2,50"
    assert row["Motif"] == "'=Une baguette écrasée"  # never run as a formula
    assert row["Décidé par"] == direction.email

    payouts = rows_of(export(client, "/admin/hub/payout/", Payout.objects.all()))
    assert payouts[0][:3] == ["Date", "Transmis le", "Commerce"]
    repris = [dict(zip(payouts[0], r, strict=True))["Repris (€)"] for r in payouts[1:]]
    assert sorted(repris) == ["0,00", "2,50"]


def test_other_staff_cannot_export_payments(client, paid):
    client.force_login(StaffFactory(roles=[Role.COWORKING]))
    response = export(client, "/admin/hub/payment/", Payment.objects.all())
    assert response.status_code == 403
