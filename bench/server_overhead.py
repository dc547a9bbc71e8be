"""What a request costs Django's WSGI handler and its ASGI handler, in-process, same pages.

    .venv/bin/python bench/server_overhead.py [--repeat 300] [--pages / /agenda/ …]

Production serves Django under ASGI (uvicorn workers, for the live streams): a sync view then
runs through asgiref's bridge (``sync_to_async``: the middleware chain in a thread, the view's
response handed back to the event loop). This calls ``WSGIHandler`` and ``ASGIHandler``
directly, without any HTTP server, and prints the CPU time of this process per request (warm
caches, anonymous and signed in as the demo shopper) for the bare view and the hot pages. The
difference is what ASGI adds before any server cost (uvicorn's HTTP parsing in Python versus
gunicorn's, measured by ``bench/hot_pages.py --server``).

Environment: as bench/hot_pages.py (BENCH_DATABASE_URL, BENCH_CACHE_URL, BENCH_BROKER_URL).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_env  # noqa: E402
from bench.handlers import asgi_caller, wsgi_caller  # noqa: E402
from bench.hot_pages import SHOPPER, setup_django  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=300, help="requests per page and handler")
    parser.add_argument("--rounds", type=int, default=3, help="WSGI/ASGI alternations")
    parser.add_argument("--pages", nargs="*", help="only these paths (default: the hot pages)")
    return parser.parse_args()


def cpu_ms(call, path: str, repeat: int) -> float:
    for _warm in range(5):
        status = call(path)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    started = time.process_time()
    for _request in range(repeat):
        call(path)
    return (time.process_time() - started) / repeat * 1000


def shopper_cookie() -> str:
    from django.conf import settings
    from django.test import Client

    from hub.models import User

    client = Client()
    client.force_login(User.objects.get(email=SHOPPER))
    # The login's tombstones (hub.remembered) last REMEMBERED_TOMBSTONE_SECONDS: past them,
    # a signed-in page reads its user from the cache, as in a real session.
    time.sleep(settings.REMEMBERED_TOMBSTONE_SECONDS + 1)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def main() -> None:
    args = parse_args()
    setup_django(bench_env())
    from bench.catalogue import hot_pages

    pages = {"bare": "/bench/bare/", **hot_pages()}
    if args.pages:
        pages = {name: path for name, path in pages.items() if path in args.pages or name == "bare"}
    print(f"CPU ms per request in-process, median of {args.rounds} rounds of {args.repeat}")
    print(f"{'page':<24}{'audience':<11}{'WSGI':>7}{'ASGI':>7}{'ASGI−WSGI':>11}")
    for audience, cookie in (("anonymous", ""), ("signed in", shopper_cookie())):
        wsgi, asgi = wsgi_caller(cookie), asgi_caller(cookie)
        for name, path in pages.items():
            runs = {"wsgi": [], "asgi": []}
            for _round in range(args.rounds):
                runs["wsgi"].append(cpu_ms(wsgi, path, args.repeat))
                runs["asgi"].append(cpu_ms(asgi, path, args.repeat))
            w, a = statistics.median(runs["wsgi"]), statistics.median(runs["asgi"])
            print(f"{name:<24}{audience:<11}{w:7.2f}{a:7.2f}{a - w:+11.2f}", flush=True)


if __name__ == "__main__":
    main()
