"""One id per request, in every log record it causes, including the Celery tasks it queues.

The id comes from the ``X-Request-ID`` header set by the proxy when it is a sane token, else it
is made here; the response carries it back so a user's report can be matched with the logs.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar, Token
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "X-Request-ID"
SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
TASK_HEADER = "anima_request_id"

_current: ContextVar[str] = ContextVar("request_id", default="-")
# A task run eagerly inside a request keeps that request's id: only a carried id is set, and
# put back after the task.
_task_tokens: dict[str, Token[str]] = {}


def current_request_id() -> str:
    """The id of the request (or of the task's originating request) being served, or "-"."""
    return _current.get()


class RequestIdMiddleware:
    """Takes the proxy's ``X-Request-ID`` (or makes one) for the rest of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(HEADER, "")
        request_id = offered if SANE.match(offered) else uuid.uuid4().hex
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


@before_task_publish.connect
def _carry_into_task(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    if headers is not None and current_request_id() != "-":
        headers.setdefault(TASK_HEADER, current_request_id())


@task_prerun.connect
def _adopt_from_message(task_id: str = "", task: Any = None, **kwargs: Any) -> None:
    request = getattr(task, "request", None)
    headers = getattr(request, "headers", None) or {}
    carried = getattr(request, TASK_HEADER, None) or headers.get(TASK_HEADER)
    if carried and SANE.match(str(carried)):
        _task_tokens[task_id] = _current.set(str(carried))


@task_postrun.connect
def _forget(task_id: str = "", **kwargs: Any) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _current.reset(token)
