"""Bounded waits for row locks: a busy checkout or booking asks to retry instead of hanging.

PostgreSQL waits for a row lock as long as the statement may run; ``SET LOCAL lock_timeout``
makes it give up after a short while (pretix does the same for its checkout). SQLite has no row
locks: its write transactions queue on the database file, bounded by the connection timeout.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext as _

from hub.exceptions import Conflict

LOCK_NOT_AVAILABLE = "55P03"


def busy_message() -> str:
    return _("Beaucoup de demandes arrivent en même temps : réessayez dans un instant.")


@contextmanager
def atomic_with_lock_timeout(milliseconds: int | None = None) -> Iterator[None]:
    """``transaction.atomic()`` whose row-lock waits end after ``milliseconds`` (PostgreSQL),
    raising Conflict with a « réessayez » message; the caller's own timeout is restored after."""
    timeout = milliseconds or settings.DATABASE_LOCK_TIMEOUT_MS
    try:
        with transaction.atomic():
            if connection.vendor != "postgresql":
                yield
                return
            previous = _set_lock_timeout(f"{timeout}ms")
            yield
            if not transaction.get_rollback():
                _set_lock_timeout(previous)
    except OperationalError as error:
        if getattr(error.__cause__, "pgcode", None) != LOCK_NOT_AVAILABLE:
            raise
        raise Conflict(busy_message()) from error


def _set_lock_timeout(value: str) -> str:
    """Set ``lock_timeout`` for the rest of the transaction; return the value it had."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)",
            [value],
        )
        return cursor.fetchone()[0]
