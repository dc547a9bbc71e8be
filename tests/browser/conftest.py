"""Playwright driving Debian's chromium against pytest-django's live server."""

import os
import shutil
import time

import pytest
from django.db import connection
from playwright.sync_api import sync_playwright

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
# Playwright waits for each event (element shown, page loaded); this bound is only the safety
# net against a page that never comes, long enough for a busy machine.
SAFETY_NET_MS = 120_000
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Browser tests need Debian's chromium: apt-get install -y chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by tests and
    # the live server stay synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _live_server_connections_closed_before_the_database_goes(django_db_setup, django_db_blocker):
    """The live server's request threads keep their own database connections, and PostgreSQL
    refuses to drop a database someone is connected to: they are closed before the test
    database is dropped (set up after it, so torn down before it)."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(autouse=True)
def _live_streams_end_with_their_page(settings):
    """A live stream (board, courier page) served by the test server holds a thread until its
    next write finds the page gone: a keep-alive every second here, and each test waits for its
    streams to end, so that none reads a database being emptied or dropped."""
    from delivery.views.live import open_plain_streams

    settings.DELIVERY_LIVE_KEEPALIVE_SECONDS = 1
    yield
    deadline = time.monotonic() + SAFETY_NET_MS / 1000
    while open_plain_streams():
        assert time.monotonic() < deadline, "a live stream outlived its page"
        time.sleep(0.05)


def _context(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, locale="fr-FR", **options)
    context.set_default_timeout(SAFETY_NET_MS)
    return context


@pytest.fixture
def page(browser, live_server):
    """A desktop-sized page; ``page.base_url`` is the live server."""
    context = _context(browser, DESKTOP)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    """A 360 px wide touch page, like the couriers' and most shoppers' phones."""
    context = _context(browser, PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the screen (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
