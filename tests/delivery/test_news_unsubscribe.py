"""The mail client's own « Se désabonner » button on shopper news: each news e-mail carries
List-Unsubscribe (its delivery's messages page) and List-Unsubscribe-Post (RFC 8058), and that
page takes the client's one-click POST — no cookie, no CSRF token — as the button does."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from delivery.models import Delivery, StopKind
from delivery.notifications import remind_tomorrow
from delivery.services.shopper_news import send_round_news
from tests.delivery.factories import make_delivery, published_round
from tests.shop.factories import ProductFactory, place

pytestmark = pytest.mark.django_db

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def first():
    return make_delivery(shops=1)


@pytest.fixture
def second():
    return make_delivery(shops=1)


@pytest.fixture
def round_(first, second):
    return published_round(deliveries=[first, second])


@pytest.fixture
def csrf_client():
    """A mail provider: no session, no CSRF cookie, and CSRF checked as in production."""
    return Client(enforce_csrf_checks=True)


def news_page(delivery) -> str:
    return f"/suivi/{delivery.tracking_token}/messages/"


def to(delivery) -> list:
    return [m for m in mail.outbox if m.to == [delivery.contact_email]]


def start(round_, capture):
    """The courier's first recorded stop starts the round: the shoppers hear it."""
    from delivery import services

    stop = round_.stops.order_by("sequence", "pk").first()
    assert stop.kind == StopKind.PICKUP
    with capture(execute=True):
        services.record_pickup(round_.courier.user, stop.pk)


def stopped_at(delivery):
    return Delivery.objects.values_list("news_stopped_at", flat=True).get(pk=delivery.pk)


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


def test_a_one_click_post_without_a_csrf_cookie_stops_the_next_news(
    csrf_client, round_, first, second, django_capture_on_commit_callbacks
):
    answer = csrf_client.post(news_page(first), ONE_CLICK)

    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/plain; charset=utf-8"
    assert "vous ne recevrez plus" in answer.text
    assert first.order_number in answer.text
    assert stopped_at(first) is not None
    start(round_, django_capture_on_commit_callbacks)
    assert to(first) == []
    assert len(to(second)) == 1


def test_the_one_click_post_may_come_as_multipart(csrf_client, first):
    # RFC 8058 says the client SHOULD send multipart/form-data (the test client's default).
    answer = csrf_client.post(news_page(first), ONE_CLICK)
    urlencoded = csrf_client.post(
        news_page(first),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert (answer.status_code, urlencoded.status_code) == (200, 200)
    assert stopped_at(first) is not None


def test_a_second_one_click_changes_nothing(csrf_client, first):
    csrf_client.post(news_page(first), ONE_CLICK)
    stopped = stopped_at(first)

    again = csrf_client.post(
        news_page(first),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert again.status_code == 200
    assert stopped_at(first) == stopped


def test_opening_the_link_stops_nothing(
    csrf_client, round_, first, django_capture_on_commit_callbacks
):
    page = csrf_client.get(news_page(first))
    with_the_body = csrf_client.get(news_page(first), ONE_CLICK)

    assert (page.status_code, with_the_body.status_code) == (200, 200)
    assert stopped_at(first) is None
    start(round_, django_capture_on_commit_callbacks)
    assert len(to(first)) == 1


def test_an_unknown_token_is_not_found(csrf_client, first):
    assert csrf_client.post("/suivi/inconnu/messages/", ONE_CLICK).status_code == 404
    assert csrf_client.post(f"/suivi/{'x' * 80}/messages/", ONE_CLICK).status_code == 404
    assert stopped_at(first) is None


@pytest.mark.parametrize(
    "body",
    [{}, {"List-Unsubscribe": "Two-Clicks"}, {"stop": "1"}],
    ids=["empty", "other-value", "other-field"],
)
def test_any_other_post_without_csrf_is_refused(csrf_client, first, body):
    answer = csrf_client.post(news_page(first), body)

    assert answer.status_code == 403
    assert stopped_at(first) is None


def test_the_page_button_still_works_with_its_csrf_token(csrf_client, first):
    page = csrf_client.get(news_page(first))
    token = page.context["csrf_token"]

    answer = csrf_client.post(news_page(first), {"csrfmiddlewaretoken": str(token)})

    assert answer.status_code == 200
    assert "vous ne recevrez plus" in answer.text
    assert stopped_at(first) is not None


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


def test_after_a_one_click_mid_round_the_next_stop_news_is_not_sent(
    csrf_client, round_, first, second, django_capture_on_commit_callbacks
):
    from delivery import services

    start(round_, django_capture_on_commit_callbacks)
    assert len(to(second)) == 1  # « en route »
    csrf_client.post(news_page(second), ONE_CLICK)

    # The courier hands over the first order and picks up the second's: it is next now.
    for stop in round_.stops.order_by("sequence", "pk")[1:3]:
        with django_capture_on_commit_callbacks(execute=True):
            if stop.kind == StopKind.PICKUP:
                services.record_pickup(round_.courier.user, stop.pk)
            else:
                services.record_delivery(round_.courier.user, stop.pk, "Camille Durand", True)

    assert len(to(second)) == 1
    assert send_round_news(round_.pk) == 0
