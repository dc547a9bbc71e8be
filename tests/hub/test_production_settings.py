"""DJANGO_ENV=production refuses to start without its secrets (or with a weak key) and passes
check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {
    "SECRET_KEY": "x" * 20 + "-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "anima-calais.fr,www.anima-calais.fr",
    "DATABASE_URL": "postgres://anima:secret@db:5432/anima",
}


def run_manage(*args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    inherited = set(SECRETS) | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in inherited}
    env.update({"DJANGO_ENV": "production", "DJANGO_SETTINGS_MODULE": "anima.settings"})
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_it_refuses_to_start_without_a_secret(missing):
    present = {name: value for name, value in SECRETS.items() if name != missing}

    result = run_manage("check", **present)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_it_passes_check_deploy_without_any_warning():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **SECRETS)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "weak_key",
    [
        "dev-only-insecure-key-change-me-anima-calais-0123456789",
        "short-but-varied-key-0123456789",
        "abcd" * 20,
    ],
    ids=["development key", "under 50 characters", "under 5 distinct characters"],
)
def test_it_refuses_to_start_with_a_weak_secret_key(weak_key):
    result = run_manage("check", **{**SECRETS, "SECRET_KEY": weak_key})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr
    assert weak_key not in result.stderr


def test_check_deploy_fails_on_the_development_key_outside_production_settings():
    result = run_manage("check", "--deploy", DJANGO_ENV="development")

    assert result.returncode != 0
    assert "hub.E001" in result.stderr


LANGUAGE_COOKIE = """
import django
django.setup()
from django.core.signals import request_started
from django.test import Client
# No database behind this process: skip the Site check the first request makes.
request_started.disconnect(dispatch_uid="hub.sync_site_at_first_request")
response = Client().post("/i18n/setlang/", {"language": "en"}, secure=True)
cookie = response.cookies["django_language"]
print(response.status_code, repr(cookie["secure"]), cookie["samesite"], repr(cookie["httponly"]))
"""


def test_the_language_cookie_is_secure_and_same_site_in_production():
    env = {k: v for k, v in os.environ.items() if k not in set(SECRETS)}
    env.update(SECRETS, DJANGO_ENV="production", DJANGO_SETTINGS_MODULE="anima.settings")
    env["ALLOWED_HOSTS"] = "testserver"
    result = subprocess.run(
        [sys.executable, "-c", LANGUAGE_COOKIE], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["302", "True", "Lax", "True"]
