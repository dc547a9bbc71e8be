"""Recording an exit ends the contract that day and freezes what the exit rates need."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hub.exceptions import Conflict
from insertion.exits import record_exit, record_followup, worked_at_least
from insertion.models import Contract, Exit, WorkedMonth
from tests.insertion.factories import (
    BeneficiaryFactory,
    ContractFactory,
    CounsellorFactory,
    early_end,
    reason,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cip():
    return CounsellorFactory()


def exit_on(person, day, code="cdi"):
    return Exit(beneficiary=person, date=day, reason=reason(code), destination="Boulangerie Paul")


HIRED = early_end("permanent_hiring", "employee")


def test_an_exit_to_a_cdi_ends_the_contract_that_day(cip):
    contract = ContractFactory(start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))
    person = contract.beneficiary

    saved = record_exit(exit_on(person, date(2025, 5, 15)), cip, HIRED)

    contract.refresh_from_db()
    assert contract.ended_on == date(2025, 5, 15)
    assert saved.worked_days == 135
    assert saved.over_three_months is True
    assert not WorkedMonth.objects.filter(beneficiary=person, month__gt=date(2025, 5, 1)).exists()
    may = WorkedMonth.objects.get(beneficiary=person, month=date(2025, 5, 1))
    assert may.hours == Decimal("55.71")  # 26 h × 15 days / 7


def test_three_months_worked_count_and_one_day_less_does_not():
    contract = Contract(start_date=date(2025, 1, 1), end_date=date(2025, 3, 31))
    assert worked_at_least([contract], 3) is True

    contract.end_date = date(2025, 3, 30)
    assert worked_at_least([contract], 3) is False


def test_time_worked_adds_up_over_separate_contracts():
    first = Contract(start_date=date(2024, 1, 1), end_date=date(2024, 1, 31))
    second = Contract(start_date=date(2025, 1, 1), end_date=date(2025, 2, 27))

    # 31 + 58 = 89 days, counted back from 27 February: 3 months would start on 28 November.
    assert worked_at_least([first, second], 3) is False
    second.end_date = date(2025, 2, 28)
    assert worked_at_least([first, second], 3) is True


def test_an_exit_after_two_months_is_recorded_as_not_counted(cip):
    contract = ContractFactory(start_date=date(2025, 1, 1), end_date=date(2025, 6, 30))

    saved = record_exit(
        exit_on(contract.beneficiary, date(2025, 2, 28), "chomage"), cip, early_end()
    )

    assert saved.over_three_months is False


def test_an_exit_before_the_entry_is_refused(cip):
    contract = ContractFactory(start_date=date(2025, 1, 1), end_date=date(2025, 6, 30))

    with pytest.raises(ValidationError) as error:
        record_exit(exit_on(contract.beneficiary, date(2024, 12, 1)), cip)
    assert "1er janvier 2025" in " ".join(error.value.message_dict["date"])
    assert not Exit.objects.exists()


def test_an_exit_needs_a_contract(cip):
    with pytest.raises(ValidationError) as error:
        record_exit(exit_on(BeneficiaryFactory(), date(2025, 2, 1)), cip)
    assert "contrat" in " ".join(error.value.message_dict["date"])


def test_an_exit_is_recorded_once(cip):
    contract = ContractFactory(start_date=date(2025, 1, 1), end_date=date(2025, 6, 30))
    record_exit(exit_on(contract.beneficiary, date(2025, 5, 1)), cip, HIRED)

    with pytest.raises(Conflict):
        record_exit(exit_on(contract.beneficiary, date(2025, 5, 2)), cip, HIRED)


def test_the_six_month_situation_is_recorded(cip):
    contract = ContractFactory(start_date=date(2025, 1, 1), end_date=date(2025, 6, 30))
    saved = record_exit(exit_on(contract.beneficiary, date(2025, 5, 1)), cip, HIRED)

    record_followup(saved, date(2025, 11, 3), "employed", cip)

    saved.refresh_from_db()
    assert saved.followup_situation == "employed"
    with pytest.raises(ValidationError):
        record_followup(saved, date(2025, 4, 1), "employed", cip)
