"""Public pages kept whole, layout included, for visitors without a session.

A visitor with no session cookie is anonymous with an empty basket and no message: every such
visitor of one address sees the same page but for their CSRF token and the address to come back
to. The page is rendered once with markers in their place (``hub.fragments``), kept as one string
under its address, language and templates, with the version of the data it shows, and served
again by filling the markers: no template, no context processor, no row.

What a page may show and for how long is the view's choice (``kept_for_visitors_without_session``):
the catalogue keeps its pages under the catalogue version (a write shows on the next page), the
other public pages for as long as their content block was already cached.

Never kept: a page that set a cookie or a header, queued a message, answered other than 200, was
asked by HTMX, or took the visitor's real CSRF token while rendering (it would hand one visitor's
token to the next).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse

from hub.fragments import CSRF_MARKER, FRAGMENT_DEPTH, NEXT_MARKER, page_key, visitor_values

logger = logging.getLogger(__name__)

# Longer addresses (made-up parameters) are rendered, not kept: each would be a cache entry.
LONGEST_KEPT_ADDRESS = 512
KEEPING_FLAG = "_anima_keeping_whole_page"
# The version of pages kept for a time rather than under a data version.
TIMED = "timed"

Read = Callable[[str], tuple[object, object]]
View = Callable[..., HttpResponse]


def keeping_whole_page(request: HttpRequest) -> bool:
    """Whether ``request``'s page is being rendered with markers for every visitor."""
    return getattr(request, KEEPING_FLAG, False)


def _without_session(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "HX-Request" not in request.headers
        and not settings.DEBUG
        and len(request.get_full_path()) <= LONGEST_KEPT_ADDRESS
    )


def _read_timed(key: str) -> tuple[object, object]:
    try:
        return TIMED, cache.get(key)
    except Exception:
        logger.exception("Kept page not read")
        return None, None


def _kept_at(found: object, version: object) -> str | None:
    if version is None or not isinstance(found, tuple) or len(found) != 2:
        return None
    kept_at, html = found
    return html if kept_at == version and isinstance(html, str) else None


def _filled(request: HttpRequest, html: str) -> str:
    token, next_path = visitor_values(request)
    return html.replace(CSRF_MARKER, token).replace(NEXT_MARKER, next_path)


def _render_with_markers(request: HttpRequest, view: View, args, kwargs) -> HttpResponse:
    setattr(request, KEEPING_FLAG, True)
    setattr(request, FRAGMENT_DEPTH, getattr(request, FRAGMENT_DEPTH, 0) + 1)
    try:
        response = view(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.render()
    finally:
        setattr(request, FRAGMENT_DEPTH, getattr(request, FRAGMENT_DEPTH) - 1)
        setattr(request, KEEPING_FLAG, False)
    return response


def _same_for_everyone(request: HttpRequest, response: HttpResponse) -> bool:
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and set(response.headers) == {"Content-Type"}
        and not response.cookies
        and not (messages is not None and len(messages))
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _keep(key: str, version: object, html: str, seconds: int) -> None:
    try:
        cache.set(key, (version, html), seconds)
    except Exception:
        logger.exception("Kept page not stored")


def kept_for_visitors_without_session(
    name: str, seconds: Callable[[], int], read: Read | None = None
) -> Callable[[View], View]:
    """Decorate a GET view whose page, for a visitor without a session, depends only on its
    address and on data whose version ``read(key)`` returns with what the cache holds at
    ``key`` (one round trip; version None: never kept). Without ``read``, a page is kept for
    ``seconds()`` whatever changes meanwhile."""
    read = read or _read_timed

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _without_session(request):
                return view(request, *args, **kwargs)
            key = page_key(f"whole.{name}", (request.get_full_path(),))
            version, found = read(key)
            html = _kept_at(found, version)
            if html is not None:
                return HttpResponse(_filled(request, html))
            response = _render_with_markers(request, view, args, kwargs)
            html = response.content.decode(response.charset)
            if version is not None and _same_for_everyone(request, response):
                _keep(key, version, html, seconds())
            response.content = _filled(request, html)
            return response

        return wrapper

    return decorate


def public_page(name: str, seconds: Callable[[], int] | None = None) -> Callable[[View], View]:
    """A public page whose content is cached for a time (``PUBLIC_PAGE_CACHE_SECONDS`` unless
    ``seconds``), kept whole for as long for visitors without a session."""
    return kept_for_visitors_without_session(
        name, seconds or (lambda: settings.PUBLIC_PAGE_CACHE_SECONDS)
    )
