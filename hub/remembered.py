"""Values read on every page and written rarely, kept in the cache and forgotten on each change.

``remembered(key, compute)`` answers from the cache, or computes the value and stores it with
``add``. ``forget(keys)`` writes a short tombstone rather than deleting, again after the
transaction's commit: a request that computed the old value just before a change cannot put
it back over the change (its ``add`` finds the tombstone), and one that reads between the
change and its commit still finds the old value in the database, so is not stored either.
While the tombstone lasts, each request computes the value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

TOMBSTONE = "anima:forgotten"
T = TypeVar("T")


def remembered(
    key: str,
    compute: Callable[[], T],
    seconds: int,
    alias: str = "default",
    keep: Callable[[T], Any] | None = None,
    restore: Callable[[Any], T] | None = None,
) -> T:
    """The value under ``key``, or ``compute()`` stored for ``seconds``. ``keep`` turns the
    value into what is stored, ``restore`` turns it back (both default to the value)."""
    store = caches[alias]
    kept = store.get(key)
    if kept is not None and kept != TOMBSTONE:
        return restore(kept) if restore else kept
    value = compute()
    if kept is None and value is not None:
        store.add(key, keep(value) if keep else value, seconds)
    return value


def forget(keys: Iterable[str], alias: str = "default") -> None:
    """The next reads of ``keys`` compute their value anew (now and after the commit)."""
    tombstones = dict.fromkeys(keys, TOMBSTONE)
    if not tombstones:
        return
    seconds = settings.REMEMBERED_TOMBSTONE_SECONDS
    caches[alias].set_many(tombstones, seconds)
    transaction.on_commit(lambda: caches[alias].set_many(tombstones, seconds))
