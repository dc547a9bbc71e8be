"""Call Django's WSGI or ASGI handler directly, without an HTTP server (bench/hot_pages.py's
``CPU ms`` column and bench/server_overhead.py)."""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import Callable


def _split(path: str) -> tuple[str, str]:
    path, _, query = path.partition("?")
    return path, query


def wsgi_caller(cookie: str):
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()

    def call(path: str) -> int:
        path_info, query = _split(path)
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_ACCEPT": "text/html",
            "HTTP_COOKIE": cookie,
            "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        statuses = []
        body = handler(environ, lambda status, headers: statuses.append(status))
        b"".join(body)
        getattr(body, "close", lambda: None)()
        return int(statuses[0].split()[0])

    return call


def asgi_caller(cookie: str):
    """One event loop for every request, as a uvicorn worker keeps one."""
    from django.core.handlers.asgi import ASGIHandler

    handler = ASGIHandler()
    loop = asyncio.new_event_loop()

    async def one(path: str) -> int:
        path_info, query = _split(path)
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path_info,
            "raw_path": path_info.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [
                (b"host", b"127.0.0.1"),
                (b"accept", b"text/html"),
                *([(b"cookie", cookie.encode())] if cookie else []),
            ],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        sent, asked = [], []

        async def receive():
            asked.append(1)
            if len(asked) == 1:
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.Event().wait()  # the client stays connected (cancelled by Django)

        async def send(message):
            sent.append(message)

        await handler(scope, receive, send)
        return sent[0]["status"]

    return lambda path: loop.run_until_complete(one(path))


def caller(server: str, cookie: str) -> Callable[[str], int]:
    """GET a path through the handler of ``server`` ("asgi" or "wsgi"); returns the status."""
    return asgi_caller(cookie) if server == "asgi" else wsgi_caller(cookie)
