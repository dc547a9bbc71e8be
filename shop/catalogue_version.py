"""The catalogue's version: a counter in the cache that changes on every write that can change
what a catalogue page shows (a product, its stock, price or labels, its shop).

Catalogue pages are cached whole under the version they were rendered at
(``shop.services.pages``), so a page is served without reading a row; a write makes every page
cached before it unreachable. Every write path bumps it:

- saving or deleting a row: ``post_save`` / ``post_delete`` (connected in ``ShopConfig.ready``);
- writes that send no signal (``update()``, ``bulk_update``, ``bulk_create``, ``delete()`` of a
  queryset: checkout's stock decrement, a cancellation giving stock back, admin actions, the
  CSV import's labels, the workflow's status change): the models' querysets
  (``CatalogueQuerySet``), which every manager of these models, related managers included,
  is built from (tests/shop/test_catalogue_version.py checks it).

A bump happens at once (the writer's own transaction then reads the new rows and must not be
served the old page) and again after commit: a reader reads the version before the rows, so a
page rendered from rows read before the commit can only be stored under a version that the
after-commit bump leaves behind.

When a bump fails (the cache does not answer), this process serves no cached page until a bump
succeeds: it retries at each catalogue request and each write.
"""

from __future__ import annotations

import logging
import secrets
import threading

from django.core.cache import cache
from django.db import connection, models, transaction

logger = logging.getLogger(__name__)

VERSION_KEY = "shop:catalogue-version"
# A version starts at a random number at least this big: a counter lost with the cache (an
# eviction, a flush) starts again elsewhere, never at a number whose pages may still be
# stored. A degraded cache (anima.cache) answers ``incr`` with its delta: a number this small is
# a failed bump, never a version.
VERSION_FLOOR = 2**40
VERSION_CEILING = 2**62

_lock = threading.Lock()
_owed = False  # process-wide: a bump failed here, no cached page until one succeeds


def _fresh() -> int:
    return VERSION_FLOOR + secrets.randbelow(VERSION_CEILING - VERSION_FLOOR)


def _is_version(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= VERSION_FLOOR


def _bump_once() -> bool:
    """Increment the version (or start a fresh one when it is gone); False when the cache did
    not take it."""
    try:
        try:
            bumped = cache.incr(VERSION_KEY)
        except ValueError:
            # No version (never made, or lost): start a fresh one, then step past it — a
            # reader may have just started it and rendered from rows older than this write.
            cache.add(VERSION_KEY, _fresh(), timeout=None)
            bumped = cache.incr(VERSION_KEY)
    except Exception:  # any cache failure: the pages must not be served from the cache
        logger.exception("Catalogue version not bumped")
        return False
    return _is_version(bumped)


def bump_catalogue_version() -> bool:
    """Make every catalogue page cached so far unreachable; False (and no cached page in this
    process until a bump succeeds) when the cache did not answer."""
    global _owed
    with _lock:
        done = _bump_once()
        _owed = not done
    if not done:
        logger.warning("Catalogue version bump failed: catalogue pages are rendered uncached")
    return done


def catalogue_version() -> int | None:
    """The catalogue's current version, read before any row of a page; None when pages must be
    rendered without the cache (cache unreachable, or a failed bump not yet made good)."""
    if _owed and not bump_catalogue_version():
        return None
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, _fresh(), timeout=None)
            version = cache.get(VERSION_KEY)
    except Exception:
        logger.exception("Catalogue version not read")
        return None
    return version if _is_version(version) else None


def read_with_version(key: str) -> tuple[int | None, object]:
    """The catalogue's current version (as ``catalogue_version``) and what the cache holds at
    ``key``, read in one round trip; (None, None) when pages must be rendered uncached."""
    if _owed and not bump_catalogue_version():
        return None, None
    try:
        found = cache.get_many([VERSION_KEY, key])
    except Exception:
        logger.exception("Catalogue version not read")
        return None, None
    version = found.get(VERSION_KEY)
    if version is None:  # none yet, lost, or the cache is down: nothing kept can be trusted
        return catalogue_version(), None
    return (version if _is_version(version) else None), found.get(key)


def _bump_after_commit() -> None:
    bump_catalogue_version()


def catalogue_changed() -> None:
    """A write that can change a catalogue page: bump now and again once its transaction
    commits (once per transaction: the last bump is the one that counts)."""
    if not connection.in_atomic_block:
        bump_catalogue_version()  # already committed
        return
    # The bump at once serves reads in this transaction. Not while a bump is owed: this
    # process then serves no kept page anyway, and a cache that does not answer would hold
    # the transaction's row locks (checkout's) for its timeout at each write.
    if not _owed:
        bump_catalogue_version()
    # A callback registered in a savepoint rolled back since is dropped from this list, so
    # a write after that registers again.
    if not any(entry[1] is _bump_after_commit for entry in connection.run_on_commit):
        transaction.on_commit(_bump_after_commit, robust=True)


class CatalogueQuerySet(models.QuerySet):
    """Writes that send no signal (bulk ones) change the catalogue too. (The async variants,
    ``aupdate``…, call these through ``sync_to_async``.)"""

    def update(self, **kwargs):
        changed = super().update(**kwargs)
        catalogue_changed()
        return changed

    update.alters_data = True  # type: ignore[attr-defined]

    def bulk_update(self, objs, fields, batch_size=None):
        changed = super().bulk_update(objs, fields, batch_size=batch_size)
        catalogue_changed()
        return changed

    bulk_update.alters_data = True  # type: ignore[attr-defined]

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        catalogue_changed()
        return created

    bulk_create.alters_data = True  # type: ignore[attr-defined]

    def delete(self):
        deleted = super().delete()
        catalogue_changed()
        return deleted

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


def _row_changed(sender, **kwargs) -> None:
    catalogue_changed()


def connect_signals(models_: tuple[type[models.Model], ...]) -> None:
    """Saving or deleting one of ``models_``'s rows changes the catalogue."""
    for model in models_:
        uid = f"shop.catalogue_version.{model._meta.label}"
        models.signals.post_save.connect(_row_changed, sender=model, dispatch_uid=uid + ".save")
        models.signals.post_delete.connect(_row_changed, sender=model, dispatch_uid=uid + ".delete")


def bump_after_migrate(sender, **kwargs) -> None:
    bump_catalogue_version()
