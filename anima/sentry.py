"""Error reports to Sentry, only when SENTRY_DSN is set, and never with personal data."""

from __future__ import annotations

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.types import Event, Hint

SCRUBBED = "[retiré]"
# Request parts that may name a person or hold a secret; the URL and method are kept.
REQUEST_KEYS = ("cookies", "data", "headers", "query_string", "env")


def scrub(event: Event, hint: Hint | None = None) -> Event:
    """``before_send``: drop request bodies, headers and cookies, user details, local variables."""
    request = event.get("request") or {}
    for key in REQUEST_KEYS:
        if key in request:
            request[key] = SCRUBBED
    if "user" in event:
        event["user"] = {"id": event["user"].get("id")} if event["user"].get("id") else {}
    for exception in (event.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    return event


def start(dsn: str, environment: str, release: str | None) -> None:
    """Report unhandled errors of the web processes and the Celery workers."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub,
        traces_sample_rate=0.0,
    )
