"""A refused look at a personal insertion record is logged: who and which page, nothing more."""

import logging

import pytest

from hub.roles import Role
from tests.hub.factories import UserFactory
from tests.insertion.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


def test_a_refused_access_to_a_record_is_a_warning_without_personal_data(client, caplog):
    person = BeneficiaryFactory(first_name="Samira", last_name="Haddou")
    intruder = UserFactory(roles=[Role.COWORKING])
    client.force_login(intruder)

    with caplog.at_level(logging.INFO):
        response = client.get(person.get_absolute_url())

    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "insertion.access"]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == (
        f"Access refused: user {intruder.pk} to GET {person.get_absolute_url()}."
    )
    assert "Samira" not in caplog.text and "Haddou" not in caplog.text
