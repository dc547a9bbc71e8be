"""Prices by tier, and passes: credits consumed once per desk day and given back exactly."""

from datetime import timedelta
from decimal import Decimal

import pytest

from coworking import services
from coworking.models import PassKind, RateTier
from tests.coworking.factories import (
    AgreementFactory,
    DeskPoolFactory,
    PassFactory,
    RateFactory,
    RoomFactory,
    at,
)
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("hours", "expected"),
    [(1, "5.00"), (2, "10.00"), (4, "15.00"), (5, "25.00"), (9, "25.00")],
)
def test_the_cheapest_of_hourly_half_day_and_day_is_charged(hours, expected):
    rate = RateFactory()

    assert services.price_of(rate, hours * 60) == Decimal(expected)


def test_a_resource_without_rate_is_free():
    booking = services.book(UserFactory(), RoomFactory(), at(2, 10), at(2, 11))

    assert booking.price == Decimal("0.00")


def test_the_solidarity_rate_applies_once_staff_decided_it():
    rate = RateFactory()
    RateFactory(resource=rate.resource, tier=RateTier.SOLIDARITY, hourly=Decimal("2.50"))
    user = UserFactory()
    coworker = services.coworker_for(user)
    coworker.tier = RateTier.SOLIDARITY
    coworker.save()

    booking = services.book(user, rate.resource, at(2, 10), at(2, 11))

    assert booking.tier == RateTier.SOLIDARITY
    assert booking.price == Decimal("2.50")


def test_without_a_solidarity_rate_the_standard_one_applies():
    rate = RateFactory()
    user = UserFactory()
    coworker = services.coworker_for(user)
    coworker.tier = RateTier.SOLIDARITY
    coworker.save()

    assert services.book(user, rate.resource, at(2, 10), at(2, 11)).price == Decimal("5.00")


def test_a_desk_day_uses_one_credit_of_a_card_however_many_bookings_that_day():
    pool = DeskPoolFactory()
    RateFactory(resource=pool)
    user = UserFactory()
    card = PassFactory(user=user, credits=10)

    morning = services.book(user, pool, at(2, 9), at(2, 12))
    afternoon = services.book(user, pool, at(2, 14), at(2, 17))
    services.book(user, pool, at(3, 9), at(3, 12))

    assert morning.pass_used == card and afternoon.pass_used == card
    assert morning.price == Decimal("0.00")
    assert services.credits_left(card) == 8


def test_cancelling_in_time_gives_the_credit_back_and_late_keeps_it():
    pool = DeskPoolFactory()
    user = UserFactory()
    card = PassFactory(user=user, credits=10)
    in_time = services.book(user, pool, at(3, 9), at(3, 12))
    late = services.book(user, pool, at(4, 9), at(4, 12))
    assert services.credits_left(card) == 8

    services.cancel_booking(in_time, now=in_time.start - timedelta(days=2))
    services.cancel_booking(late, now=late.start - timedelta(hours=1))

    assert services.credits_left(card) == 9


def test_an_empty_card_is_not_used_and_the_booking_is_priced():
    pool = DeskPoolFactory()
    RateFactory(resource=pool)
    user = UserFactory()
    card = PassFactory(user=user, kind=PassKind.DAY, credits=1)
    services.book(user, pool, at(2, 9), at(2, 10))

    second = services.book(user, pool, at(3, 9), at(3, 10))

    assert second.pass_used is None
    assert second.price == Decimal("5.00")
    assert services.credits_left(card) == 0


def test_a_monthly_membership_covers_every_desk_day_of_its_validity():
    pool = DeskPoolFactory()
    user = UserFactory()
    card = PassFactory(user=user, credits=10)
    membership = PassFactory(user=user, kind=PassKind.MONTHLY, credits=None)

    booking = services.book(user, pool, at(2, 9), at(2, 18))

    assert booking.pass_used == membership
    assert services.credits_left(card) == 10


def test_a_pass_outside_its_validity_or_for_a_room_is_not_used():
    pool = DeskPoolFactory()
    room = RoomFactory()
    user = UserFactory()
    PassFactory(user=user, valid_until=at(1, 0).date())

    assert services.book(user, pool, at(2, 9), at(2, 10)).pass_used is None
    assert services.book(user, room, at(2, 9), at(2, 10)).pass_used is None


def test_an_atelier8_agreement_makes_bookings_of_its_resource_free():
    agreement = AgreementFactory()
    RateFactory(resource=agreement.resource)

    booking = services.book(agreement.holder, agreement.resource, at(2, 9), at(2, 12))

    assert booking.agreement == agreement
    assert booking.price == Decimal("0.00")


def test_resources_lent_under_agreement_are_refused_to_others():
    agreement = AgreementFactory()

    with pytest.raises(Exception, match="convention Atelier 8"):
        services.book(UserFactory(), agreement.resource, at(2, 9), at(2, 12))


def test_an_agreement_does_not_cover_dates_after_its_end():
    agreement = AgreementFactory(end_date=at(2, 0).date())

    with pytest.raises(Exception, match="convention Atelier 8"):
        services.book(agreement.holder, agreement.resource, at(3, 9), at(3, 12))
