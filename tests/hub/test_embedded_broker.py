"""The embedded broker keeps all its files under var/, never in the working directory."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SEND_ONE_TASK = """
import django
django.setup()
from anima.celery import app
app.send_task("hub.tasks.nothing")
"""


def test_publishing_a_task_writes_only_under_var(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"CELERY_BROKER_URL", "DJANGO_ENV"}}
    env.update(
        {
            "ANIMA_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "anima.settings",
            "PYTHONPATH": str(ROOT),
        }
    )

    subprocess.run([sys.executable, "-c", SEND_ONE_TASK], cwd=tmp_path, env=env, check=True)

    assert [path.name for path in tmp_path.iterdir()] == ["var"]
    assert (tmp_path / "var" / "celery" / "control" / "celery.exchange").exists()
