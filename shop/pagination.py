"""Pages of the catalogue whose cost does not grow with the catalogue: keyset pagination.

A page is read from where the previous one stopped (``WHERE (name, id) > (last name, last
id) ORDER BY name, id LIMIT 25``), which an index serves at any depth, instead of skipping
``OFFSET`` rows; a product added or removed while a shopper pages does not shift what the
next page shows. The links carry the position as an opaque cursor (``?apres=`` / ``?avant=``);
a cursor that cannot be read starts again at the first page (never an error).

How many products match is counted once per filter set, up to a bound, and carried in the
cursor: following pages count nothing.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

AFTER, BEFORE = "apres", "avant"
MAX_PAGE_NUMBER = 1_000_000


@dataclass(frozen=True)
class Key:
    """One column of the order: a field or annotation name, descending or not."""

    name: str
    descending: bool = False
    # An index serves this column: repeat its bound alone so that the scan starts there.
    indexed: bool = False
    # What a cursor may carry for it: "text", "integer" or "number".
    kind: str = "text"

    def read(self, item: Model) -> Any:
        return getattr(item, "pk" if self.name == "pk" else self.name)


@dataclass(frozen=True)
class Cursor:
    """Where a page starts (``after``) or ends (``before``): the key of the row next to it."""

    number: int
    count: int | None
    values: tuple[Any, ...]

    def encode(self) -> str:
        raw = json.dumps([self.number, self.count, list(self.values)], ensure_ascii=False)
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str, keys: Sequence[Key]) -> Cursor | None:
        """The cursor in ``token``, or None when it is not one for this order."""
        if not token or len(token) > 2000:
            return None
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            number, count, values = json.loads(raw.decode())
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
            return None
        if not _is_int(number) or not 1 <= number <= MAX_PAGE_NUMBER:
            return None
        if count is not None and (not _is_int(count) or count < 0):
            return None
        if not isinstance(values, list) or len(values) != len(keys):
            return None
        if not all(_plain(value, key.kind) for value, key in zip(values, keys, strict=True)):
            return None
        return cls(number, count, tuple(values))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _plain(value: object, kind: str) -> bool:
    """A key value of the expected kind: text, a whole number, a finite number."""
    if isinstance(value, bool):
        return False
    if kind == "text":
        # No NUL: PostgreSQL refuses it in a query (a 500 instead of the first page).
        return isinstance(value, str) and len(value) <= 500 and "\x00" not in value
    if isinstance(value, int):
        return abs(value) < 2**63
    return kind == "number" and isinstance(value, float) and math.isfinite(value)


def _beyond(keys: Sequence[Key], values: Sequence[Any]) -> Q:
    """Rows strictly after ``values`` in the order of ``keys``.

    ``a > x OR (a = x AND b > y) …``, plus ``a >= x`` on its own so that an index on the
    first column starts its scan there instead of reading from the start.
    """
    alternatives, equal = Q(), dict[str, Any]()
    for key, value in zip(keys, values, strict=True):
        alternatives |= Q(**equal, **{f"{key.name}__{'lt' if key.descending else 'gt'}": value})
        equal[key.name] = value
    first = keys[0]
    if not first.indexed:
        return alternatives
    return Q(**{f"{first.name}__{'lte' if first.descending else 'gte'}": values[0]}) & alternatives


@dataclass
class KeysetPage:
    """One page of rows, with the cursors of its neighbours (None where there is none)."""

    object_list: list[Any]
    number: int
    count: int | None
    count_limit: int
    next_cursor: str | None = None
    previous_cursor: str | None = None

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def count_capped(self) -> bool:
        """More matches than were counted: the page says « plus de … »."""
        return self.count is not None and self.count >= self.count_limit


def keyset_page(
    queryset: QuerySet,
    keys: Sequence[Key],
    per_page: int,
    params: Any,
    count: Callable[[], int] | None = None,
    count_limit: int = 1000,
) -> KeysetPage:
    """The page of ``queryset`` (ordered by ``keys``, the last one unique) that ``params``
    (the request's GET) points to: after the ``apres`` cursor, before the ``avant`` one, or
    the first. ``count`` is called on the first page only; its answer rides in the cursors."""
    after = Cursor.decode(params.get(AFTER, ""), keys)
    before = None if after else Cursor.decode(params.get(BEFORE, ""), keys)
    cursor = after or before
    if cursor is None:
        total = count() if count is not None else None
        rows = list(queryset.order_by(*_ordering(keys))[: per_page + 1])
        return _page(rows, keys, per_page, 1, total, count_limit)
    if after is not None:
        rows = list(
            queryset.filter(_beyond(keys, after.values)).order_by(*_ordering(keys))[: per_page + 1]
        )
        return _page(rows, keys, per_page, after.number, after.count, count_limit)
    reverse = [Key(key.name, not key.descending, key.indexed, key.kind) for key in keys]
    rows = list(
        queryset.filter(_beyond(reverse, cursor.values)).order_by(*_ordering(reverse))[
            : per_page + 1
        ]
    )
    earlier = len(rows) > per_page
    rows = rows[:per_page][::-1]
    # The count of pages before may have drifted (rows added or removed since): no earlier
    # rows means this is the first page, whatever the cursor said.
    number = max(cursor.number, 2) if earlier else 1
    page = KeysetPage(rows, number, cursor.count, count_limit)
    if rows:
        page.next_cursor = Cursor(number + 1, cursor.count, _values(keys, rows[-1])).encode()
        if earlier:
            page.previous_cursor = Cursor(number - 1, cursor.count, _values(keys, rows[0])).encode()
    return page


def _ordering(keys: Sequence[Key]) -> list[str]:
    return [f"-{key.name}" if key.descending else key.name for key in keys]


def _values(keys: Sequence[Key], item: Model) -> tuple[Any, ...]:
    return tuple(key.read(item) for key in keys)


def _page(
    rows: list[Any],
    keys: Sequence[Key],
    per_page: int,
    number: int,
    count: int | None,
    count_limit: int,
) -> KeysetPage:
    more = len(rows) > per_page
    rows = rows[:per_page]
    page = KeysetPage(rows, number, count, count_limit)
    if more:
        page.next_cursor = Cursor(number + 1, count, _values(keys, rows[-1])).encode()
    if number > 1 and rows:
        page.previous_cursor = Cursor(number - 1, count, _values(keys, rows[0])).encode()
    return page
