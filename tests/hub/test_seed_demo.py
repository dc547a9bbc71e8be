import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from hub.models import Structure

pytestmark = pytest.mark.django_db


def counts():
    return get_user_model().objects.count(), Structure.objects.count()


def test_seed_demo_is_idempotent_and_prints_the_logins(capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")

    assert counts() == first
    assert first[1] >= 10
    output = capsys.readouterr().out
    assert "direction@demo.anima-calais.fr" in output
    assert "client@demo.anima-calais.fr" in output


def test_demo_logins_work(client):
    call_command("seed_demo")
    assert client.login(email="cip@demo.anima-calais.fr", password="anima-demo-2026")
