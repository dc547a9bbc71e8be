"""Shared by the benchmark scripts: serve Anima with gunicorn on PostgreSQL, load it with
locust, print requests/s and latency percentiles side by side."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/anima_bench"


def bench_env() -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12"),
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13"),
        "ANIMA_VAR_DIR": str(ROOT / "var" / "bench"),
    }
    return env


def ensure_database(env: dict[str, str]) -> None:
    """Create the benchmark database if needed, migrate it and load the demo data."""
    name = env["DATABASE_URL"].rsplit("/", 1)[1]
    exists = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname='{name}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "seed_demo", "-v", "0"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


SERVERS = ("asgi", "wsgi")


@contextmanager
def gunicorn(
    env: dict[str, str], port: int = 8077, workers: int = 2, threads: int = 4, server: str = "wsgi"
):
    """Serve the app with gunicorn (DEBUG off) for the duration of the block: under WSGI with
    ``threads`` threads a worker, as production serves its pages (docker-compose's ``web``), or
    under ASGI with uvicorn workers (``anima.workers.AnimaWorker``: production's ``live``, for
    the streams, and scripts/demo; ``threads`` does not apply)."""
    if server == "asgi":
        serving = ["bench.asgi:application", "--worker-class", "anima.workers.AnimaWorker"]
    elif server == "wsgi":
        serving = ["bench.wsgi:application", "--threads", str(threads)]
    else:
        raise ValueError(f"server is one of {SERVERS}, not {server!r}")
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            *serving,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/bench/bare/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def run_locust(locustfile: Path, host: str, users: int, seconds: int) -> dict[str, dict]:
    """Run locust headless; return its stats per request name."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "stats"
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(locustfile),
                "--headless",
                "--host",
                host,
                "-u",
                str(users),
                "-r",
                str(users),
                "-t",
                f"{seconds}s",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with open(f"{prefix}_stats.csv", newline="") as stats_file:
            return {
                row["Name"]: row
                for row in csv.DictReader(stats_file)
                if row["Name"] != "Aggregated"
            }


def print_report(stats: dict[str, dict], baseline: str) -> None:
    """Requests/s and p50/p95 per page, and each page's latency as a ratio to the baseline's.

    The users hit every page in turn, so each page gets the same share of the load and the
    latency ratio says how much dearer a page is than Django's bare request cycle.
    """
    base = stats[baseline]
    print(
        f"{'page':<30}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'fails':>7}"
        f"{'p50 ×bare':>11}{'p95 ×bare':>11}"
    )
    for name, row in stats.items():
        p50, p95 = float(row["50%"]), float(row["95%"])
        print(
            f"{name:<30}{float(row['Requests/s']):>8.1f}{p50:>8.0f}{p95:>8.0f}"
            f"{row['Failure Count']:>7}{p50 / max(float(base['50%']), 1):>10.1f}x"
            f"{p95 / max(float(base['95%']), 1):>10.1f}x"
        )
