"""Server-sent events: the dispatch board's and a courier's live news (``static/delivery/live.js``
listens, and falls back to polling when the stream fails).

One async view per audience. Under ASGI (uvicorn, the way Anima is served) the stream is an
async generator: a listening page holds no thread, only a coroutine (and a Redis subscription
when Redis is configured). Under WSGI (Django's test server) the same view hands a plain
generator, which streams there. Each stream lives ``DELIVERY_LIVE_STREAM_SECONDS`` at most and
says to come back (``retry``): the browser reconnects with ``Last-Event-ID`` and misses nothing.
Before each read of the news (every poll, ring or keep-alive), the stream checks that its
session still signs in the same active user who opened it (``hub.services.session_user``: the
check each page request makes); once logged out, deactivated or the session ended otherwise,
it ends at once, sending nothing more, and the browser's reconnection is refused (403).
Behind nginx, ``X-Accel-Buffering: no`` asks for each event to be passed on at once.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from delivery import services
from delivery.services import live
from hub.services import Role, has_role, session_user

KEEPALIVE = ": keep-alive\n\n"
_plain_streams = 0
_plain_streams_lock = threading.Lock()


def open_plain_streams() -> int:
    """How many plain (WSGI) streams are being served. Each holds a thread of the server until
    its next write finds the page gone: the browser tests wait for them after each test."""
    return _plain_streams


def _count_plain_stream(change: int) -> None:
    global _plain_streams
    with _plain_streams_lock:
        _plain_streams += change


def _preamble() -> str:
    # The reconnection delay, and a first line so that the browser knows the stream is open.
    return f"retry: {int(settings.DELIVERY_LIVE_RETRY_SECONDS * 1000)}\n: anima\n\n"


def _frame(news: dict[str, Any]) -> str:
    return f"id: {news['id']}\ndata: {json.dumps(news, separators=(',', ':'))}\n\n"


class _Clock:
    """When to send a keep-alive comment and when to end the stream."""

    def __init__(self) -> None:
        self.keepalive = float(settings.DELIVERY_LIVE_KEEPALIVE_SECONDS)
        self.end = time.monotonic() + float(settings.DELIVERY_LIVE_STREAM_SECONDS)
        self.quiet_since = time.monotonic()

    def heard(self) -> None:
        self.quiet_since = time.monotonic()

    def keepalive_due(self) -> bool:
        if time.monotonic() - self.quiet_since >= self.keepalive:
            self.heard()
            return True
        return False

    def over(self) -> bool:
        return time.monotonic() >= self.end

    def wait(self) -> float:
        return max(0.01, self.keepalive - (time.monotonic() - self.quiet_since))


Allowed = Callable[[], bool]


def _still_allowed(request, user, may: Callable[[Any], bool]) -> Allowed:
    """Whether the session that opened the stream still signs in the same active user, who may
    still listen (``may``): one read of the session and one of the user's cache entry."""
    session_key = request.session.session_key
    user_id = user.pk

    def allowed() -> bool:
        current = session_user(session_key)
        return current is not None and current.pk == user_id and may(current)

    return allowed


def _read(channels: list[str], after: int, allowed: Allowed) -> list[dict[str, Any]] | None:
    """The news after ``after``, or ``None`` when the session no longer allows the stream (it
    ends); the database connection is let go at once, so that a stream waiting for news holds
    none (outside a transaction: a test's is left alone)."""
    try:
        if not allowed():
            return None
        return live.news_since(channels, after)
    finally:
        if not connection.in_atomic_block:
            connection.close()


def _sync_stream(channels: list[str], after: int, allowed: Allowed) -> Iterator[str]:
    _count_plain_stream(+1)
    bell = live.Bell(channels)
    clock = _Clock()
    try:
        yield _preamble()
        while True:
            news = _read(channels, after, allowed)
            if news is None:
                return
            for item in news:
                yield _frame(item)
                after = item["id"]
            if news:
                clock.heard()
            elif clock.keepalive_due():
                yield KEEPALIVE
            if clock.over():
                return
            bell.wait(clock.wait())
    finally:
        bell.close()
        _count_plain_stream(-1)


async def _async_stream(channels: list[str], after: int, allowed: Allowed) -> AsyncIterator[str]:
    bell = live.AsyncBell(channels)
    clock = _Clock()
    try:
        await bell.open()
        yield _preamble()
        while True:
            news = await sync_to_async(_read)(channels, after, allowed)
            if news is None:
                return
            for item in news:
                yield _frame(item)
                after = item["id"]
            if news:
                clock.heard()
            elif clock.keepalive_due():
                yield KEEPALIVE
            if clock.over():
                return
            await bell.wait(clock.wait())
    finally:
        await bell.close()


async def _stream(request, channels: list[str], allowed: Allowed) -> StreamingHttpResponse:
    resume = request.headers.get("Last-Event-ID") or request.GET.get("depuis")
    after = await sync_to_async(live.start_after)(channels, resume)
    content: Any = (
        _async_stream(channels, after, allowed)
        if isinstance(request, ASGIRequest)
        else _sync_stream(channels, after, allowed)
    )
    response = StreamingHttpResponse(content, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"
    return response


def live_source(url_name: str, channels: list[str], poll_seconds: int) -> dict[str, Any]:
    """What a page's ``[data-live-stream]`` element says to live.js: its stream, from the news
    the page already shows on (none missed between the page and the stream), or '' when
    ``DELIVERY_LIVE_STREAM`` is off; and how often to poll while the stream is down."""
    url = ""
    if settings.DELIVERY_LIVE_STREAM:
        url = f"{reverse(url_name)}?depuis={live.newest_id(channels)}"
    return {"url": url, "poll": poll_seconds}


def _may_dispatch(user) -> bool:
    return has_role(user, Role.DISPATCH)


def _rides_as(courier_id: int) -> Callable[[Any], bool]:
    """Whether the user is still the active courier who opened the stream (one query per read
    of the news: a profile switched off by dispatch ends the stream as a logout does)."""

    def may(user) -> bool:
        courier = services.courier_of(user)
        return courier is not None and courier.pk == courier_id

    return may


@require_GET
async def board_stream(request):
    """The dispatch board's news: staff of the dispatch role only (others 403, no login page:
    an event stream cannot follow it)."""
    user = await request.auser()
    if not await sync_to_async(_may_dispatch)(user):
        raise PermissionDenied
    return await _stream(request, [live.BOARD], _still_allowed(request, user, _may_dispatch))


@require_GET
async def courier_stream(request):
    """A courier's news: their own rounds published or changed, nobody else's."""
    user = await request.auser()
    courier = await sync_to_async(services.courier_of)(user)
    if courier is None:
        raise PermissionDenied
    channels = [live.courier_channel(courier.pk)]
    return await _stream(request, channels, _still_allowed(request, user, _rides_as(courier.pk)))
