"""The courier's actions move stops, deliveries and rounds along — in order, or a 409."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from delivery import services, signals
from delivery.models import (
    DeliveryStatus,
    EventKind,
    EventSource,
    PickupStatus,
    RoundStatus,
    Stop,
    StopKind,
    StopState,
)
from hub.exceptions import Conflict
from tests.delivery.factories import CourierFactory, RoundFactory, make_delivery, published_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery():
    return make_delivery(shops=2, payment_due="23.40")


@pytest.fixture
def round_(delivery):
    return published_round(deliveries=[delivery])


@pytest.fixture
def user(round_):
    return round_.courier.user


def stops(round_):
    return list(round_.stops.order_by("sequence"))


def pick_all(user, round_):
    for stop in stops(round_):
        if stop.kind == StopKind.PICKUP:
            services.record_pickup(user, stop.pk)


def dropoff(round_):
    return round_.stops.get(kind=StopKind.DROPOFF)


def photo_with_exif() -> SimpleUploadedFile:
    image = Image.new("RGB", (2400, 1800), "orange")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (50.0, 57.0, 0.0)}  # GPS latitude
    output = BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return SimpleUploadedFile("IMG_0001.jpg", output.getvalue(), content_type="image/jpeg")


def test_a_pickup_puts_the_delivery_on_the_road_and_starts_the_round(user, round_, delivery):
    first = stops(round_)[0]
    services.record_pickup(user, first.pk)

    first.refresh_from_db()
    delivery.refresh_from_db()
    round_.refresh_from_db()
    assert first.state == StopState.DONE
    assert first.pickup.status == PickupStatus.PICKED_UP
    assert delivery.status == DeliveryStatus.IN_TRANSIT
    assert round_.status == RoundStatus.IN_PROGRESS and round_.started_at
    event = delivery.events.get(kind=EventKind.PICKED_UP)
    assert event.actor == user and event.source == EventSource.COURIER


def test_the_shop_hears_of_the_pickup_after_commit(
    user, round_, delivery, django_capture_on_commit_callbacks
):
    heard = []

    def listen(sender, order_number, merchant_id, **kwargs):
        heard.append((order_number, merchant_id))

    signals.parcel_picked_up.connect(listen)
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            services.record_pickup(user, stops(round_)[0].pk)
        assert heard == []
        for callback in callbacks:
            callback()
    finally:
        signals.parcel_picked_up.disconnect(listen)
    assert heard == [(delivery.order_number, 100)]


def test_delivered_with_recipient_payment_and_a_photo_without_its_exif(user, round_, delivery):
    pick_all(user, round_)

    services.record_delivery(
        user, dropoff(round_).pk, "Camille Durand", payment_collected=True, photo=photo_with_exif()
    )

    delivery.refresh_from_db()
    round_.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.recipient_name == "Camille Durand"
    assert delivery.payment_collected
    with delivery.proof_photo.open("rb") as handle, Image.open(handle) as stored:
        assert not stored.getexif()
        assert max(stored.size) == 1600
    assert round_.status == RoundStatus.FINISHED and round_.finished_at


def test_a_queued_action_keeps_the_time_it_was_made_on_the_phone(user, round_, delivery):
    made = timezone.now() - timedelta(minutes=40)
    services.record_pickup(user, stops(round_)[0].pk, recorded_at=made)

    event = delivery.events.get(kind=EventKind.PICKED_UP)
    assert event.occurred_at == made
    assert event.recorded_at > made


def test_an_implausible_phone_time_is_replaced_by_the_server_time(user, round_, delivery):
    services.record_pickup(
        user, stops(round_)[0].pk, recorded_at=timezone.now() + timedelta(days=2)
    )

    event = delivery.events.get(kind=EventKind.PICKED_UP)
    assert abs((event.occurred_at - timezone.now()).total_seconds()) < 60


def test_delivering_before_every_pickup_is_refused(user, round_):
    services.record_pickup(user, stops(round_)[0].pk)

    with pytest.raises(Conflict, match="Récupérez d'abord"):
        services.record_delivery(user, dropoff(round_).pk, "Camille", True)


def test_a_pickup_the_shop_has_not_prepared_is_refused():
    delivery = make_delivery(shops=1, ready=False)
    round_ = published_round(deliveries=[delivery])

    with pytest.raises(Conflict, match="pas encore déclaré sa partie prête"):
        services.record_pickup(round_.courier.user, stops(round_)[0].pk)


def test_the_wrong_action_for_the_kind_of_stop_is_refused(user, round_):
    pickup, drop = stops(round_)[0], dropoff(round_)
    with pytest.raises(Conflict):
        services.record_pickup(user, drop.pk)
    with pytest.raises(Conflict):
        services.record_delivery(user, pickup.pk, "Camille", True)
    with pytest.raises(Conflict):
        services.record_failure(user, pickup.pk, "absent")


def test_a_stop_cannot_be_recorded_twice(user, round_):
    first = stops(round_)[0]
    services.record_pickup(user, first.pk)

    with pytest.raises(Conflict, match="déjà enregistré"):
        services.record_pickup(user, first.pk)


def test_nothing_is_recorded_on_a_finished_round(user, round_):
    pick_all(user, round_)
    services.record_delivery(user, dropoff(round_).pk, "Camille", True)
    extra = Stop.objects.create(
        round=round_, delivery=make_delivery(), kind=StopKind.DROPOFF, sequence=9
    )

    with pytest.raises(Conflict, match="terminée"):
        services.record_failure(user, extra.pk, "absent")


def test_another_couriers_stop_does_not_exist_for_them(round_):
    stranger = CourierFactory().user
    with pytest.raises(Stop.DoesNotExist):
        services.record_pickup(stranger, stops(round_)[0].pk)


def test_a_round_not_yet_published_is_invisible_to_its_courier():
    round_ = RoundFactory()
    services.add_deliveries(round_.pk, [make_delivery().pk], None)

    with pytest.raises(Stop.DoesNotExist):
        services.record_pickup(round_.courier.user, round_.stops.first().pk)


def test_delivery_needs_a_recipient_and_the_payment_due(user, round_, delivery):
    pick_all(user, round_)
    with pytest.raises(ValidationError) as error:
        services.record_delivery(user, dropoff(round_).pk, "  ", payment_collected=False)

    assert set(error.value.message_dict) == {"recipient", "payment_collected"}
    assert "23,40" in error.value.message_dict["payment_collected"][0]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.IN_TRANSIT


def test_a_paid_order_needs_no_payment_at_the_door():
    delivery = make_delivery(shops=1, payment_due="0")
    round_ = published_round(deliveries=[delivery])
    user = round_.courier.user
    pick_all(user, round_)

    services.record_delivery(user, dropoff(round_).pk, "Camille")

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and not delivery.payment_collected


def test_a_file_that_is_not_an_image_is_refused(user, round_):
    pick_all(user, round_)
    fake = SimpleUploadedFile("photo.jpg", b"not an image", content_type="image/jpeg")

    with pytest.raises(ValidationError) as error:
        services.record_delivery(user, dropoff(round_).pk, "Camille", True, photo=fake)
    assert "photo" in error.value.message_dict


def test_a_failure_keeps_the_reason_brings_the_parcels_back_and_finishes_the_round(
    user, round_, delivery
):
    pick_all(user, round_)

    services.record_failure(user, dropoff(round_).pk, "absent", "Personne à l'interphone")

    delivery.refresh_from_db()
    round_.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.failure_reason == "absent" and delivery.failures == 1
    assert delivery.at_hub
    assert dropoff(round_).state == StopState.FAILED
    assert round_.status == RoundStatus.FINISHED
    assert "Destinataire absent : Personne à l'interphone" in delivery.events.last().message


@pytest.mark.parametrize(
    "reason, note, field",
    [("lost", "", "reason"), ("other", "", "note"), ("absent", "x" * 251, "note")],
)
def test_a_failure_needs_a_known_reason_and_a_note_for_other(user, round_, reason, note, field):
    pick_all(user, round_)
    with pytest.raises(ValidationError) as error:
        services.record_failure(user, dropoff(round_).pk, reason, note)
    assert field in error.value.message_dict
