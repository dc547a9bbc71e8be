"""The « Découvrir la démo » panel guides a first visit on the embedded default only."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db

GUIDE = "Découvrir la démo"


@pytest.fixture
def seeded():
    """What the guide looks for: the demo's direction account (seed_demo creates it)."""
    return UserFactory(email="direction@demo.anima-calais.fr")


def test_the_seeded_embedded_demo_greets_with_its_accounts_and_three_journeys(
    client, settings, seeded
):
    settings.EMBEDDED_DEFAULT = True

    page = client.get(reverse("hub:home")).content.decode()

    assert GUIDE in page and "anima-demo-2026" in page
    for journey in [
        "Commander dans trois boutiques et suivre le vélo.",
        "Planifier et rouler une tournée sur un téléphone.",
        "Suivre un parcours d'insertion jusqu'à une sortie positive.",
    ]:
        assert journey in page
    for account in ["client", "commercant", "dispatch", "coursier", "cip", "direction"]:
        assert f"<code>{account}@demo.anima-calais.fr</code>" in page


def test_outside_the_embedded_default_no_demo_account_is_shown(client, settings, seeded):
    settings.EMBEDDED_DEFAULT = False

    page = client.get(reverse("hub:home")).content.decode()

    assert GUIDE not in page and "anima-demo-2026" not in page


def test_an_embedded_install_without_demo_data_shows_no_guide(client, settings):
    settings.EMBEDDED_DEFAULT = True

    assert GUIDE not in client.get(reverse("hub:home")).content.decode()


def embedded_default_with(**environment) -> bool:
    """EMBEDDED_DEFAULT as the settings module computes it from this environment."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ENV"}}
    env.update(environment)
    result = subprocess.run(
        [sys.executable, "-c", "import anima.settings as s; print(s.EMBEDDED_DEFAULT)"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip() == "True"


def test_the_embedded_default_is_sqlite_under_var_without_production_settings(tmp_path):
    var = {"ANIMA_VAR_DIR": str(tmp_path)}
    assert embedded_default_with(**var) is True
    assert embedded_default_with(**var, DATABASE_URL="postgres://u@db:5432/anima") is False
    production = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "production-like-secret-key-for-tests-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "anima-calais.fr",
        "DATABASE_URL": "postgres://u@db:5432/anima",
    }
    assert embedded_default_with(**var, **production) is False
