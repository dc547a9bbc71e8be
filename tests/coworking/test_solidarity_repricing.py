"""Granting the solidarity rate re-prices the bookings still to come, and the e-mail says so."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coworking import services
from coworking.models import Booking, RateTier
from hub.roles import Role
from tests.coworking.factories import (
    BookingFactory,
    DeskPoolFactory,
    PassFactory,
    RateFactory,
    RoomFactory,
    at,
)
from tests.hub.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def coworker():
    return UserFactory()


@pytest.fixture
def room():
    room = RoomFactory(name="Salle Courgain")
    hourly_only = {"half_day": None, "day": None}
    RateFactory(resource=room, tier=RateTier.STANDARD, hourly=Decimal("10.00"), **hourly_only)
    RateFactory(resource=room, tier=RateTier.SOLIDARITY, hourly=Decimal("4.00"), **hourly_only)
    return room


def grant(user):
    proof = services.submit_proof(
        user, "job_seeker", SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    )
    mail.outbox.clear()
    services.decide_proof(proof, True, StaffFactory(roles=[Role.COWORKING]))


def test_future_bookings_priced_at_the_standard_rate_move_to_the_solidarity_rate(coworker, room):
    booking = services.book(coworker, room, at(3, 10), at(3, 12))
    assert booking.price == Decimal("20.00")

    grant(coworker)

    booking.refresh_from_db()
    assert (booking.tier, booking.price, booking.amount_due) == (
        RateTier.SOLIDARITY,
        Decimal("8.00"),
        Decimal("8.00"),
    )
    body = mail.outbox[-1].body
    assert "Salle Courgain" in body
    assert "8,00\u00a0€ au lieu de 20,00\u00a0€" in body


def test_past_bookings_and_bookings_covered_by_a_pass_keep_their_price(coworker, room):
    started = BookingFactory(
        user=coworker,
        resource=room,
        start=timezone.now() - timedelta(hours=1),
        end=timezone.now() + timedelta(hours=1),
        price=Decimal("20.00"),
        amount_due=Decimal("20.00"),
    )
    pool = DeskPoolFactory()
    RateFactory(resource=pool, tier=RateTier.STANDARD, day=Decimal("15.00"))
    PassFactory(user=coworker, credits=10)
    on_pass = services.book(coworker, pool, at(4, 9), at(4, 17))

    grant(coworker)

    started.refresh_from_db()
    on_pass.refresh_from_db()
    assert started.price == Decimal("20.00")
    assert on_pass.price == Decimal("0.00") and on_pass.pass_used is not None
    assert "Aucune réservation à venir" in mail.outbox[-1].body


def test_other_peoples_bookings_keep_the_standard_rate(coworker, room):
    other = services.book(UserFactory(), room, at(3, 14), at(3, 15))

    grant(coworker)

    assert Booking.objects.get(pk=other.pk).price == Decimal("10.00")
