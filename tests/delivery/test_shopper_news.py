"""News for the shopper: « en route » when the courier starts the round, « prochain arrêt » when
the stop before theirs is recorded — by e-mail, once per event, never once the delivery is
settled or the shopper has stopped them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.template.loader import render_to_string

from delivery import services
from delivery.models import Delivery, StopKind
from delivery.services.shopper_news import news_context, send_round_news
from hub.models import OutgoingEmail, OutgoingSms, SmsStatus
from hub.services import gsm7, gsm7_length
from tests.concurrency import run_together
from tests.delivery.factories import RelayPointFactory, make_delivery, published_round

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


@pytest.fixture
def courier(round_):
    return round_.courier.user


def stops(round_):
    return list(round_.stops.order_by("sequence", "pk"))


def news(delivery) -> list[str]:
    """The subjects of the messages the shopper received, oldest first."""
    return [m.subject for m in mail.outbox if m.to == [delivery.contact_email]]


def record(courier, stop, django_capture_on_commit_callbacks):
    """The courier records ``stop`` as the app does; the tasks run after commit."""
    with django_capture_on_commit_callbacks(execute=True):
        if stop.kind == StopKind.PICKUP:
            services.record_pickup(courier, stop.pk)
        else:
            services.record_delivery(courier, stop.pk, "Camille Durand", True)


def ride_until(courier, round_, delivery, capture):
    """Record every stop before ``delivery``'s drop-off."""
    for stop in stops(round_):
        if stop.kind == StopKind.DROPOFF and stop.delivery_id == delivery.pk:
            return stop
        record(courier, stop, capture)
    raise AssertionError("no drop-off")


def test_every_shopper_hears_when_the_round_starts(
    courier, round_, first, second, django_capture_on_commit_callbacks
):
    assert [(s.kind, s.delivery_id) for s in stops(round_)] == [
        (StopKind.PICKUP, first.pk),
        (StopKind.DROPOFF, first.pk),
        (StopKind.PICKUP, second.pk),
        (StopKind.DROPOFF, second.pk),
    ]
    record(courier, stops(round_)[0], django_capture_on_commit_callbacks)

    assert news(second) == [f"Votre commande {second.order_number} est en route"]
    # The first drop-off is next already: one message says so (« en route » goes without).
    assert news(first) == [
        f"Votre commande {first.order_number} arrive : vous êtes le prochain arrêt"
    ]


def test_the_message_carries_the_arrival_window_and_the_tracking_link(
    courier, round_, second, django_capture_on_commit_callbacks
):
    record(courier, stops(round_)[0], django_capture_on_commit_callbacks)

    message = next(m for m in mail.outbox if m.to == [second.contact_email])
    dropoff = round_.stops.get(delivery=second, kind=StopKind.DROPOFF)
    assert dropoff.expected_at is not None
    assert "Arrivée prévue entre " in message.body
    assert f"http://testserver/suivi/{second.tracking_token}/" in message.body
    assert f"/suivi/{second.tracking_token}/messages/" in message.body
    assert "&#x27;" not in message.body and "&amp;" not in message.body


def test_without_an_expected_time_the_message_gives_the_slot(
    courier, round_, second, django_capture_on_commit_callbacks
):
    round_.stops.update(expected_at=None)
    round_.stops.filter(pk=stops(round_)[0].pk).update(state="done")
    round_.__class__.objects.filter(pk=round_.pk).update(started_at=round_.start)

    with django_capture_on_commit_callbacks(execute=True):
        send_round_news(round_.pk, round_started=True)

    message = next(m for m in mail.outbox if m.to == [second.contact_email])
    assert "Créneau de livraison : " in message.body
    assert "Arrivée prévue" not in message.body


def test_the_shopper_hears_when_their_stop_is_next(
    courier, round_, second, django_capture_on_commit_callbacks
):
    ride_until(courier, round_, second, django_capture_on_commit_callbacks)

    assert news(second) == [
        f"Votre commande {second.order_number} est en route",
        f"Votre commande {second.order_number} arrive : vous êtes le prochain arrêt",
    ]
    body = mail.outbox[-1].body
    assert "vous êtes le prochain arrêt" in body and "Arrivée prévue" in body


def test_each_event_is_told_once_however_often_the_task_runs(
    courier, round_, second, django_capture_on_commit_callbacks
):
    ride_until(courier, round_, second, django_capture_on_commit_callbacks)
    told = len(news(second))

    assert send_round_news(round_.pk, round_started=True) == 0
    assert send_round_news(round_.pk) == 0
    assert len(news(second)) == told == 2


def test_nothing_after_the_delivery_is_handed_over(
    courier, round_, first, django_capture_on_commit_callbacks
):
    dropoff = ride_until(courier, round_, first, django_capture_on_commit_callbacks)
    record(courier, dropoff, django_capture_on_commit_callbacks)
    assert len(news(first)) == 1  # « prochain arrêt » (theirs was next from the start)

    OutgoingEmail.objects.filter(to=first.contact_email).delete()  # even with fresh keys
    assert send_round_news(round_.pk, round_started=True) == 0

    assert not OutgoingEmail.objects.filter(to=first.contact_email).exists()


@pytest.mark.parametrize("status", ["failed", "cancelled", "returned", "delivered"])
def test_nothing_for_a_settled_delivery(
    status, courier, round_, first, django_capture_on_commit_callbacks
):
    Delivery.objects.filter(pk=first.pk).update(status=status, failure_reason="absent")

    record(courier, stops(round_)[0], django_capture_on_commit_callbacks)

    assert news(first) == []


def test_nothing_once_the_shopper_stopped_the_messages(
    client, courier, round_, first, second, django_capture_on_commit_callbacks
):
    url = f"/suivi/{first.tracking_token}/messages/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Ne plus recevoir ces messages" in page.text
    first.refresh_from_db()
    assert first.news_stopped_at is None  # opening the link stops nothing

    answer = client.post(url)

    assert answer.status_code == 200
    assert "vous ne recevrez plus" in answer.text
    record(courier, stops(round_)[0], django_capture_on_commit_callbacks)
    assert news(first) == []
    assert len(news(second)) == 1


def test_an_unknown_link_stops_nothing(client, first):
    assert client.get("/suivi/inconnu/messages/").status_code == 404
    assert client.post("/suivi/inconnu/messages/").status_code == 404
    assert client.post(f"/suivi/{'x' * 80}/messages/").status_code == 404


def test_a_round_not_started_tells_nobody(round_, first):
    assert send_round_news(round_.pk, round_started=True) == 0
    assert send_round_news(999999) == 0
    assert news(first) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_stops_recorded_at_once_tell_each_shopper_once():
    first, second = make_delivery(shops=2), make_delivery(shops=1)
    round_ = published_round(deliveries=[first, second])
    courier = round_.courier.user
    pickups = [s for s in stops(round_) if s.kind == StopKind.PICKUP][:2]

    outcomes = run_together([lambda s=s: services.record_pickup(courier, s.pk) for s in pickups])

    assert outcomes == ["ok", "ok"]
    for delivery in (first, second):
        keys = list(
            OutgoingEmail.objects.filter(to=delivery.contact_email).values_list(
                "dedupe_key", flat=True
            )
        )
        assert len(keys) == len(set(keys)) >= 1
        assert sum(":started:" in key for key in keys) <= 1


# --- SMS -----------------------------------------------------------------------------------


def texts(delivery) -> list[str]:
    return list(
        OutgoingSms.objects.filter(to=delivery.contact_phone)
        .order_by("pk")
        .values_list("body", flat=True)
    )


def test_a_shopper_with_a_mobile_is_texted_too_once_per_event(
    settings, courier, round_, second, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://anima-calais.fr"
    ride_until(courier, round_, second, django_capture_on_commit_callbacks)
    send_round_news(round_.pk, round_started=True)

    sent = OutgoingSms.objects.filter(dedupe_key__endswith=f":{second.pk}:sms").order_by("pk")
    started, following = [message.body for message in sent]
    url = f"https://anima-calais.fr/suivi/{second.tracking_token}/"
    assert started.startswith("Commande Anima en route : arrivée prévue entre ")
    assert following.startswith("Coursier Anima : prochaine livraison chez vous, entre ")
    for body in (started, following):
        assert body.endswith(f". {url}")
        assert gsm7(body) == body  # GSM-7 only: 160 characters a part, not 70
        assert gsm7_length(body) <= 160  # one SMS
    assert all(message.status == SmsStatus.SENT for message in sent)
    # Nothing sent in the embedded default: the messages are written under var/sms/.
    written = [path.read_text() for path in settings.SMS_FILE_PATH.iterdir()]
    assert any(following in text and "From: Anima" in text for text in written)


@pytest.mark.parametrize("relay", [False, True], ids=["domicile", "point relais"])
@pytest.mark.parametrize("late", [False, True], ids=["à l'heure", "en retard"])
def test_every_text_fits_one_sms(settings, round_, second, late, relay):
    settings.SITE_URL = "https://anima-calais.fr"
    stop = round_.stops.select_related("delivery__slot").get(delivery=second, kind="dropoff")
    slot = second.slot
    stop.expected_at = slot.end + timedelta(minutes=47) if late else slot.start
    stop.delivery.relay_point = RelayPointFactory() if relay else None
    context = news_context(stop)
    assert context["arrival"].late is late

    for kind in ("started", "next"):
        body = render_to_string(f"delivery/sms/news_{kind}.txt", context, using="text").strip()
        assert gsm7(body) == body
        assert ("retard" in body) is late
        assert gsm7_length(body) <= 160, body


@pytest.mark.parametrize(
    "change", [{"news_by_sms": False}, {"contact_phone": "+33321000000"}], ids=["unticked", "fixe"]
)
def test_no_sms_without_a_mobile_or_when_unticked(
    change, courier, round_, first, second, django_capture_on_commit_callbacks
):
    Delivery.objects.filter(pk=second.pk).update(**change)
    second.refresh_from_db()

    record(courier, stops(round_)[0], django_capture_on_commit_callbacks)

    assert news(second) == [f"Votre commande {second.order_number} est en route"]
    assert not OutgoingSms.objects.filter(dedupe_key__endswith=f":{second.pk}:sms").exists()
    assert OutgoingSms.objects.filter(dedupe_key__endswith=f":{first.pk}:sms").exists()


def test_no_sms_once_the_shopper_stopped_the_messages(
    client, courier, round_, first, django_capture_on_commit_callbacks
):
    client.post(f"/suivi/{first.tracking_token}/messages/")

    record(courier, stops(round_)[0], django_capture_on_commit_callbacks)

    assert not OutgoingSms.objects.filter(dedupe_key__endswith=f":{first.pk}:sms").exists()


def test_news_go_to_brevo_when_it_is_configured(
    sms_standin, courier, round_, first, second, django_capture_on_commit_callbacks
):
    record(courier, stops(round_)[0], django_capture_on_commit_callbacks)

    assert [(m["recipient"], m["sender"]) for m in sms_standin.received] == [
        ("33612345678", "Anima"),
        ("33612345678", "Anima"),
    ]
    assert {m["content"].split(" :")[0] for m in sms_standin.received} == {
        "Commande Anima en route",
        "Coursier Anima",
    }


def test_the_tracking_page_links_to_the_news_page(client, first):
    page = client.get(f"/suivi/{first.tracking_token}/").content.decode()

    assert f'href="/suivi/{first.tracking_token}/messages/"' in page
