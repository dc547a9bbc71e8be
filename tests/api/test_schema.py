"""schemathesis over the OpenAPI schema, with every check, as nobody and as each role.

Every operation the schema lists is called with generated data — valid and invalid — and each
answer must match the schema: status declared, content type declared, body conforming, invalid
input refused, valid input accepted, no 5xx, auth not ignored. The stateful phase follows the
schema's links (create -> read -> act -> cancel) as a shopper, a shop, dispatch and a coworker.

Valid data may still be refused with a 400 when the request has a body: the schema says which
shapes are valid, not which product ids exist or which addresses lie in the cargo-bike zone.
"""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import openapi
from schemathesis.core import NOT_SET
from schemathesis.specs.openapi.checks import positive_data_acceptance

from anima.wsgi import application
from hub.roles import Role
from tests.coworking.factories import RateFactory
from tests.delivery.factories import CourierFactory, DeliverySlotFactory, RelayPointFactory
from tests.hub.factories import StaffFactory, UserFactory
from tests.shop.factories import ProductFactory, basket_with

ROLES = ["anonymous", "shopper", "merchant", "courier", "dispatch", "coworking", "direction"]
HYPOTHESIS = {
    "deadline": None,
    "suppress_health_check": list(HealthCheck),
    "derandomize": True,
}


def valid_data_accepted(ctx, response, case):
    """schemathesis' positive_data_acceptance, except a 400 to a request body (see above)."""
    if case.body is not NOT_SET and response.status_code == 400:
        return True
    return positive_data_acceptance(ctx, response, case)


CHECKS = {
    "excluded_checks": [positive_data_acceptance],
    "additional_checks": [valid_data_accepted],
}


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Like Django's test client: requests must not close the test transaction's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _user(role: str):
    if role == "shopper":
        user = UserFactory(phone="06 12 34 56 78")
        basket_with(user, (ProductFactory(), 1))
        return user
    if role == "merchant":
        return ProductFactory().merchant.owner
    if role == "courier":
        return CourierFactory().user
    return StaffFactory(roles=[Role(role)])


@pytest.fixture
def role_schema(request, world):
    """The schema, called as nobody or with the token of one role (the stateful phase checks
    that a request without it or with a spoilt one is refused)."""
    schema = load_schema()
    if request.param != "anonymous":
        token = Token.objects.create(user=_user(request.param))
        schema.config.update(headers={"Authorization": f"Token {token.key}"})
    return schema


def load_schema():
    """The schema /api/schema/ serves, generated in-process: at collection (pytest-django has
    set Django up by then) no request may run, since the first one touches the database."""
    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = openapi.from_dict(json.loads(json.dumps(raw, cls=DjangoJSONEncoder)))
    schema.app = application
    schema.location = "/api/schema/"
    return schema


schema = load_schema()


@pytest.fixture
def world(db):
    """Something to find for each operation: slots, a relay point, a bookable room."""
    DeliverySlotFactory()
    RelayPointFactory()
    RateFactory()


def auth_headers(role: str) -> dict[str, str]:
    if role == "anonymous":
        return {}
    return {"Authorization": f"Token {Token.objects.create(user=_user(role)).key}"}


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(max_examples=3, **HYPOTHESIS)
@pytest.mark.django_db
def test_api_answers_match_the_schema(case, role, world):
    case.call_and_validate(headers=auth_headers(role), **CHECKS)


@pytest.mark.parametrize(
    "role_schema", ["shopper", "merchant", "dispatch", "coworking"], indirect=True
)
def test_create_read_act_cancel_sequences_keep_the_contract(role_schema):
    class Workflow(role_schema.as_state_machine()):
        def validate_response(self, response, case, additional_checks=None, **kwargs):
            super().validate_response(response, case, [valid_data_accepted], **kwargs)

    role_schema.config.checks.positive_data_acceptance.enabled = False
    Workflow.run(settings=settings(max_examples=8, stateful_step_count=6, **HYPOTHESIS))
