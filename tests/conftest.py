import os
import uuid

import pytest
from django.db import connection

from anima.celery import app as celery_app


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = "http://testserver"
    settings.CACHES = isolated_caches(settings.CACHES)
    # seed_demo's past is two weeks here (eight in the demo): same code, a quarter of the rows.
    settings.DEMO_HISTORY_DAYS = 14


def isolated_caches(caches: dict) -> dict:
    """A fresh key space per test (rate limits start from zero) without flushing a cache that
    parallel test workers share: Redis keeps its backend, the file cache becomes memory."""
    default = dict(caches["default"])
    if "filebased" in default["BACKEND"]:
        default = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    default["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    return {**caches, "default": default}


@pytest.fixture(autouse=True)
def _needs_postgres(request):
    """Tests marked postgres or integration need PostgreSQL; CI sets ANIMA_REQUIRE_POSTGRES=1
    so that such a test fails there instead of being skipped."""
    marked = request.node.get_closest_marker("postgres") or request.node.get_closest_marker(
        "integration"
    )
    if marked and connection.vendor != "postgresql":
        message = "needs PostgreSQL: set DATABASE_URL=postgres://…"
        if os.environ.get("ANIMA_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Tasks run in-process, after commit, except in tests that drive a real worker."""
    if request.node.get_closest_marker("integration"):
        yield
        return
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False


def pytest_collection_modifyitems(config, items):
    """Tests under tests/browser/ drive Chromium: mark them so suites can pick them."""
    for item in items:
        if "/tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


from tests.delivery.routing_standin import routing_server  # noqa: E402, F401 - OSRM/Valhalla stand-in
from tests.hub.stripe_standin import stripe_standin  # noqa: E402, F401 - local Stripe stand-in
