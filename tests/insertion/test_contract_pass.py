"""A CDDI needs a valid PASS IAE over its whole period, suspensions and extensions included."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from insertion.choices import ContractKind, ExtensionReason, Workshop
from insertion.contracts import record_contract, renewal_for
from insertion.models import Contract, PassExtension
from insertion.passes import extend_pass
from tests.insertion.factories import BeneficiaryFactory, PassFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return BeneficiaryFactory(birth_date=date(1980, 3, 1))


def contract(person, start, end):
    return Contract(
        beneficiary=person,
        kind=ContractKind.INITIAL,
        workshop=Workshop.DECO,
        post="Agent·e déco",
        start_date=start,
        end_date=end,
        weekly_hours=Decimal(26),
    )


def test_a_contract_within_the_pass_is_recorded(person, cip):
    PassFactory(beneficiary=person, start_date=date(2025, 3, 1))  # to 28 February 2027

    assert record_contract(contract(person, date(2025, 3, 1), date(2025, 8, 31)), cip).pk


def test_it_refuses_a_contract_starting_before_the_pass(person, cip):
    PassFactory(beneficiary=person, number="999990000077", start_date=date(2025, 3, 1))

    with pytest.raises(ValidationError) as error:
        record_contract(contract(person, date(2025, 2, 1), date(2025, 7, 31)), cip)

    message = " ".join(error.value.message_dict["start_date"])
    assert "999990000077" in message
    assert "1er mars 2025" in message
    assert not Contract.objects.exists()


def test_it_refuses_a_contract_without_any_pass(person, cip):
    with pytest.raises(ValidationError) as error:
        record_contract(contract(person, date(2025, 2, 1), date(2025, 7, 31)), cip)

    assert "Aucun PASS IAE valable le 1er février 2025" in error.value.message_dict["start_date"][0]


def test_it_refuses_an_amendment_running_past_the_pass_until_it_is_extended(person, cip):
    pass_iae = PassFactory(beneficiary=person, start_date=date(2024, 7, 1))  # to 30 June 2026
    first = record_contract(contract(person, date(2025, 1, 1), date(2025, 12, 31)), cip)
    amendment = renewal_for(first)
    amendment.end_date = date(2026, 9, 30)

    with pytest.raises(ValidationError) as error:
        record_contract(amendment, cip)
    assert "30 juin 2026" in " ".join(error.value.message_dict["end_date"])

    extend_pass(
        PassExtension(
            pass_iae=pass_iae,
            requested_on=date(2025, 9, 1),
            reason=ExtensionReason.DIFFICULTIES,
            details="Hébergement instable, démarches de santé en cours.",
        ),
        date(2026, 12, 31),
        cip,
        today=date(2025, 9, 1),
    )
    amendment = renewal_for(Contract.objects.get(pk=first.pk))
    amendment.end_date = date(2026, 9, 30)
    assert record_contract(amendment, cip).pk
