"""The mail client's own « Se désabonner » button on shopper news: each news e-mail carries
List-Unsubscribe (its delivery's messages page) and List-Unsubscribe-Post (RFC 8058)."""

from datetime import timedelta

import pytest
from django.core import mail

from delivery.models import StopKind
from delivery.notifications import remind_tomorrow
from tests.delivery.factories import make_delivery, published_round
from tests.shop.factories import ProductFactory, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def first():
    return make_delivery(shops=1)


@pytest.fixture
def second():
    return make_delivery(shops=1)


@pytest.fixture
def round_(first, second):
    return published_round(deliveries=[first, second])


def to(delivery) -> list:
    return [m for m in mail.outbox if m.to == [delivery.contact_email]]


def start(round_, capture):
    """The courier's first recorded stop starts the round: the shoppers hear it."""
    from delivery import services

    stop = round_.stops.order_by("sequence", "pk").first()
    assert stop.kind == StopKind.PICKUP
    with capture(execute=True):
        services.record_pickup(round_.courier.user, stop.pk)


def test_each_news_e_mail_carries_its_own_one_click_unsubscribe(
    round_, first, second, django_capture_on_commit_callbacks
):
    start(round_, django_capture_on_commit_callbacks)

    for delivery in (first, second):
        [message] = to(delivery)
        sent = message.message()
        link = f"http://testserver/suivi/{delivery.tracking_token}/messages/"
        assert sent["List-Unsubscribe"] == f"<{link}>"
        assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert link in message.body


def test_other_e_mails_carry_no_unsubscribe(first, django_capture_on_commit_callbacks):
    product = ProductFactory()
    with django_capture_on_commit_callbacks(execute=True):
        order = place(product.merchant.owner, (product, 1), fulfilment="collect")
        remind_tomorrow(first.slot.date - timedelta(days=1))

    confirmation = next(m for m in mail.outbox if m.to == [order.contact_email])
    reminder = next(m for m in mail.outbox if m.to == [first.contact_email])
    assert order.number in confirmation.subject
    for message in (confirmation, reminder):
        sent = message.message()
        assert sent["List-Unsubscribe"] is None
        assert sent["List-Unsubscribe-Post"] is None
