"""Benchmark of the shop's catalogue pages under concurrent load.

One command (from the repository root):

    .venv/bin/python bench/shop_catalogue.py                  # fresh SQLite under a temp dir
    DATABASE_URL=postgres://… .venv/bin/python bench/shop_catalogue.py --products 5000

It creates a throw-away database (unless DATABASE_URL is set, in which case it uses it),
fills it with shops and products, starts gunicorn on a free local port, sends concurrent GET
requests to the catalogue, product search, shop and product pages, and prints latency
percentiles, throughput and the SQL queries per page. Results are also written as JSON to
bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shops", type=int, default=20)
    parser.add_argument("--products", type=int, default=2000, help="products in all")
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    return parser.parse_args()


def prepare_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "anima.settings")
    if not env.get("DATABASE_URL"):
        env["ANIMA_VAR_DIR"] = tempfile.mkdtemp(prefix="anima-bench-")
    env["CELERY_TASK_ALWAYS_EAGER"] = "1"
    env["DJANGO_DEBUG"] = "0"
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    os.environ.update(env)
    return env


def seed(shops: int, products: int) -> list[str]:
    """Fill the database; return the page paths to request."""
    import django

    django.setup()
    from django.core.management import call_command

    from shop.models import Merchant, MerchantCategory, Product, ProductCategory

    call_command("migrate", verbosity=0)
    Product.objects.all().delete()
    Merchant.objects.filter(slug__startswith="bench-").delete()
    rng = random.Random(62100)
    categories = MerchantCategory.values
    merchants = [
        Merchant.objects.create(
            name=f"Bench Commerce {n}",
            slug=f"bench-{n}",
            siret="73282932000074",
            category=categories[n % len(categories)],
            address="18 Rue Mollien, 62100 Calais",
            phone="03 21 00 00 00",
            description="Commerce de test de charge.",
            opening_hours="Du mardi au samedi",
            status="approved",
        )
        for n in range(shops)
    ]
    words = ["Pâté", "Tarte", "Maroilles", "Pain", "Pommes", "Bière", "Savon", "Miel", "Comté"]
    batch = []
    for n in range(products):
        name = f"{rng.choice(words)} {n}"
        product = Product(
            merchant=merchants[n % shops],
            name=name,
            slug=f"produit-{n}",
            category=rng.choice(ProductCategory.values),
            price=f"{rng.randint(100, 4000) / 100:.2f}",
            vat_rate="5.5",
            stock=rng.choice([None, 0, 5, 50]),
            weight_grams=rng.randint(50, 2000),
            labels=rng.choice(["", "|bio|", "|local|", "|bio|local|"]),
        )
        product.search_name = name.lower()
        batch.append(product)
    Product.objects.bulk_create(batch, batch_size=500)
    from shop.models.text import fold

    for product in Product.objects.filter(merchant__in=merchants).iterator():
        Product.objects.filter(pk=product.pk).update(search_name=fold(product.name))
    return [
        "/boutique/",
        "/boutique/produits/",
        "/boutique/produits/?q=pate",
        "/boutique/produits/?label=bio&page=3",
        f"/boutique/commerces/{merchants[0].slug}/",
        f"/boutique/commerces/{merchants[0].slug}/produit-0/",
    ]


def queries_per_page(paths: list[str]) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for path in paths:
        with CaptureQueriesContext(connection) as captured:
            client.get(path, HTTP_HOST="127.0.0.1")
        counts[path] = len(captured.captured_queries)
    return counts


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "anima.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/boutique/", timeout=2).read()
            return server, base
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def fetch(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return (time.perf_counter() - started) * 1000, status


def load(base: str, paths: list[str], total: int, concurrency: int) -> dict[str, dict]:
    urls = [base + paths[n % len(paths)] for n in range(total)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(fetch, urls))
    elapsed = time.perf_counter() - started
    by_path: dict[str, dict] = {}
    for n, (ms, status) in enumerate(results):
        row = by_path.setdefault(paths[n % len(paths)], {"ms": [], "errors": 0})
        row["ms"].append(ms)
        row["errors"] += status != 200
    summary = {"requests_per_second": round(total / elapsed, 1), "pages": {}}
    for path, row in by_path.items():
        ms = sorted(row["ms"])
        summary["pages"][path] = {
            "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[int(len(ms) * 0.95) - 1], 1),
            "p99_ms": round(ms[int(len(ms) * 0.99) - 1], 1),
            "errors": row["errors"],
        }
    return summary


def main() -> None:
    args = parse_args()
    env = prepare_environment()
    print(f"Préparation : {args.shops} commerces, {args.products} produits…")
    paths = seed(args.shops, args.products)
    queries = queries_per_page(paths)
    server, base = start_server(env, args.workers)
    try:
        load(base, paths, len(paths) * 3, args.concurrency)  # warm-up
        summary = load(base, paths, args.requests, args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=10)
    summary.update(
        {
            "when": datetime.now().isoformat(timespec="seconds"),
            "database": "postgresql" if "postgres" in env.get("DATABASE_URL", "") else "sqlite",
            "arguments": vars(args),
            "queries": queries,
        }
    )
    print(f"\n{summary['requests_per_second']} requêtes/s ({args.concurrency} en parallèle)")
    print(f"{'page':<45} {'p50':>8} {'p95':>8} {'p99':>8} {'SQL':>4} {'err':>4}")
    for path, row in summary["pages"].items():
        print(
            f"{path:<45} {row['p50_ms']:>6}ms {row['p95_ms']:>6}ms {row['p99_ms']:>6}ms "
            f"{queries[path]:>4} {row['errors']:>4}"
        )
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    out = results / f"shop_catalogue-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(f"\nRésultats : {out.relative_to(ROOT)}")
    if any(row["errors"] for row in summary["pages"].values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
