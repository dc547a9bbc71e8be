"""A transaction waiting too long for a row lock gives up with « réessayez » (PostgreSQL)."""

import pytest
from django.db import connection, transaction

from hub.exceptions import Conflict
from hub.models import User
from hub.services import atomic_with_lock_timeout
from tests.concurrency import rows_locked_elsewhere
from tests.hub.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def current_lock_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        return cursor.fetchone()[0]


def test_a_held_row_makes_the_waiting_transaction_ask_to_retry():
    user = UserFactory(first_name="Avant")

    with (
        rows_locked_elsewhere(User.objects.filter(pk=user.pk)),
        pytest.raises(Conflict, match="réessayez"),
        atomic_with_lock_timeout(milliseconds=50),
    ):
        User.objects.select_for_update().get(pk=user.pk)
        User.objects.filter(pk=user.pk).update(first_name="Après")

    user.refresh_from_db()
    assert user.first_name == "Avant"


def test_the_enclosing_transaction_keeps_its_own_timeout():
    with transaction.atomic():
        with atomic_with_lock_timeout(milliseconds=50):
            assert current_lock_timeout() == "50ms"
        assert current_lock_timeout() == "0"
