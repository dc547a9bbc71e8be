"""A logout made while Redis is down holds once Redis answers again: the sessions' cache is
purged after an outage (anima/cache.py SessionRedisCache); on PostgreSQL+Redis runs."""

import os

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from tests.conftest import DEAD_REDIS
from tests.hub.factories import UserFactory

REDIS = os.environ.get("CACHE_URL", "")
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not REDIS.startswith("redis"), reason="needs CACHE_URL (Redis)"),
]


def signed_in(session_cookie: str) -> bool:
    client = Client()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = session_cookie
    return client.get(reverse("account_email")).status_code == 200


def test_a_logout_made_while_redis_is_down_holds_once_it_answers_again(client, settings):
    client.force_login(UserFactory())
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert signed_in(cookie)
    assert caches[settings.SESSION_CACHE_ALIAS].get(KEY_PREFIX + cookie) is not None
    live = settings.CACHES
    settings.CACHES = {alias: {**conf, "LOCATION": DEAD_REDIS} for alias, conf in live.items()}

    client.post(reverse("account_logout"))
    assert not signed_in(cookie)

    settings.CACHES = live
    assert not signed_in(cookie)


def test_sessions_stay_signed_in_across_an_outage(client, settings):
    client.force_login(UserFactory())
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    live = settings.CACHES
    settings.CACHES = {alias: {**conf, "LOCATION": DEAD_REDIS} for alias, conf in live.items()}

    assert signed_in(cookie)

    settings.CACHES = live
    assert signed_in(cookie)
    assert caches[settings.SESSION_CACHE_ALIAS].get(KEY_PREFIX + cookie) is not None
