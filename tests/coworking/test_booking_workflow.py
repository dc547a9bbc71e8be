"""Coworking's state machines: bookings, Atelier 8 applications, solidarity proofs, passes
bought online."""

import pytest

from coworking import services
from coworking.models import BookingStatus, PassPurchase, PurchaseStatus, SolidarityProof
from coworking.workflows import APPLICATION, BOOKING, PROOF, PURCHASE
from hub.services import status_changes
from tests.coworking.factories import (
    ApplicationFactory,
    BookingFactory,
    PassFactory,
    PassOfferFactory,
)
from tests.hub.factories import UserFactory
from tests.workflows import walk_every_move

pytestmark = pytest.mark.django_db


def test_a_booking_makes_every_allowed_move_and_no_other():
    assert walk_every_move(BOOKING, BookingFactory(), UserFactory()) == (4, 12)


def test_cancelling_records_who_cancelled():
    booking = BookingFactory()
    staff = UserFactory(is_staff=True)
    services.cancel_booking(booking, by=staff)
    booking.refresh_from_db()
    assert booking.status in (BookingStatus.CANCELLED, BookingStatus.LATE_CANCELLED)
    [change] = status_changes(booking)
    assert (change.from_status, change.to_status, change.by) == (
        "confirmed",
        booking.status,
        staff,
    )
    assert change.source == "coworking.cancel_booking"


def test_an_atelier8_application_makes_every_allowed_move_and_no_other():
    assert walk_every_move(APPLICATION, ApplicationFactory(), UserFactory()) == (7, 18)


def test_a_solidarity_proof_makes_every_allowed_move_and_no_other():
    proof = SolidarityProof.objects.create(
        user=UserFactory(), category="rsa", content_type="application/pdf"
    )
    assert walk_every_move(PROOF, proof, UserFactory()) == (2, 7)


def test_a_pass_purchase_makes_every_allowed_move_and_no_other():
    purchase = PassPurchase.objects.create(
        user=UserFactory(), offer=PassOfferFactory(), tier="standard", price="10.00"
    )
    bought = PassFactory()

    def pass_of(status):
        return {"pass_created": bought if status == PurchaseStatus.PAID else None}

    assert walk_every_move(PURCHASE, purchase, UserFactory(), columns_for=pass_of) == (2, 7)
