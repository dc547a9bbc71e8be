"""Live news for the dispatch board and the couriers' pages (server-sent events).

A change writes a ``LiveEvent`` row in its own transaction (so a rolled-back change is never
heard of) and, once committed, rings Redis pub/sub when Redis is configured. A stream wakes on
that ring, or checks the table every ``DELIVERY_LIVE_POLL_SECONDS`` on the embedded default
(no Redis), and reads the new rows: the table is the truth, the ring only says « look now ».
The rows also let a stream resume after its ``Last-Event-ID``; they are kept for an hour.

Channels: ``board`` (dispatch: failures, stops done, rounds and proposals changed) and
``courier:<id>`` (one courier: their round published or changed). Events carry ids and a day,
never a customer's name or address: the pages fetch what they show through their usual views.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import redis
import redis.asyncio as aioredis
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from delivery.models import LiveEvent, Round, RoundStatus, Stop, StopState
from delivery.services import push

logger = logging.getLogger(__name__)

BOARD = "board"
KEEP = timedelta(hours=1)
REDIS_ERRORS = (redis.RedisError, OSError)


class LiveKind(StrEnum):
    FAILURE = "failure"  # a drop-off failed, or a failure was handled: the failures list moved
    STOP = "stop"  # a stop was done (picked up, delivered)
    ROUND = "round"  # a round was created, changed, published or deleted
    PROPOSAL = "proposal"  # a plan proposal is ready (or failed)


def courier_channel(courier_id: int) -> str:
    return f"courier:{courier_id}"


def redis_url() -> str:
    """The Redis that rings the streams ('' on the embedded default: streams poll the table)."""
    return str(getattr(settings, "DELIVERY_LIVE_REDIS_URL", "") or "")


def _redis_channel(channel: str) -> str:
    # Redis pub/sub ignores database numbers: the database name keeps two sites (or two test
    # runs) sharing one Redis from ringing each other's streams.
    return f"anima:live:{settings.DATABASES['default']['NAME']}:{channel}"


# --- Publishing -------------------------------------------------------------------------------


def publish(channel: str, kind: str, data: dict[str, Any] | None = None) -> LiveEvent:
    """Record news for ``channel`` in the current transaction; heard once it commits."""
    event = LiveEvent.objects.create(channel=channel, kind=str(kind), data=data or {})
    transaction.on_commit(lambda: _ring(channel, event.pk))
    return event


def _ring(channel: str, event_id: int) -> None:
    LiveEvent.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    url = redis_url()
    if not url:
        return
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.publish(_redis_channel(channel), str(event_id))
        finally:
            client.close()
    except REDIS_ERRORS as error:
        # The streams still find the row at their next check (keep-alive interval).
        logger.warning("Live news %s not rung on Redis: %s", event_id, error)


def board_news(kind: str, day: date | None, **data: Any) -> None:
    """Tell the dispatch board that something of ``day`` moved."""
    publish(BOARD, kind, {"day": day.isoformat() if day else None, **data})


def stop_closed(stop: Stop, round_: Round) -> None:
    """A stop done or failed: the board hears it (a failure as such)."""
    kind = LiveKind.FAILURE if stop.state == StopState.FAILED else LiveKind.STOP
    board_news(kind, round_.date, round=round_.pk, stop=stop.pk, delivery=stop.delivery_id)


def round_changed(
    round_: Round, courier_id: int | None = None, published: bool = False, withdrawn: bool = False
) -> None:
    """A round created, changed, published or deleted: the board hears it, and its courier
    too once the round has been published to them (``courier_id``: also tell this one, e.g.
    the courier a round was taken from). Couriers who subscribed also get a web push after
    the commit (« Nouvelle tournée publiée » when ``published``, « Tournée retirée » to whom
    it no longer reaches, else « Tournée modifiée »); ``withdrawn``: the round, back in
    preparation, had been published to ``courier_id``, who is pushed the news too."""
    board_news(LiveKind.ROUND, round_.date, round=round_.pk)
    couriers = {courier_id} if courier_id else set()
    if round_.status != RoundStatus.DRAFT:
        couriers.add(round_.courier_id)
    for courier in sorted(c for c in couriers if c):
        publish(courier_channel(courier), LiveKind.ROUND, {"round": round_.pk})
    if round_.status != RoundStatus.DRAFT or withdrawn:
        # A round in preparation was never shown to anyone, unless just taken back from its
        # courier: only then is there something to push.
        push.round_news(round_, {c for c in couriers if c}, published)


# --- Listening --------------------------------------------------------------------------------


def newest_id(channels: list[str]) -> int:
    """The id of the last news on ``channels`` (0 if none): a new stream starts after it."""
    found = LiveEvent.objects.filter(channel__in=channels).aggregate(last=Max("id"))["last"]
    return int(found or 0)


def start_after(channels: list[str], last_event_id: str | None) -> int:
    """Where a stream starts: after the ``Last-Event-ID`` it resumes from, when sane, else
    after the newest news (a page just loaded shows the present)."""
    newest = newest_id(channels)
    try:
        resumed = int(last_event_id or "")
    except ValueError:
        return newest
    return resumed if 0 <= resumed <= newest else newest


def news_since(channels: list[str], after: int, limit: int = 50) -> list[dict[str, Any]]:
    """The committed news on ``channels`` after id ``after``, oldest first."""
    rows = (
        LiveEvent.objects.filter(channel__in=channels, id__gt=after)
        .order_by("id")
        .values("id", "kind", "data")[:limit]
    )
    return [{"id": row["id"], "kind": row["kind"], **row["data"]} for row in rows]


def poll_seconds() -> float:
    return float(settings.DELIVERY_LIVE_POLL_SECONDS)


class Bell:
    """What a stream waits on between two reads of the table: Redis pub/sub when configured
    (and answering), else a plain pause of ``DELIVERY_LIVE_POLL_SECONDS``."""

    def __init__(self, channels: list[str]) -> None:
        self.client: Any = None
        self.pubsub: Any = None
        url = redis_url()
        if not url:
            return
        try:
            self.client = redis.Redis.from_url(url, socket_connect_timeout=1)
            self.pubsub = self.client.pubsub(ignore_subscribe_messages=True)
            self.pubsub.subscribe(*[_redis_channel(c) for c in channels])
        except REDIS_ERRORS as error:
            logger.warning("Live stream without Redis (polling the table): %s", error)
            self.close()

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds; True when rung (news may be there)."""
        if self.pubsub is None:
            time.sleep(min(timeout, poll_seconds()))
            return False
        try:
            return self.pubsub.get_message(timeout=timeout) is not None
        except REDIS_ERRORS as error:
            logger.warning("Live stream lost Redis (polling the table): %s", error)
            self.close()
            return False

    def close(self) -> None:
        try:
            if self.pubsub is not None:
                self.pubsub.close()
            if self.client is not None:
                self.client.close()
        except REDIS_ERRORS:
            pass
        self.pubsub = self.client = None


class AsyncBell:
    """``Bell`` for an async stream (ASGI): waiting holds no thread."""

    def __init__(self, channels: list[str]) -> None:
        self.channels = channels
        self.client: Any = None
        self.pubsub: Any = None

    async def open(self) -> None:
        url = redis_url()
        if not url:
            return
        try:
            self.client = aioredis.Redis.from_url(url, socket_connect_timeout=1)
            self.pubsub = self.client.pubsub(ignore_subscribe_messages=True)
            await self.pubsub.subscribe(*[_redis_channel(c) for c in self.channels])
        except REDIS_ERRORS as error:
            logger.warning("Live stream without Redis (polling the table): %s", error)
            await self.close()

    async def wait(self, timeout: float) -> bool:
        if self.pubsub is None:
            await asyncio.sleep(min(timeout, poll_seconds()))
            return False
        try:
            return await self.pubsub.get_message(timeout=timeout) is not None
        except REDIS_ERRORS as error:
            logger.warning("Live stream lost Redis (polling the table): %s", error)
            await self.close()
            return False

    async def close(self) -> None:
        try:
            if self.pubsub is not None:
                await self.pubsub.aclose()
            if self.client is not None:
                await self.client.aclose()
        except REDIS_ERRORS:
            pass
        self.pubsub = self.client = None
