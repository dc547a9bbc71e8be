"""The hot pages against a bare Django view, at chosen catalogue sizes, anonymous and signed in.

    .venv/bin/python bench/hot_pages.py --products 100 100000

For each size it grows the catalogue of the benchmark database (bulk inserts), serves the app
with gunicorn (2 workers, DEBUG off) on PostgreSQL and Redis -- under WSGI with 4 threads a
worker as production serves its pages (``--server wsgi``, the default; docker-compose's
``web``), or under ASGI with uvicorn workers (``--server asgi``: what production runs for the
live streams only, and scripts/demo for everything); the bare view is served by the same
server -- and loads each page
in turn with 16 keep-alive connections (bench/loadgen.py), the bare view before and after the
pages. It prints requests/s and p50/p95 latency, as ratios to the bare view, and the queries
each page runs (warm cache), anonymous and as the demo shopper, and checks the targets:
throughput >= 30 % of the bare view's anonymous and >= 15 % signed in, p95 <= 5x the bare
view's. Results also go to bench/results/ as JSON.

On a shared machine the load generator and whatever else runs take CPU from the server: the
report prints the load average before and after each audience, and ``CPU ms``, the CPU time of
the app process per request measured in-process through the chosen server's Django handler
(``bench/handlers.py``: no HTTP server, warm cache; the bare view's in the header): a steadier
measure of what a page costs than requests/s there.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/anima_bench),
BENCH_BROKER_URL, BENCH_CACHE_URL (Redis; the cache database is flushed at each size).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import SERVERS, bench_env, gunicorn  # noqa: E402
from bench.handlers import caller  # noqa: E402
from bench.loadgen import Result, load  # noqa: E402

TARGET_ANONYMOUS, TARGET_SIGNED_IN, TARGET_P95 = 0.30, 0.15, 5.0
SHOPPER = "client@demo.anima-calais.fr"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, nargs="+", default=[100, 100_000])
    parser.add_argument("--seconds", type=float, default=6, help="load per page (and bare)")
    parser.add_argument("--rounds", type=int, default=3, help="page/bare alternations")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--pages", nargs="*", help="only these page names")
    parser.add_argument(
        "--server",
        choices=SERVERS,
        default="wsgi",
        help="wsgi: gthread, as production serves pages (default); asgi: uvicorn workers",
    )
    return parser.parse_args()


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from bench.catalogue import ensure_demo

    call_command("migrate", verbosity=0)
    ensure_demo()


def shopper_cookie() -> str:
    """The demo shopper's session cookie. Signing in saves the user, whose cached row is
    then forgotten for REMEMBERED_TOMBSTONE_SECONDS (hub.remembered): waited for, so that
    the pages are measured as in a session past its first seconds."""
    from django.conf import settings
    from django.test import Client

    from hub.models import User

    client = Client()
    client.force_login(User.objects.get(email=SHOPPER))
    time.sleep(settings.REMEMBERED_TOMBSTONE_SECONDS + 1)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _client(cookie: str):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    return client


def queries_per_page(pages: dict[str, str], cookie: str) -> dict[str, int]:
    """Queries of each page once its cache is warm (what the load test measures)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(cookie)
    counts = {}
    for name, path in pages.items():
        answer = client.get(path)
        if answer.status_code != 200:
            raise SystemExit(f"{name} ({path}) answered {answer.status_code}")
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        counts[name] = len(captured.captured_queries)
    return counts


def cpu_per_page(
    pages: dict[str, str], cookie: str, server: str, repeat: int = 30
) -> dict[str, float]:
    """CPU ms of this process per request of each page (and of the bare view), warm cache,
    through the Django handler of ``server`` (its threads included)."""
    call = caller(server, cookie)
    costs = {}
    for name, path in {"bare": "/bench/bare/", **pages}.items():
        for _warm in range(3):
            call(path)
        started = time.process_time()
        for _request in range(repeat):
            call(path)
        costs[name] = (time.process_time() - started) / repeat * 1000
    return costs


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def measure(url: str, pages: dict[str, str], args, cookie: str) -> dict[str, dict]:
    """Each page in rounds alternating with the bare view, so that both see the same load
    from whatever else runs on the machine; ratios are medians over the rounds."""
    bare_url = url + "/bench/bare/"
    piece = args.seconds / args.rounds
    table = {}
    for name, path in pages.items():
        load(url + path, args.connections, 1, cookie)  # warm the caches and connections
        bare, page = Result(), Result()
        ratios, p50_ratios, p95_ratios = [], [], []
        for _round in range(args.rounds):
            base = load(bare_url, args.connections, piece, cookie)
            result = load(url + path, args.connections, piece, cookie)
            ratios.append(result.requests_per_second / max(base.requests_per_second, 1e-9))
            p50_ratios.append(result.percentile(0.5) / max(base.percentile(0.5), 1e-9))
            p95_ratios.append(result.percentile(0.95) / max(base.percentile(0.95), 1e-9))
            bare.merge(base)
            page.merge(result)
        table[name] = {
            "rps": page.requests_per_second,
            "p50": page.percentile(0.5),
            "p95": page.percentile(0.95),
            "errors": page.errors,
            "bare_rps": bare.requests_per_second,
            "bare_p50": bare.percentile(0.5),
            "bare_p95": bare.percentile(0.95),
            "rps_ratio": statistics.median(ratios),
            "p50_ratio": statistics.median(p50_ratios),
            "p95_ratio": statistics.median(p95_ratios),
        }
        print(
            f"  {name:<22}{page.requests_per_second:8.1f} req/s  "
            f"(bare {bare.requests_per_second:.0f})",
            flush=True,
        )
    return table


def report(
    table: dict[str, dict], queries: dict[str, int], cpu: dict[str, float], target: float
) -> bool:
    print(f"bare view: {cpu['bare']:.2f} CPU ms a request in-process")
    print(
        f"{'page':<22}{'req/s':>8}{'bare':>8}{'×bare':>7}{'p50 ms':>8}{'p50×':>6}{'p95 ms':>8}"
        f"{'bare p95':>9}{'p95×':>6}{'SQL':>5}{'CPU ms':>8}{'err':>5}  target"
    )
    ok = True
    for name, row in table.items():
        passed = row["rps_ratio"] >= target and row["p95_ratio"] <= TARGET_P95
        ok = ok and passed and not row["errors"]
        print(
            f"{name:<22}{row['rps']:8.1f}{row['bare_rps']:8.0f}{row['rps_ratio']:7.2f}"
            f"{row['p50']:8.1f}{row['p50_ratio']:6.1f}{row['p95']:8.1f}{row['bare_p95']:9.1f}"
            f"{row['p95_ratio']:6.1f}{queries.get(name, 0):>5}{cpu.get(name, 0):8.2f}"
            f"{row['errors']:>5}  {'ok' if passed else 'MISSED'}"
        )
    return ok


def main() -> None:
    args = parse_args()
    env = bench_env()
    setup_django(env)
    from django.core.cache import cache

    from bench.catalogue import grow_catalogue, hot_pages

    results, all_ok = [], True
    for size in args.products:
        print(f"\n=== {size} products, {args.server.upper()} ===", flush=True)
        grow_catalogue(size)
        cache.clear()
        pages = hot_pages()
        if args.pages:
            pages = {name: path for name, path in pages.items() if name in args.pages}
        cookie = shopper_cookie()
        audiences = [("anonymous", "", TARGET_ANONYMOUS), ("signed in", cookie, TARGET_SIGNED_IN)]
        queries = {
            label: queries_per_page(pages, cookie_value) for label, cookie_value, _t in audiences
        }
        cpu = {
            label: cpu_per_page(pages, cookie_value, args.server)
            for label, cookie_value, _t in audiences
        }
        with gunicorn(env, port=args.port, workers=2, threads=4, server=args.server) as url:
            for label, cookie_value, target in audiences:
                before = load_average()
                print(
                    f"--- {label}, {args.connections} connections (load {before}) ---", flush=True
                )
                table = measure(url, pages, args, cookie_value)
                after = load_average()
                print(f"\nload average before {before}, after {after}")
                all_ok = report(table, queries[label], cpu[label], target) and all_ok
                results.append(
                    {
                        "products": size,
                        "server": args.server,
                        "audience": label,
                        "pages": table,
                        "queries": queries[label],
                        "cpu_ms": cpu[label],
                        "load_average": [before, after],
                    }
                )
    out = ROOT / "bench" / "results" / f"hot_pages-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"\nResults: {out.relative_to(ROOT)}")
    print("Every target met." if all_ok else "Some targets MISSED (see above).")


if __name__ == "__main__":
    main()
