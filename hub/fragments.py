"""Cached HTML fragments keyed by what they show, fetched in one round trip.

A fragment's key is a digest of every value it displays, the language and the project's
template sources: when a price, a stock, a name or a shop changes, the rows read for the page
give a new key, so a cached fragment can never show a stale price or availability, whichever
way the row was written (``save()``, a bulk ``update()`` at checkout, an admin action). Unused
keys expire; there is nothing to invalidate.

What differs per visitor (the CSRF token, the page to come back to) is rendered as a marker
and put in when the page is served, so one cached fragment serves everyone.

Two ways in: ``render_fragments`` for the cards of a list (one ``get_many``), and the
``{% fragment values %}…{% endfragment %}`` tag (``anima`` library) for a part of a page, whose
``values`` the view computes from the rows it read (``row_values``).

Whole pages (``CachedPage``): a view that can tell from the request alone which page it would
render keeps the page's ``{% page_part %}`` parts under that address with the version of the
data they show, and serves them again without reading a row while the version is the same; the
layout around them (account menu, basket, messages) is rendered for each visitor.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from functools import cache as memoize
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render as render_template
from django.template import engines
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FRAGMENT_SECONDS = 24 * 3600
CSRF_MARKER = "anima-fragment-csrf-token"
NEXT_MARKER = "anima-fragment-next-path"
VISITOR_CONTEXT = {"csrf_token": CSRF_MARKER, "next_path": NEXT_MARKER}
# On the request: how many enclosing renders keep the markers (fragments, a whole page).
FRAGMENT_DEPTH = "_anima_fragment_depth"


@memoize
def templates_digest() -> str:
    """Changes when the source of any template does (includes too), so a deployment never
    serves old markup. Read once per process."""
    digest = hashlib.blake2b(digest_size=6)
    for folder in engines["django"].template_dirs:
        root = Path(folder)
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def row_values(row: models.Model) -> tuple:
    """Every column loaded for ``row`` (deferred ones are not shown): a fragment keyed by it
    changes with any change to the row."""
    loaded = row.__dict__
    return (
        row._meta.label,
        *(loaded[field.attname] for field in row._meta.concrete_fields if field.attname in loaded),
    )


def fragment_key(name: str, values: Sequence[Any]) -> str:
    """The cache key of fragment ``name`` showing ``values``."""
    digest = hashlib.blake2b(repr(tuple(values)).encode(), digest_size=12).hexdigest()
    language = translation.get_language()
    return f"fragment:{name}:{templates_digest()}:{language}:{digest}"


def visitor_values(request) -> tuple[str, str]:
    """The visitor's CSRF token and the address to come back to, escaped: one masked token a
    page (masking draws 32 random characters), anew if the secret turns."""
    filled = getattr(request, "_anima_visitor_values", None)
    if filled is None or filled[0] != request.META.get("CSRF_COOKIE"):
        token = get_token(request)
        filled = (request.META.get("CSRF_COOKIE"), token, escape(request.get_full_path()))
        request._anima_visitor_values = filled
    return filled[1], filled[2]


def _for_visitor(request) -> Callable[[str], SafeString]:
    """Puts the visitor's own token and path in place of the markers (left in place while an
    enclosing fragment or page renders: it is filled when served)."""
    if getattr(request, "_anima_fragment_depth", 0):
        return mark_safe
    token, next_path = visitor_values(request)
    return lambda html: mark_safe(html.replace(CSRF_MARKER, token).replace(NEXT_MARKER, next_path))


def cached_fragment(
    request, name: str, values: Sequence[Any], render: Callable[[dict], str]
) -> SafeString:
    """Fragment ``name`` showing ``values``: from the cache, or ``render(visitor_context)``
    (the markers to render instead of the visitor's own values) and stored."""
    key = fragment_key(name, values)
    html = cache.get(key)
    if html is None:
        request._anima_fragment_depth = getattr(request, "_anima_fragment_depth", 0) + 1
        try:
            html = str(render(VISITOR_CONTEXT))
        finally:
            request._anima_fragment_depth -= 1
        cache.set(key, html, FRAGMENT_SECONDS)
    return _for_visitor(request)(html)


_memo: dict[tuple, str] = {}
MEMO_ENTRIES = 512


def memoized_fragment(
    request, name: str, values: Sequence[Any], render: Callable[[dict], str]
) -> SafeString:
    """Fragment ``name`` kept in this process's memory: for parts of the layout that only
    change with the code (links, static files, translations), per language and ``values``.
    Not kept with ``DEBUG`` on (templates change under the development server) nor once
    settings change (tests)."""
    key = (name, translation.get_language(), *values)
    html = _memo.get(key)
    if html is None:
        html = str(render(VISITOR_CONTEXT))
        if not settings.DEBUG:
            if len(_memo) >= MEMO_ENTRIES:
                _memo.clear()
            _memo[key] = html
    return _for_visitor(request)(html)


@receiver(setting_changed)
def _forget_memoized(**kwargs) -> None:
    _memo.clear()


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
    from django.template.loader import get_template

    items = list(items)
    keys = [fragment_key(template_name, shown(item)) for item in items]
    found = cache.get_many(keys)
    fresh = {}
    if len(found) < len(keys):
        template = get_template(template_name)
        for key, item in zip(keys, items, strict=True):
            if key not in found:
                fresh[key] = template.render({**context(item), **VISITOR_CONTEXT})
        cache.set_many(fresh, FRAGMENT_SECONDS)
    found.update(fresh)
    fill = _for_visitor(request)
    return [fill(found[key]) for key in keys]


PAGE_PARTS = "_anima_page_parts"


def page_key(name: str, address: Sequence[Any]) -> str:
    """The cache key of page ``name`` for ``address`` (its path and the parameters it reads,
    normalised), in the current language and templates."""
    digest = hashlib.blake2b(repr(tuple(address)).encode(), digest_size=16).hexdigest()
    language = translation.get_language()
    return f"page:{name}:{templates_digest()}:{language}:{digest}"


class CachedPage:
    """A page kept whole (its ``{% page_part %}`` parts, with markers for the visitor's own
    values) under ``key`` with the ``version`` of the data it was rendered from; ``found`` is
    what the cache held there, read together with the current version. It is served only if
    kept at that very version; no key or no version (None): never kept. Views look it up first
    and read their rows only when it is missing."""

    def __init__(self, request, key: str | None, version: object, found: object, seconds: int):
        self.request, self.seconds = request, seconds
        self.key = key if version is not None else None
        self.version = version
        self.parts: dict[str, str] | None = None
        if self.key is not None and isinstance(found, tuple) and len(found) == 2:
            kept_at, parts = found
            if kept_at == version and isinstance(parts, dict):
                self.parts = parts

    @property
    def found(self) -> bool:
        return self.parts is not None

    def serve(self, template_name: str, context: dict | None = None) -> HttpResponse:
        """The kept parts, filled for this visitor, in ``template_name`` (the layout)."""
        assert self.parts is not None
        fill = _for_visitor(self.request)
        parts = {name: fill(html) for name, html in self.parts.items()}
        return render_template(self.request, template_name, {**(context or {}), "parts": parts})

    def render(self, template_name: str, context: dict) -> HttpResponse:
        """Render the page from its rows and keep its parts (when it has a key)."""
        setattr(self.request, PAGE_PARTS, {})
        try:
            response = render_template(self.request, template_name, context)
            parts = getattr(self.request, PAGE_PARTS)
        finally:
            delattr(self.request, PAGE_PARTS)
        if self.key is not None and parts:
            # One entry per address, overwritten at each version (old ones do not pile up).
            cache.set(self.key, (self.version, parts), self.seconds)
        return response


def page_part(request, name: str, render: Callable[[dict], str]) -> SafeString:
    """Part ``name`` of a page being kept (``CachedPage.render``): rendered with markers,
    recorded, and filled for this visitor; rendered plainly when no page is being kept."""
    parts = getattr(request, PAGE_PARTS, None)
    if parts is None:
        return mark_safe(render({}))
    request._anima_fragment_depth = getattr(request, "_anima_fragment_depth", 0) + 1
    try:
        html = str(render(VISITOR_CONTEXT))
    finally:
        request._anima_fragment_depth -= 1
    parts[name] = html
    return _for_visitor(request)(html)
