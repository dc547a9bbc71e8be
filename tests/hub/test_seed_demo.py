import pytest
from django.contrib.auth import get_user_model
from django.core.checks import run_checks
from django.core.management import CommandError, call_command

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


def demo_accounts():
    return get_user_model().objects.filter(email__endswith="@demo.anima-calais.fr")


def test_seed_demo_is_refused_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")

    assert not demo_accounts().exists()
    assert Structure.objects.count() == 0


def test_in_production_the_flag_seeds_content_without_any_account_that_signs_in(
    settings, capsys, client
):
    settings.PRODUCTION = True

    call_command("seed_demo", "--i-know-this-is-production")

    assert Structure.objects.count() >= 10
    assert demo_accounts().exists()
    assert not demo_accounts().filter(is_active=True).exists()
    assert not demo_accounts().filter(is_staff=True).exists()
    assert not any(user.has_usable_password() for user in demo_accounts())
    assert not client.login(email="cip@demo.anima-calais.fr", password="anima-demo-2026")
    assert "anima-demo-2026" not in capsys.readouterr().out
    assert not [e for e in run_checks(include_deployment_checks=True) if e.id == "hub.E002"]


def test_the_deployment_check_fails_when_a_demo_account_exists():
    assert not [e for e in run_checks(include_deployment_checks=True) if e.id == "hub.E002"]

    call_command("seed_demo")

    errors = [e for e in run_checks(include_deployment_checks=True) if e.id == "hub.E002"]
    assert len(errors) == 1
    assert errors[0].is_serious()
