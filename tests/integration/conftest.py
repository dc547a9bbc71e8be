"""A real Celery worker process, on the broker and test database of the running suite."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Worker:
    """`celery worker` as its own process, on the suite's broker and test database; it can be
    killed and started again with the same environment, mail folder and log."""

    def __init__(self, tmp_path: Path, env: dict[str, str]):
        self.tmp_path = tmp_path
        self.env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "ANIMA_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "anima.settings",
            **env,
        }
        self.log = open(tmp_path / "worker.log", "a")  # noqa: SIM115 - closed in stop()
        self.process: subprocess.Popen | None = None

    @property
    def mail_folder(self) -> Path:
        return self.tmp_path / "var" / "mail"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "anima",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        """SIGKILL: no cleanup, no acknowledgement, as when the machine or the OOM killer
        stops it."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
        print((self.tmp_path / "worker.log").read_text()[-3000:])


def start_worker(tmp_path: Path, **env: str) -> Worker:
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        pytest.fail("The integration layer needs a real broker: set CELERY_BROKER_URL=redis://…")
    worker = Worker(tmp_path, env)
    worker.start()
    return worker


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """Start `celery worker` as its own process; yield it; stop it."""
    worker = start_worker(tmp_path)
    try:
        yield worker.process
    finally:
        worker.stop()


def wait_for(condition, timeout: float = 600.0) -> bool:
    """Poll until ``condition()`` holds. The bound is only a safety net against a worker that
    never answers: a busy machine gets all the time it needs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False
