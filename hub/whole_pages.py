"""Public pages kept whole, layout included, per audience.

Every visitor without a session (no session cookie, no message waiting) sees the same page of
an address but for their CSRF token and the address to come back to; every signed-in member
with the same account menu sees the same page but for those, their e-mail and their basket's
count. A page is rendered once per audience with markers in place of these values
(``hub.fragments``), kept as one string under its address, audience, language and templates,
with the version of the data it shows, and served again by filling the markers: no template, no
context processor, no row.

What a page may show and for how long is the view's choice (``kept_whole``): the catalogue
keeps its pages under the catalogue version (a write shows on the next page), the other public
pages for as long as their content block was already cached; a page whose content depends on a
member's roles (``/impact/``) is kept for visitors without a session only.

Never kept: a page that set a cookie or a header, queued a message, answered other than 200, was
asked by HTMX, took the visitor's real CSRF token while rendering (it would hand one visitor's
token to the next), or shows the member's e-mail or name anywhere but at the marker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils.html import escape

from hub.account_menu import menu_key
from hub.fragments import CSRF_MARKER, FRAGMENT_DEPTH, NEXT_MARKER, page_key, visitor_values

logger = logging.getLogger(__name__)

# Longer addresses (made-up parameters) are rendered, not kept: each would be a cache entry.
LONGEST_KEPT_ADDRESS = 512
KEEPING_FLAG = "_anima_keeping_whole_page"
EMAIL_MARKER = "anima-whole-page-member-email"
# The version of pages kept for a time rather than under a data version.
TIMED = "timed"
VISITOR = "visitor"

Read = Callable[[str], tuple[object, object]]
View = Callable[..., HttpResponse]
# The values a page's own markers stand for, for this request (marker -> text, escaped).
Fill = Callable[[HttpRequest], dict[str, str]]


def keeping_whole_page(request: HttpRequest) -> bool:
    """Whether ``request``'s page is being rendered with markers for its whole audience."""
    return getattr(request, KEEPING_FLAG, False)


def _may_be_kept(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        # A deleted cookie may still be sent empty (test clients keep it): empty is none.
        and not request.COOKIES.get(CookieStorage.cookie_name)
        and "HX-Request" not in request.headers
        and not settings.DEBUG
        and len(request.get_full_path()) <= LONGEST_KEPT_ADDRESS
    )


def _audience(request: HttpRequest, members: bool) -> str | None:
    """Who shares this request's page: every visitor without a session, or every member with
    the same account menu and no message waiting; None: this page is rendered for them alone."""
    if not _may_be_kept(request):
        return None
    if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return VISITOR
    user = getattr(request, "user", None)
    if not members or user is None or not user.is_authenticated or len(get_messages(request)):
        return None
    return "member:" + repr(menu_key(user))


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


def _own_values(request: HttpRequest, fill: Fill | None) -> dict[str, str]:
    token, next_path = visitor_values(request)
    values = {CSRF_MARKER: token, NEXT_MARKER: next_path}
    if request.user.is_authenticated:
        values[EMAIL_MARKER] = escape(request.user.email)
    if fill is not None:
        values.update(fill(request))
    return values


def _filled(html: str, values: dict[str, str]) -> str:
    for marker, value in values.items():
        html = html.replace(marker, value)
    return html


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


def _shows_the_member(request: HttpRequest, html: str) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    name = escape(user.get_full_name())
    return escape(user.email) in html or (bool(name.strip()) and name in html)


def _same_for_everyone(request: HttpRequest, response: HttpResponse, html: str) -> bool:
    return (
        response.status_code == 200
        and set(response.headers) == {"Content-Type"}
        and not response.cookies
        and not len(get_messages(request))
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not _shows_the_member(request, html)
    )


def _keep(key: str, version: object, html: str, seconds: int) -> None:
    try:
        cache.set(key, (version, html), seconds)
    except Exception:
        logger.exception("Kept page not stored")


def kept_whole(
    name: str,
    seconds: Callable[[], int],
    read: Read | None = None,
    *,
    members: bool = True,
    fill: Fill | None = None,
) -> Callable[[View], View]:
    """Decorate a GET view whose page, for one audience (``_audience``), depends only on its
    address and on data whose version ``read(key)`` returns with what the cache holds at
    ``key`` (one round trip; version None: never kept). Without ``read``, a page is kept for
    ``seconds()`` whatever changes meanwhile. ``members=False``: kept for visitors without a
    session only. ``fill`` gives the values of the page's own markers for a request."""
    read = read or _read_timed

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            audience = _audience(request, members)
            if audience is None:
                return view(request, *args, **kwargs)
            key = page_key(f"whole.{name}", (request.get_full_path(), audience))
            version, found = read(key)
            html = _kept_at(found, version)
            if html is not None:
                return HttpResponse(_filled(html, _own_values(request, fill)))
            response = _render_with_markers(request, view, args, kwargs)
            html = response.content.decode(response.charset)
            if version is not None and _same_for_everyone(request, response, html):
                _keep(key, version, html, seconds())
            response.content = _filled(html, _own_values(request, fill))
            return response

        return wrapper

    return decorate


def public_page(
    name: str, seconds: Callable[[], int] | None = None, *, members: bool = True
) -> Callable[[View], View]:
    """A public page whose content is cached for a time (``PUBLIC_PAGE_CACHE_SECONDS`` unless
    ``seconds``), kept whole for as long per audience."""
    return kept_whole(
        name, seconds or (lambda: settings.PUBLIC_PAGE_CACHE_SECONDS), members=members
    )
