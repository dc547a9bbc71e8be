"""Settings of online payment: off without a key, and a CSP that lets the shopper leave for
Stripe's hosted pages and allows nothing else from Stripe."""

import json
import os
import subprocess
import sys

import pytest

PRINT_POLICY = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']))"
)


def policy(**env) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("STRIPE_", "PAYMENTS_"))
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="anima.settings")
    output = subprocess.run(
        [sys.executable, "-c", PRINT_POLICY],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_without_a_key_the_policy_is_unchanged():
    directives = policy()
    assert directives["form-action"] == ["'self'"]


def test_with_a_key_only_form_action_names_stripes_hosted_pages():
    without, with_key = policy(), policy(STRIPE_SECRET_KEY="sk_live_x")
    assert with_key["form-action"] == [
        "'self'",
        "https://checkout.stripe.com",
        "https://connect.stripe.com",
    ]
    assert {k: v for k, v in with_key.items() if k != "form-action"} == {
        k: v for k, v in without.items() if k != "form-action"
    }


def test_production_refuses_a_stand_in_address():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "anima.settings",
            "DJANGO_ENV": "production",
            "SECRET_KEY": "production-like-secret-key-for-tests-0123456789-abcdefghij",
            "ALLOWED_HOSTS": "anima-calais.fr",
            "DATABASE_URL": "postgres://u@localhost/db",
            "STRIPE_API_BASE": "http://127.0.0.1:9999",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "STRIPE_API_BASE" in result.stderr


@pytest.mark.parametrize("policy_name", ["keep", "refund"])
def test_the_failed_delivery_policy_takes_two_values(policy_name):
    env = {**os.environ, "SHOP_FAILED_DELIVERY_POLICY": policy_name}
    env["DJANGO_SETTINGS_MODULE"] = "anima.settings"
    code = "import django; django.setup()"
    assert subprocess.run([sys.executable, "-c", code], env=env).returncode == 0
    env["SHOP_FAILED_DELIVERY_POLICY"] = "maybe"
    assert subprocess.run([sys.executable, "-c", code], env=env, capture_output=True).returncode
