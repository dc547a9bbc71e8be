"""Shops connect their payout account from /commercant/ and read what online sales paid them:
commission, fees and payout per order, month by month, in CSV too."""

from decimal import Decimal

import pytest
from django.utils import timezone

from hub.models import PartStatus, Payment, PaymentPart, PaymentStatus, Payout, PayoutAccount
from hub.roles import Role
from shop import services
from shop.models import MemberRole, MerchantMember
from tests.delivery.factories import DeliverySlotFactory
from tests.hub.factories import StaffFactory, UserFactory
from tests.hub.test_csv_exports import rows_of
from tests.shop.factories import (
    MerchantFactory,
    ProductFactory,
    connect,
    deliver_events,
    pay_online,
    place,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def merchant(db):
    return MerchantFactory(email="boulangerie@exemple.fr")


def page(merchant):
    return f"/commercant/{merchant.slug}/paiements/"


def test_the_owner_connects_the_shop_through_the_providers_onboarding(
    client, merchant, stripe_standin
):
    client.force_login(merchant.owner)
    assert "Non connecté" in client.get(page(merchant)).content.decode()

    response = client.post(page(merchant) + "connecter/")
    assert response["Location"].startswith(stripe_standin.url + "/connect/onboard/")
    account = PayoutAccount.objects.get(payee=merchant.payee)
    assert not account.is_active

    stripe_standin.complete_onboarding(account.provider_id)
    back = client.get(page(merchant) + "retour/", follow=True).content.decode()
    assert "Actif" in back
    assert services.payout_status(merchant).state == "active"


def test_the_account_update_webhook_activates_the_account_too(client, merchant, stripe_standin):
    client.force_login(merchant.owner)
    client.post(page(merchant) + "connecter/")
    account = PayoutAccount.objects.get(payee=merchant.payee)
    stripe_standin.complete_onboarding(account.provider_id)

    deliver_events(client, stripe_standin)

    account.refresh_from_db()
    assert account.is_active


def test_only_the_owner_may_connect_and_strangers_see_nothing(client, merchant, stripe_standin):
    staff = UserFactory()
    MerchantMember.objects.create(merchant=merchant, user=staff, role=MemberRole.STAFF)
    client.force_login(staff)
    assert "Seul·e le ou la responsable" in client.get(page(merchant)).content.decode()
    assert client.post(page(merchant) + "connecter/").status_code == 403
    client.force_login(UserFactory())
    assert client.get(page(merchant)).status_code == 404
    assert client.post(page(merchant) + "connecter/").status_code == 404
    assert not PayoutAccount.objects.exists()


def test_without_online_payment_the_page_says_so(client, merchant, settings):
    settings.STRIPE_SECRET_KEY = ""
    client.force_login(merchant.owner)
    content = client.get(page(merchant)).content.decode()
    assert "ne propose pas encore le paiement en ligne" in content
    assert "connecter/" not in content


def test_the_statement_shows_commission_fees_and_payout_per_order(client, stripe_standin):
    product = ProductFactory(price=Decimal("12.00"), merchant__commission_rate=Decimal("10"))
    merchant = product.merchant
    connect(merchant, stripe_standin)
    shopper = UserFactory(phone="06 12 34 56 78")
    client.force_login(shopper)
    order = place(shopper, (product, 2), slot=DeliverySlotFactory().pk, payment="online")
    pay_online(client, order, stripe_standin)
    services.accept_part(order.merchant_orders.get())

    statement = services.monthly_statement(merchant, timezone.localdate().replace(day=1))
    line = statement.lines[0]
    assert (line.reference, line.amount, line.commission) == (order.number, 2400, 240)
    # Fee of the capture (1,5 % of 28,90 € + 0,25 € = 68 cents) shared pro rata: 56 for the shop.
    assert line.fee == 56
    assert line.payout == 2400 - 240 - 56

    client.force_login(merchant.owner)
    html = client.get(f"/commercant/{merchant.slug}/versements/").content.decode()
    assert order.number in html and "21,04" in html and "10 %" in html
    rows = rows_of(client.get(f"/commercant/{merchant.slug}/versements.csv"))
    assert rows[0][:3] == ["Débitée le", "Commande", "Montant TTC (€)"]
    assert rows[1][1:7] == [order.number, "24,00", "2,40", "0,56", "0,00", "21,04"]
    assert rows[1][0] == timezone.localdate().strftime("%d/%m/%Y")
    assert rows[-1][0] == "Total" and rows[-1][6] == "21,04"


def test_only_direction_sets_the_commission(client, merchant):
    moderator = StaffFactory(roles=[Role.MODERATION])
    client.force_login(moderator)
    form = client.get(f"/admin/shop/merchant/{merchant.pk}/change/").content.decode()
    assert 'name="commission_rate"' not in form
    client.force_login(StaffFactory(roles=[Role.DIRECTION]))
    form = client.get(f"/admin/shop/merchant/{merchant.pk}/change/").content.decode()
    assert 'name="commission_rate"' in form


def _charged_parts(merchant, count):
    account, _ = PayoutAccount.objects.get_or_create(
        payee=merchant.payee,
        defaults={"label": merchant.name, "provider_id": f"acct_{merchant.pk}"},
    )
    for n in range(count):
        payment = Payment.objects.create(
            purpose="shop.order",
            reference=f"R{merchant.pk}-{n}-{Payment.objects.count()}",
            description="Commande",
            email="client@exemple.fr",
            amount=1000,
            captured=1000,
            status=PaymentStatus.CAPTURED,
            settled_at=timezone.now(),
        )
        part = PaymentPart.objects.create(
            payment=payment,
            key="part:1",
            label=merchant.name,
            amount=1000,
            account=account,
            status=PartStatus.CAPTURED,
            commission=50,
            fee=25,
        )
        Payout.objects.create(part=part, account=account, amount=925, status="done")


@pytest.mark.parametrize("count", [3, 30])
def test_the_statement_page_takes_the_same_queries_whatever_the_month_holds(
    client, merchant, count, django_assert_max_num_queries
):
    _charged_parts(merchant, count)
    client.force_login(merchant.owner)
    with django_assert_max_num_queries(12):
        response = client.get(f"/commercant/{merchant.slug}/versements/")
    assert response.content.decode().count("9,25") == count
