import os
import uuid

import pytest
from celery._state import _set_task_join_will_block
from django.core.signals import request_started
from django.db import connection

from anima.celery import app as celery_app


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.SMS_FILE_PATH = tmp_path / "sms"
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
    isolated = {**caches, "default": default}
    if "sessions" in caches:
        isolated["sessions"] = {**caches["sessions"], "KEY_PREFIX": f"{default['KEY_PREFIX']}-s"}
    return isolated


# Nothing listens on this port: what a process sees while Redis is down.
DEAD_REDIS = "redis://127.0.0.1:6399/0"


@pytest.fixture
def cache_down(settings):
    """The project's Redis caches (the default one and the sessions'), pointed where nothing
    answers."""
    caches = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "anima.cache.ResilientRedisCache",
            "LOCATION": DEAD_REDIS,
        },
    }
    if "sessions" in settings.CACHES:
        caches["sessions"] = {**settings.CACHES["sessions"], "LOCATION": DEAD_REDIS}
    settings.CACHES = caches


def _drop_broker_connections() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


class _BrokerOutage:
    """Points the Celery app at a Redis broker that does not answer (no eager tasks) until
    ``back()`` gives the suite's broker back (and its eager tasks)."""

    def __init__(self):
        conf = celery_app.conf
        self.saved = conf.broker_url, conf.broker_transport_options, conf.task_always_eager
        self.saved_environ = os.environ.get("CELERY_BROKER_URL")
        # Celery reads this variable before its configuration.
        os.environ["CELERY_BROKER_URL"] = DEAD_REDIS
        conf.broker_url, conf.broker_transport_options = DEAD_REDIS, {}
        conf.task_always_eager = False
        _drop_broker_connections()

    def back(self) -> None:
        conf = celery_app.conf
        conf.broker_url, conf.broker_transport_options, conf.task_always_eager = self.saved
        if self.saved_environ is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = self.saved_environ
        _drop_broker_connections()


@pytest.fixture
def broker_down():
    outage = _BrokerOutage()
    yield outage
    outage.back()


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
    # Eager tasks run in threads (tests/concurrency.py) share celery's process-wide « inside a
    # task » flag: two at once can leave it set, and a later test's .get() then refuses.
    _set_task_join_will_block(False)
    yield
    celery_app.conf.task_always_eager = False


def pytest_sessionstart(session):
    # The test database's migrate already brings the Site in step (post_migrate); the
    # first-request check would otherwise query the database outside any test, e.g. when
    # schemathesis loads the schema at collection. test_every_email reconnects it to test it.
    request_started.disconnect(dispatch_uid="hub.sync_site_at_first_request")


def pytest_collection_modifyitems(config, items):
    """Tests under tests/browser/ drive Chromium: mark them so suites can pick them."""
    for item in items:
        if "/tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


from tests.delivery.routing_standin import routing_server  # noqa: E402, F401 - OSRM/Valhalla stand-in
from tests.hub.sms_standin import sms_standin  # noqa: E402, F401 - local Brevo SMS stand-in
from tests.hub.stripe_standin import stripe_standin  # noqa: E402, F401 - local Stripe stand-in
