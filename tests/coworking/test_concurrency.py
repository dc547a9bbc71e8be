"""No double booking under real concurrency: threads racing for the same hour."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from coworking import services
from coworking.models import Booking, BookingStatus
from hub.exceptions import Conflict
from tests.coworking.factories import BookingFactory, DeskPoolFactory, PassFactory, RoomFactory, at
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def race(count: int, attempt) -> list[str]:
    """Run ``attempt(i)`` in ``count`` threads released together; 'ok' or 'conflict' each."""
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(index):
        try:
            barrier.wait()
            attempt(index)
            result = "ok"
        except Conflict:
            result = "conflict"
        except Exception as error:
            result = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres
def test_ten_people_racing_for_one_room_hour_get_exactly_one_booking():
    room = RoomFactory()
    users = [UserFactory() for _ in range(10)]

    outcomes = race(10, lambda i: services.book(users[i], room, at(2, 10), at(2, 11)))

    assert sorted(outcomes) == ["conflict"] * 9 + ["ok"]
    assert Booking.objects.active().filter(resource=room).count() == 1


@pytest.mark.postgres
def test_a_pool_of_three_desks_never_holds_more_than_three_under_a_race():
    pool = DeskPoolFactory(capacity=3)
    users = [UserFactory() for _ in range(10)]

    outcomes = race(10, lambda i: services.book(users[i], pool, at(2, 9), at(2, 13)))

    assert outcomes.count("ok") == 3
    assert outcomes.count("conflict") == 7
    assert Booking.objects.active().filter(resource=pool).count() == 3


@pytest.mark.postgres
def test_two_bookings_racing_for_the_last_pass_credit_use_it_once():
    pool = DeskPoolFactory(capacity=5)
    user = UserFactory()
    card = PassFactory(user=user, credits=1)
    days = [2, 3]

    outcomes = race(2, lambda i: services.book(user, pool, at(days[i], 9), at(days[i], 10)))

    assert outcomes == ["ok", "ok"]
    assert Booking.objects.filter(pass_used=card).count() == 1
    assert services.credits_left(card) == 0


@pytest.mark.postgres
def test_the_database_itself_refuses_overlapping_bookings_of_a_room():
    room = RoomFactory()
    BookingFactory(resource=room, start=at(2, 10), end=at(2, 12))

    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(resource=room, start=at(2, 11), end=at(2, 12))
    # Back-to-back and cancelled bookings are not overlaps for the constraint either.
    BookingFactory(resource=room, start=at(2, 12), end=at(2, 13))
    BookingFactory(resource=room, start=at(2, 10), end=at(2, 11), status=BookingStatus.CANCELLED)


def test_the_check_counts_overlaps_even_without_the_database_constraint():
    room = RoomFactory()
    BookingFactory(resource=room, start=at(2, 10), end=at(2, 10) + timedelta(hours=2))

    with pytest.raises(Conflict):
        services.book(UserFactory(), room, at(2, 11), at(2, 12))
