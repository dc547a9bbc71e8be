"""Cached HTML fragments (cards of a list) keyed by what they show, fetched in one round trip.

A fragment's key is a digest of every value it displays, the language and its template's
source: when a price, a stock, a name or a shop changes, the row read for the page gives a new
key, so a cached card can never show a stale price or availability, whichever way the row was
written (``save()``, a bulk ``update()`` at checkout, an admin action). Unused keys expire.

What differs per visitor (the CSRF token, the page to come back to) is rendered as a marker
and put in when the page is served, so one cached card serves everyone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from functools import cache as memoize
from typing import Any

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FRAGMENT_SECONDS = 24 * 3600
CSRF_MARKER = "anima-fragment-csrf-token"
NEXT_MARKER = "anima-fragment-next-path"


@memoize
def _template_digest(name: str) -> str:
    """Changes when the template's source does, so a deployment never serves old markup."""
    source = get_template(name).template.source
    return hashlib.blake2b(source.encode(), digest_size=6).hexdigest()


def fragment_key(template_name: str, values: Sequence[Any]) -> str:
    """The cache key of a fragment showing ``values`` with ``template_name``."""
    digest = hashlib.blake2b(repr(tuple(values)).encode(), digest_size=12).hexdigest()
    language = translation.get_language()
    return f"fragment:{template_name}:{_template_digest(template_name)}:{language}:{digest}"


def render_fragments(
    request,
    template_name: str,
    items: Iterable[Any],
    shown: Callable[[Any], Sequence[Any]],
    context: Callable[[Any], dict],
) -> list[SafeString]:
    """Each item rendered with ``template_name``: cached ones in one ``get_many``, the others
    rendered and stored in one ``set_many``. ``shown(item)`` lists every value the fragment
    displays; ``context(item)`` is its template context."""
    items = list(items)
    keys = [fragment_key(template_name, shown(item)) for item in items]
    found = cache.get_many(keys)
    template = get_template(template_name)
    fresh = {}
    for key, item in zip(keys, items, strict=True):
        if key not in found:
            fresh[key] = template.render(
                {**context(item), "csrf_token": CSRF_MARKER, "next_path": NEXT_MARKER}
            )
    if fresh:
        cache.set_many(fresh, FRAGMENT_SECONDS)
    found.update(fresh)
    token, next_path = get_token(request), escape(request.get_full_path())
    return [
        mark_safe(found[key].replace(CSRF_MARKER, token).replace(NEXT_MARKER, next_path))
        for key in keys
    ]
