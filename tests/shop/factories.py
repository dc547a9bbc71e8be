from decimal import Decimal

import factory

from shop.models import MemberRole, Merchant, MerchantMember, MerchantStatus, Product
from tests.hub.factories import UserFactory


class MerchantFactory(factory.django.DjangoModelFactory):
    """An approved shop with an owner (``merchant.owner``)."""

    class Meta:
        model = Merchant
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Commerce {n}")
    siret = "73282932000074"
    category = "grocery"
    address = "18 Rue Mollien, 62100 Calais"
    phone = "03 21 00 00 00"
    description = "Un commerce du centre-ville."
    opening_hours = "Du mardi au samedi"
    status = MerchantStatus.APPROVED

    @factory.post_generation
    def owner(self, create, extracted, **kwargs):
        if not create:
            return
        user = extracted or UserFactory()
        MerchantMember.objects.create(merchant=self, user=user, role=MemberRole.OWNER)
        self.owner = user


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    merchant = factory.SubFactory(MerchantFactory)
    name = factory.Sequence(lambda n: f"Produit {n}")
    category = "grocery"
    price = Decimal("4.50")
    vat_rate = Decimal("5.5")
    unit = "piece"
    stock = 10
    weight_grams = 500


def basket_with(user, *items):
    """The user's basket holding (product, quantity) pairs."""
    from shop.models import Basket, BasketLine

    basket, _created = Basket.objects.get_or_create(user=user)
    for product, quantity in items:
        BasketLine.objects.create(basket=basket, product=product, quantity=quantity)
    return basket


def place(user, *items, key="k1", **choice):
    """Place an order for (product, quantity) pairs; home delivery in ``slot`` by default."""
    from shop.services import Checkout, place_order

    basket = basket_with(user, *items)
    choice.setdefault("fulfilment", "home")
    choice.setdefault("payment", "card")
    if choice["fulfilment"] in ("home", "work"):
        choice.setdefault("address", "18 Rue Mollien, 62100 Calais")
    return place_order(user, basket, Checkout(**choice), key)


def connect(merchant, standin):
    """Give a shop a payout account already onboarded at the Stripe stand-in."""
    from hub.models import PayoutAccount

    return PayoutAccount.objects.create(
        payee=merchant.payee,
        label=merchant.name,
        provider_id=standin.connected_account(merchant.email or None),
        details_submitted=True,
        payouts_enabled=True,
        transfers_enabled=True,
    )


def session_of(order) -> str:
    """The stand-in's checkout session id of an order paid online."""
    from hub.models import Payment

    return Payment.objects.get(purpose="shop.order", reference=order.number).checkout_id


def pay_online(client, order, standin):
    """The shopper pays on the stand-in's page and comes back to the return page."""
    from shop import payments

    url = payments.payment_page(order)
    back = standin.pay(url.rsplit("/", 1)[-1])
    return client.get(back.split("testserver", 1)[-1])


def deliver_events(client, standin, since: int = 0) -> list:
    """Post the stand-in's events (from index ``since``) to the webhook endpoint, signed."""
    responses = []
    for event in standin.events[since:]:
        body, signature = standin.signed(event)
        responses.append(
            client.post(
                "/paiement/webhook/",
                data=body,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=signature,
            )
        )
    return responses
