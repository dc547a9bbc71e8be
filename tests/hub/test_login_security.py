"""Logins cost one password hash, and their rate limits see the client behind the proxy."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast in tests) that counts how many times a password is hashed."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0

    def count() -> int:
        return CountingHasher.calls

    return count


@pytest.mark.parametrize("email", ["camille@exemple.fr", "inconnu@exemple.fr"])
def test_a_failed_login_hashes_the_password_once(client, hashes, email):
    UserFactory(email="camille@exemple.fr")
    before = hashes()

    response = client.post(reverse("account_login"), {"login": email, "password": "faux"})

    assert response.status_code == 200
    assert hashes() - before == 1
