"""Logins cost one password hash, and their rate limits see the client behind the proxy."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse

from hub.client_address import ClientAddressFilter, client_address
from tests.hub.factories import PASSWORD, UserFactory

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


NGINX = "172.30.0.5"


def fail_login(client, email: str, **headers):
    return client.post(
        reverse("account_login"), {"login": email, "password": "faux"}, REMOTE_ADDR=NGINX, **headers
    )


def login(client, email: str, **headers):
    client.post(
        reverse("account_login"),
        {"login": email, "password": PASSWORD},
        REMOTE_ADDR=NGINX,
        **headers,
    )
    return "_auth_user_id" in client.session


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = ["172.30.0.0/24"]


def test_ten_wrong_passwords_from_one_client_do_not_lock_another_client_out(behind_nginx, client):
    user = UserFactory()
    for attempt in range(12):
        fail_login(client, f"essai{attempt}@exemple.fr", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert login(Client(), user.email, HTTP_X_FORWARDED_FOR="198.51.100.7")


def test_the_attacker_stays_locked_out_whatever_it_writes_in_x_forwarded_for(behind_nginx, client):
    user = UserFactory()
    for attempt in range(12):
        # nginx appends the peer it sees to what the client sent.
        spoofed = f"10.0.0.{attempt}, 203.0.113.9"
        fail_login(client, f"essai{attempt}@exemple.fr", HTTP_X_FORWARDED_FOR=spoofed)

    assert not login(Client(), user.email, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9")


def test_a_peer_that_is_not_a_trusted_proxy_cannot_choose_its_address(settings):
    settings.TRUSTED_PROXIES = []
    user = UserFactory()
    for attempt in range(12):
        fail_login(Client(), f"essai{attempt}@exemple.fr", HTTP_X_FORWARDED_FOR=f"10.0.1.{attempt}")

    assert not login(Client(), user.email, HTTP_X_FORWARDED_FOR="198.51.100.7")


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("203.0.113.9", "198.51.100.7", "203.0.113.9"),
        (NGINX, "198.51.100.7", "198.51.100.7"),
        (NGINX, "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        (NGINX, "198.51.100.7, 172.30.0.9", "198.51.100.7"),
        (NGINX, "", NGINX),
        (NGINX, "not-an-address", NGINX),
    ],
)
def test_the_client_is_the_rightmost_address_that_is_not_a_trusted_proxy(
    behind_nginx, rf, peer, forwarded, client
):
    request = rf.get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == client


def test_logs_name_the_client_not_the_proxy(behind_nginx, client, caplog):
    client.get("/page-qui-n-existe-pas/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.7")

    record = next(r for r in caplog.records if r.name == "django.request")
    ClientAddressFilter().filter(record)
    assert record.client == "198.51.100.7"


def test_the_documented_nginx_sets_the_headers_the_app_trusts():
    compose = yaml.safe_load((Path(django_settings.BASE_DIR) / "docker-compose.yml").read_text())
    nginx = compose["configs"]["nginx"]["content"]
    headers = dict(
        line.strip().rstrip(";").split()[1:3]
        for line in nginx.splitlines()
        if line.strip().startswith("proxy_set_header")
    )

    assert headers["X-Forwarded-For"] == "$$proxy_add_x_forwarded_for"
    assert headers["X-Forwarded-Proto"] == "$$scheme"
    web = compose["services"]["web"]["environment"]
    assert web["TRUSTED_PROXIES"] == "${TRUSTED_PROXIES:-172.30.0.0/24}"
    assert compose["networks"]["default"]["ipam"]["config"] == [{"subnet": "172.30.0.0/24"}]
