"""Web push to couriers: « Nouvelle tournée publiée », « Tournée modifiée ».

A local HTTP server stands in for the browsers' push services (as RFC 8030 describes them):
it records what it receives, and the test decrypts the payload with the browser's key pair
made here (RFC 8291), and reads the VAPID signature (RFC 8292)."""

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.urls import reverse
from py_vapid import Vapid

from delivery import services
from delivery.models import PushSubscription
from tests.delivery.factories import (
    CourierFactory,
    DeliverySlotFactory,
    RoundFactory,
    make_delivery,
)
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db
SUBSCRIBE = "/coursier/push/"
UNSUBSCRIBE = "/coursier/push/supprimer/"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_point(key) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


class PushService:
    """The stand-in push service: answers ``status`` and keeps every request."""

    def __init__(self):
        self.received = []
        self.status = 201
        self.arrived = threading.Event()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                service.received.append(
                    {"method": "POST", "path": self.path, "headers": headers, "body": body}
                )
                self.send_response(service.status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                service.arrived.set()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Browser:
    """A browser's push subscription: its own P-256 key pair and auth secret."""

    def __init__(self, service, name):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.endpoint = f"{service.base}/push/{name}"

    def json(self):
        return {
            "endpoint": self.endpoint,
            "keys": {"p256dh": b64url(public_point(self.key)), "auth": b64url(self.auth)},
        }

    def read(self, body: bytes) -> dict:
        clear = http_ece.decrypt(
            body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(clear)


@pytest.fixture
def vapid():
    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    return {"private": b64url(raw), "public": b64url(public_point(key))}


@pytest.fixture
def service():
    service = PushService()
    yield service
    service.close()


@pytest.fixture
def push_on(settings, vapid):
    settings.WEBPUSH_VAPID_PUBLIC_KEY = vapid["public"]
    settings.WEBPUSH_VAPID_PRIVATE_KEY = vapid["private"]
    settings.WEBPUSH_VAPID_SUBJECT = "mailto:regulation@anima-calais.fr"
    settings.WEBPUSH_ALLOW_HTTP_ENDPOINTS = True
    return vapid


def subscribe(client, browser):
    return client.post(SUBSCRIBE, browser.json(), content_type="application/json")


def ready_round(courier):
    slot = DeliverySlotFactory(days=0)
    round_ = RoundFactory(courier=courier, slot=slot, days=0)
    services.add_deliveries(round_.pk, [make_delivery(slot).pk], None)
    return round_


def published_to_a_subscribed_phone(client, service):
    """A courier with one phone subscribed, and their round published (not committed: no push
    sent yet)."""
    courier = CourierFactory()
    phone = Browser(service, "phone")
    client.force_login(courier.user)
    subscribe(client, phone)
    round_ = ready_round(courier)
    services.publish_round(round_.pk, None)
    return phone, round_


def test_a_published_round_is_pushed_to_each_of_its_couriers_browsers_only(
    client, service, push_on, django_capture_on_commit_callbacks
):
    courier, other = CourierFactory(), CourierFactory()
    phone, tablet, elsewhere = (Browser(service, n) for n in ("phone", "tablet", "other"))
    client.force_login(courier.user)
    assert subscribe(client, phone).status_code == 204
    assert subscribe(client, tablet).status_code == 204
    client.force_login(other.user)
    assert subscribe(client, elsewhere).status_code == 204
    round_ = ready_round(courier)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_round(round_.pk, None)

    assert sorted(r["path"] for r in service.received) == ["/push/phone", "/push/tablet"]
    for request, browser in zip(
        sorted(service.received, key=lambda r: r["path"]), (phone, tablet), strict=True
    ):
        headers = request["headers"]
        assert request["method"] == "POST"
        assert headers["content-encoding"] == "aes128gcm"
        assert int(headers["ttl"]) > 0
        scheme, params = headers["authorization"].split(" ", 1)
        assert scheme == "vapid"
        fields = dict(part.split("=", 1) for part in params.split(","))
        assert fields["k"] == push_on["public"]
        claims = json.loads(unb64url(fields["t"].split(".")[1]))
        assert claims["aud"] == service.base
        assert claims["sub"] == "mailto:regulation@anima-calais.fr"
        assert Vapid.verify(headers["authorization"])  # signed with the site's private key
        news = browser.read(request["body"])
        assert news["title"] == "Nouvelle tournée publiée"
        assert news["url"] == "/coursier/"
        assert news["round"] == round_.pk


def test_a_change_to_a_published_round_is_pushed_as_modified(
    client, service, push_on, django_capture_on_commit_callbacks
):
    phone, round_ = published_to_a_subscribed_phone(client, service)
    assert service.received == []  # not committed: nothing sent

    with django_capture_on_commit_callbacks(execute=True):
        services.add_deliveries(round_.pk, [make_delivery(round_.slot).pk], None)

    [request] = service.received
    assert phone.read(request["body"])["title"] == "Tournée modifiée"


def test_a_round_in_preparation_pushes_nothing(
    client, service, push_on, django_capture_on_commit_callbacks
):
    courier = CourierFactory()
    client.force_login(courier.user)
    subscribe(client, Browser(service, "phone"))

    with django_capture_on_commit_callbacks(execute=True):
        ready_round(courier)

    assert service.received == []


def test_a_subscription_the_push_service_says_is_gone_is_deleted(
    client, service, push_on, django_capture_on_commit_callbacks
):
    courier = CourierFactory()
    client.force_login(courier.user)
    subscribe(client, Browser(service, "phone"))
    service.status = 410
    round_ = ready_round(courier)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_round(round_.pk, None)

    assert len(service.received) == 1
    assert not PushSubscription.objects.exists()


def test_a_push_service_error_keeps_the_subscription_and_the_round_published(
    client, service, push_on, django_capture_on_commit_callbacks
):
    courier = CourierFactory()
    client.force_login(courier.user)
    subscribe(client, Browser(service, "phone"))
    service.status = 500
    round_ = ready_round(courier)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_round(round_.pk, None)

    round_.refresh_from_db()
    assert round_.status == "published"
    assert PushSubscription.objects.count() == 1


def test_without_vapid_keys_there_is_no_switch_no_subscription_and_nothing_sent(
    client, service, settings, django_capture_on_commit_callbacks
):
    settings.WEBPUSH_ALLOW_HTTP_ENDPOINTS = True
    courier = CourierFactory()
    PushSubscription.objects.create(
        user=courier.user, **{"endpoint": f"{service.base}/push/old", "p256dh": "x", "auth": "y"}
    )
    client.force_login(courier.user)

    assert "Recevoir les notifications" not in client.get("/coursier/").content.decode()
    assert subscribe(client, Browser(service, "phone")).status_code == 404
    round_ = ready_round(courier)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_round(round_.pk, None)
    assert service.received == []


def test_the_courier_page_offers_the_switch_with_the_public_key(client, push_on):
    courier = CourierFactory()
    client.force_login(courier.user)

    page = client.get("/coursier/").content.decode()

    assert "Recevoir les notifications" in page
    assert f'data-push-key="{push_on["public"]}"' in page
    assert "courier_push" in page
    assert "<script>" not in page  # strict CSP: no inline script


def test_the_worker_shows_the_news_and_opens_the_courier_page(client):
    worker = client.get("/coursier/sw.js").content.decode()

    assert 'addEventListener("push"' in worker and "showNotification" in worker
    assert 'addEventListener("notificationclick"' in worker and "openWindow" in worker


def test_someone_who_is_not_a_courier_cannot_subscribe(client, service, push_on):
    client.force_login(UserFactory())

    response = subscribe(client, Browser(service, "phone"))

    assert response.status_code == 403
    assert response.json()["detail"] == "Seuls les coursiers reçoivent ces notifications."
    assert not PushSubscription.objects.exists()


def test_an_inactive_courier_or_a_visitor_cannot_subscribe(client, service, push_on):
    assert subscribe(client, Browser(service, "a")).status_code == 302  # to the sign-in page
    client.force_login(CourierFactory(is_active=False).user)
    assert subscribe(client, Browser(service, "b")).status_code == 403
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{pas du json", "La demande n'est pas lisible (JSON attendu)."),
        ("[1, 2]", "La demande n'est pas lisible (JSON attendu)."),
        (
            '{"endpoint": "ftp://x/y", "keys": {}}',
            "L'adresse du service de notification est invalide.",
        ),
        (
            '{"endpoint": "https://push.example/1", "keys": {"p256dh": "abc", "auth": "!!"}}',
            "Les clés de l'abonnement sont invalides.",
        ),
    ],
)
def test_a_bad_subscription_is_refused_in_french(client, push_on, body, message):
    client.force_login(CourierFactory().user)

    response = client.post(SUBSCRIBE, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"] == message
    assert not PushSubscription.objects.exists()


def test_plain_http_endpoints_are_refused_outside_the_tests(client, service, push_on, settings):
    settings.WEBPUSH_ALLOW_HTTP_ENDPOINTS = False
    client.force_login(CourierFactory().user)

    response = subscribe(client, Browser(service, "phone"))

    assert response.status_code == 400


def test_another_couriers_subscription_is_left_untouched(client, service, push_on):
    owner, intruder = CourierFactory(), CourierFactory()
    browser = Browser(service, "phone")
    client.force_login(owner.user)
    subscribe(client, browser)
    stolen = browser.json()
    stolen["keys"]["p256dh"] = Browser(service, "x").json()["keys"]["p256dh"]
    client.force_login(intruder.user)

    taken = client.post(SUBSCRIBE, stolen, content_type="application/json")
    dropped = client.post(UNSUBSCRIBE, browser.json(), content_type="application/json")

    assert taken.status_code == 400
    assert taken.json()["detail"] == "Cet abonnement appartient à un autre compte."
    assert dropped.status_code == 204
    subscription = PushSubscription.objects.get()
    assert subscription.user == owner.user
    assert subscription.p256dh == browser.json()["keys"]["p256dh"]


def test_the_courier_unsubscribes_their_own_browser(client, service, push_on):
    courier = CourierFactory()
    client.force_login(courier.user)
    phone, tablet = Browser(service, "phone"), Browser(service, "tablet")
    subscribe(client, phone)
    subscribe(client, tablet)

    response = client.post(UNSUBSCRIBE, phone.json(), content_type="application/json")

    assert response.status_code == 204
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [tablet.endpoint]


def test_subscribing_again_refreshes_the_keys_without_a_second_row(client, service, push_on):
    courier = CourierFactory()
    client.force_login(courier.user)
    phone = Browser(service, "phone")
    subscribe(client, phone)
    renewed = Browser(service, "phone")

    assert subscribe(client, renewed).status_code == 204

    subscription = PushSubscription.objects.get()
    assert subscription.auth == renewed.json()["keys"]["auth"]


def test_logout_removes_all_of_the_couriers_subscriptions_only(client, service, push_on):
    courier, other = CourierFactory(), CourierFactory()
    client.force_login(other.user)
    subscribe(client, Browser(service, "other"))
    client.force_login(courier.user)
    subscribe(client, Browser(service, "phone"))
    subscribe(client, Browser(service, "tablet"))

    client.post(reverse("account_logout"))

    assert list(PushSubscription.objects.values_list("user", flat=True)) == [other.user.pk]


def test_a_round_taken_back_to_preparation_is_pushed_as_withdrawn(
    client, service, push_on, django_capture_on_commit_callbacks
):
    phone, round_ = published_to_a_subscribed_phone(client, service)
    [delivery_id] = round_.deliveries.values_list("pk", flat=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_delivery(round_.pk, delivery_id, None)  # its last: nothing left to ride

    [request] = service.received
    news = phone.read(request["body"])
    assert news["title"] == "Tournée retirée"
    assert news["url"] == "/coursier/"


def test_a_round_given_to_another_courier_is_pushed_as_withdrawn_to_the_first_only(
    client, service, push_on, django_capture_on_commit_callbacks
):
    first, second = CourierFactory(), CourierFactory()
    phones = {}
    for courier in (first, second):
        client.force_login(courier.user)
        phones[courier.pk] = Browser(service, f"phone{courier.pk}")
        subscribe(client, phones[courier.pk])
    round_ = ready_round(first)
    services.publish_round(round_.pk, None)

    with django_capture_on_commit_callbacks(execute=True):
        services.change_round(round_.pk, None, courier_id=second.pk)

    titles = {
        request["path"]: phones[int(request["path"].removeprefix("/push/phone"))].read(
            request["body"]
        )["title"]
        for request in service.received
    }
    assert titles == {
        f"/push/phone{first.pk}": "Tournée retirée",
        f"/push/phone{second.pk}": "Tournée modifiée",
    }
