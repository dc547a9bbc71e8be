"""The embedded default (a SQLite file shared by processes) never overbooks either.

SQLite has no row locks: the booking transaction starts with ``BEGIN IMMEDIATE`` (settings), so
concurrent bookings wait for each other and each one sees the previous one's insert.

Nothing here waits on the clock: subprocesses run to their end, and the racers are released
together once each has said it is ready, however long a busy machine takes to start them.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
HELPER = Path(__file__).with_name("sqlite_race.py")


def run(env, *args, **options):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        **options,
    ).stdout.strip()


def test_processes_racing_on_the_sqlite_file_never_exceed_the_pool(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}},
        "ANIMA_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    run(env, "manage.py", "migrate", "--noinput")
    pool_id = run(env, str(HELPER), "setup", "2", "5")
    racers = [
        subprocess.Popen(
            [sys.executable, str(HELPER), "attempt", pool_id, str(index)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for index in range(5)
    ]
    for racer in racers:
        assert racer.stdout.readline().strip() == "ready", racer.stderr.read()
    for racer in racers:
        racer.stdin.write("go\n")
        racer.stdin.flush()
    outcomes = [racer.communicate()[0].strip() for racer in racers]

    assert sorted(outcomes) == ["conflict"] * 3 + ["ok"] * 2, outcomes
