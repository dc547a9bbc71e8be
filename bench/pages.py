"""Home and structures pages against a bare Django view, on gunicorn + PostgreSQL.

.venv/bin/pip install -e ".[bench]" && .venv/bin/python bench/pages.py [--users 20 --seconds 30]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_env, ensure_database, gunicorn, print_report, run_locust


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args()
    env = bench_env()
    ensure_database(env)
    with gunicorn(env) as url:
        stats = run_locust(
            Path(__file__).with_name("locust_pages.py"), url, args.users, args.seconds
        )
    print_report(stats, baseline="bare view")


if __name__ == "__main__":
    main()
