"""CDDI rules (Code du travail L5132-15-1): each refusal says what is wrong and the limit."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from hub.exceptions import Conflict
from insertion.choices import ContractKind, DerogationGround, Workshop
from insertion.contracts import record_contract, renewal_for
from insertion.models import AccessLog, Contract, WorkedMonth
from tests.insertion.factories import (
    BeneficiaryFactory,
    ContractFactory,
    CounsellorFactory,
    ExitFactory,
    PassFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cip():
    return CounsellorFactory()


def long_pass(person):
    """A PASS IAE, extended as the derogations allow, covering every date of these tests."""
    PassFactory(beneficiary=person, start_date=date(2019, 1, 1), end_date=date(2031, 12, 31))
    return person


@pytest.fixture
def person():
    return long_pass(BeneficiaryFactory(birth_date=date(1980, 3, 1)))


def contract(person, start, end, **fields):
    values = {
        "beneficiary": person,
        "kind": ContractKind.INITIAL,
        "workshop": Workshop.CONSTRUCTION,
        "post": "Ouvrier·e du bâtiment",
        "start_date": start,
        "end_date": end,
        "weekly_hours": Decimal(26),
        **fields,
    }
    return Contract(**values)


def renewal(previous, end, **fields):
    amendment = renewal_for(previous)
    amendment.end_date = end
    for name, value in fields.items():
        setattr(amendment, name, value)
    return amendment


def refusal(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


def test_a_four_month_contract_is_recorded_with_its_hours_and_the_entry_date(person, cip):
    saved = record_contract(contract(person, date(2025, 1, 1), date(2025, 4, 30)), cip)

    person.refresh_from_db()
    assert saved.pk
    assert person.entry_date == date(2025, 1, 1)
    assert person.age_at_entry == 44
    january = WorkedMonth.objects.get(beneficiary=person, month=date(2025, 1, 1))
    assert january.hours == Decimal("115.14")  # 26 h × 31 days / 7
    assert AccessLog.objects.filter(beneficiary=person, user=cip, action="create").exists()


def test_it_refuses_a_contract_shorter_than_four_months(person, cip):
    with pytest.raises(ValidationError) as error:
        record_contract(contract(person, date(2025, 1, 1), date(2025, 4, 29)), cip)

    message = refusal(error.value, "end_date")
    assert "au moins 4 mois" in message
    assert "30 avril 2025" in message
    assert not Contract.objects.exists()


def test_a_person_under_a_sentence_adjustment_may_have_a_shorter_contract(person, cip):
    record_contract(
        contract(person, date(2025, 1, 1), date(2025, 2, 28), sentence_adjustment=True), cip
    )
    assert Contract.objects.count() == 1


def test_it_refuses_more_than_35_hours_a_week(person, cip):
    with pytest.raises(ValidationError) as error:
        record_contract(
            contract(person, date(2025, 1, 1), date(2025, 6, 30), weekly_hours=Decimal(36)), cip
        )
    assert "35 heures" in refusal(error.value, "weekly_hours")


def test_it_refuses_less_than_20_hours_without_a_justification(person, cip):
    short = contract(person, date(2025, 1, 1), date(2025, 6, 30), weekly_hours=Decimal(15))

    with pytest.raises(ValidationError) as error:
        record_contract(short, cip)

    assert "En dessous de 20 heures" in refusal(error.value, "hours_justification")


def test_less_than_20_hours_is_accepted_with_a_justification(person, cip):
    short = contract(
        person,
        date(2025, 1, 1),
        date(2025, 6, 30),
        weekly_hours=Decimal(15),
        hours_justification="Reprise progressive après une longue période sans emploi.",
    )
    assert record_contract(short, cip).pk


def test_a_renewal_starts_the_day_after_the_previous_contract(person, cip):
    first = ContractFactory(
        beneficiary=person, start_date=date(2025, 1, 1), end_date=date(2025, 6, 30)
    )
    late = renewal(first, date(2025, 12, 31), start_date=date(2025, 7, 15))

    with pytest.raises(ValidationError) as error:
        record_contract(late, cip)

    assert "lendemain" in refusal(error.value, "start_date")
    assert "1er juillet 2025" in refusal(error.value, "start_date")


def test_renewals_up_to_24_months_in_total_are_accepted(person, cip):
    first = ContractFactory(
        beneficiary=person, start_date=date(2025, 1, 1), end_date=date(2025, 6, 30)
    )

    record_contract(renewal(first, date(2026, 12, 31)), cip)

    assert person.contracts.count() == 2


def test_it_refuses_to_go_beyond_24_months_without_a_legal_ground(person, cip):
    first = ContractFactory(
        beneficiary=person, start_date=date(2025, 1, 1), end_date=date(2025, 6, 30)
    )

    with pytest.raises(ValidationError) as error:
        record_contract(renewal(first, date(2027, 1, 1)), cip)

    message = refusal(error.value, "ground")
    assert "Au-delà de 24 mois" in message
    assert "31 décembre 2026" in message


def chain_to_24_months(person):
    long_pass(person)
    first = ContractFactory(
        beneficiary=person, start_date=date(2023, 1, 1), end_date=date(2023, 12, 31)
    )
    return ContractFactory(
        beneficiary=person,
        kind=ContractKind.RENEWAL,
        previous=first,
        start_date=date(2024, 1, 1),
        end_date=date(2024, 12, 31),
    )


def test_a_person_aged_50_with_difficulties_may_go_beyond_24_months_by_12_months(cip):
    senior = BeneficiaryFactory(birth_date=date(1970, 1, 1))
    last = chain_to_24_months(senior)

    saved = record_contract(
        renewal(
            last,
            date(2025, 12, 31),
            ground=DerogationGround.SENIOR,
            ground_details="Santé fragile ; décision du prescripteur du 2 décembre 2024.",
        ),
        cip,
    )

    assert saved.ground == DerogationGround.SENIOR


def test_it_refuses_the_age_ground_before_50(person, cip):
    last = chain_to_24_months(person)  # born 1980: 44 in January 2025

    with pytest.raises(ValidationError) as error:
        record_contract(
            renewal(last, date(2025, 6, 30), ground=DerogationGround.SENIOR, ground_details="x"),
            cip,
        )
    assert "50 ans" in refusal(error.value, "ground")


def test_it_refuses_the_rqth_ground_without_a_recorded_rqth(person, cip):
    last = chain_to_24_months(person)

    with pytest.raises(ValidationError) as error:
        record_contract(
            renewal(last, date(2025, 6, 30), ground=DerogationGround.RQTH, ground_details="x"), cip
        )
    assert "RQTH" in refusal(error.value, "ground")


def test_a_ground_needs_the_difficulties_and_the_decision_written_down(cip):
    disabled = BeneficiaryFactory(rqth=True)
    last = chain_to_24_months(disabled)

    with pytest.raises(ValidationError) as error:
        record_contract(renewal(last, date(2025, 6, 30), ground=DerogationGround.RQTH), cip)
    assert "Décrivez les difficultés" in refusal(error.value, "ground_details")


def test_beyond_24_months_an_amendment_lasts_12_months_at_most(cip):
    disabled = BeneficiaryFactory(rqth=True)
    last = chain_to_24_months(disabled)

    with pytest.raises(ValidationError) as error:
        record_contract(
            renewal(last, date(2026, 1, 1), ground=DerogationGround.RQTH, ground_details="x"), cip
        )
    message = refusal(error.value, "end_date")
    assert "12 mois" in message
    assert "31 décembre 2025" in message


def test_it_refuses_to_go_beyond_60_months_even_with_a_ground(cip):
    disabled = BeneficiaryFactory(rqth=True)
    first = ContractFactory(
        beneficiary=disabled,
        start_date=date(2020, 1, 1),
        end_date=date(2024, 6, 30),
    )

    with pytest.raises(ValidationError) as error:
        record_contract(
            renewal(first, date(2025, 3, 31), ground=DerogationGround.RQTH, ground_details="x"),
            cip,
        )
    message = refusal(error.value, "end_date")
    assert "60 mois" in message
    assert "31 décembre 2024" in message


def test_to_finish_a_training_the_amendment_ends_with_the_training(person, cip):
    last = chain_to_24_months(person)
    training = TrainingFactory(
        beneficiary=person, start_date=date(2024, 11, 4), end_date=date(2025, 3, 14)
    )

    with pytest.raises(ValidationError) as error:
        record_contract(
            renewal(last, date(2025, 3, 31), ground=DerogationGround.TRAINING, training=training),
            cip,
        )
    assert "14 mars 2025" in refusal(error.value, "end_date")

    saved = record_contract(
        renewal(last, date(2025, 3, 14), ground=DerogationGround.TRAINING, training=training), cip
    )
    assert saved.training == training


def test_the_training_ground_needs_a_training_under_way(person, cip):
    last = chain_to_24_months(person)
    later = TrainingFactory(
        beneficiary=person, start_date=date(2025, 2, 1), end_date=date(2025, 3, 1)
    )

    with pytest.raises(ValidationError) as error:
        record_contract(
            renewal(last, date(2025, 3, 1), ground=DerogationGround.TRAINING, training=later), cip
        )
    assert "en cours" in refusal(error.value, "training")


def test_it_refuses_two_contracts_at_the_same_time(person, cip):
    ContractFactory(beneficiary=person, start_date=date(2025, 1, 1), end_date=date(2025, 6, 30))

    with pytest.raises(ValidationError) as error:
        record_contract(contract(person, date(2025, 5, 1), date(2025, 10, 31)), cip)
    assert "chevauche" in refusal(error.value, "start_date")


def test_a_contract_cannot_be_renewed_twice(person, cip):
    first = ContractFactory(
        beneficiary=person, start_date=date(2025, 1, 1), end_date=date(2025, 6, 30)
    )
    record_contract(renewal(first, date(2025, 12, 31)), cip)

    with pytest.raises(ValidationError) as error:
        record_contract(renewal(first, date(2025, 9, 30)), cip)
    assert "déjà été renouvelé" in refusal(error.value, "previous")


def test_no_contract_after_the_exit(person, cip):
    ContractFactory(beneficiary=person, start_date=date(2025, 1, 1), end_date=date(2025, 6, 30))
    ExitFactory(beneficiary=person, date=date(2025, 6, 30))

    with pytest.raises(ValidationError) as error:
        record_contract(contract(person, date(2025, 9, 1), date(2025, 12, 31)), cip)
    assert "sortie du parcours" in refusal(error.value, "start_date")


def test_a_refused_contract_changes_nothing(person, cip):
    first = ContractFactory(
        beneficiary=person, start_date=date(2025, 1, 1), end_date=date(2025, 6, 30)
    )
    months_before = list(WorkedMonth.objects.values_list("month", "hours"))

    with pytest.raises(ValidationError):
        record_contract(renewal(first, date(2027, 6, 30)), cip)

    assert person.contracts.count() == 1
    assert list(WorkedMonth.objects.values_list("month", "hours")) == months_before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_counsellors_renewing_the_same_contract_at_once_record_one_renewal(cip):
    person = long_pass(BeneficiaryFactory())
    first = ContractFactory(
        beneficiary=person, start_date=date(2025, 1, 1), end_date=date(2025, 6, 30)
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def renew(end):
        try:
            barrier.wait()
            record_contract(renewal(Contract.objects.get(pk=first.pk), end), cip)
            outcomes.append("ok")
        except (ValidationError, Conflict) as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=renew, args=(end,))
        for end in (date(2025, 12, 31), date(2026, 3, 31))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) in (["Conflict", "ok"], ["ValidationError", "ok"])
    assert Contract.objects.filter(previous=first).count() == 1


@pytest.mark.postgres
def test_postgresql_itself_refuses_overlapping_contracts(person):
    from django.db import IntegrityError, transaction

    ContractFactory(beneficiary=person, start_date=date(2025, 1, 1), end_date=date(2025, 6, 30))
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.create(
            beneficiary=person,
            workshop=Workshop.SHOP,
            post="Vendeur·se",
            start_date=date(2025, 3, 1),
            end_date=date(2025, 8, 31),
            weekly_hours=Decimal(26),
        )
