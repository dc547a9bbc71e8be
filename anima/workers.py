"""The live streams' worker: gunicorn manages the processes, each serving Django under ASGI
through uvicorn, so that a page listening to live news (server-sent events) holds a coroutine,
not one of a few threads. Ordinary views run too (scripts/demo serves everything with it), but
each pays asgiref's bridge, about 1.8 ms of CPU a request (docs/performance.md): docker-compose
serves the pages under WSGI and only the streams with this worker.

Django has no lifespan protocol, and the proxy headers are read by the app itself
(``hub.middleware.TrustedProxyMiddleware`` with ``TRUSTED_PROXIES``), never by the server.
"""

from typing import Any

from uvicorn_worker import UvicornWorker


class AnimaWorker(UvicornWorker):
    CONFIG_KWARGS: dict[str, Any] = {
        **UvicornWorker.CONFIG_KWARGS,
        "lifespan": "off",
        "proxy_headers": False,
    }
