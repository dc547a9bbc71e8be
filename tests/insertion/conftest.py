from datetime import date

import pytest

from insertion.choices import BarrierStatus
from tests.insertion.factories import (
    BarrierFactory,
    ContractFactory,
    CounsellorFactory,
    DirectionFactory,
    ExitFactory,
    PassFactory,
)


@pytest.fixture
def cip():
    return CounsellorFactory(email="sophie.cip@exemple.fr")


@pytest.fixture
def direction():
    return DirectionFactory(email="nadia.direction@exemple.fr")


@pytest.fixture
def record(cip):
    """A person in their path: PASS IAE, a contract, an open barrier; and one who left."""
    contract = ContractFactory(
        beneficiary__counsellor=cip,
        beneficiary__last_name="Lefort",
        beneficiary__first_name="Inès",
        start_date=date(2025, 1, 6),
        end_date=date(2025, 7, 5),
    )
    person = contract.beneficiary
    pass_iae = PassFactory(beneficiary=person, start_date=date(2025, 1, 6))
    barrier = BarrierFactory(beneficiary=person, status=BarrierStatus.IDENTIFIED)
    left = ContractFactory(start_date=date(2024, 1, 1), end_date=date(2024, 12, 31))
    exit_record = ExitFactory(beneficiary=left.beneficiary, date=date(2024, 12, 31))
    return {
        "person": person,
        "contract": contract,
        "pass": pass_iae,
        "barrier": barrier,
        "exit": exit_record,
    }
