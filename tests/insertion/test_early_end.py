"""Ending a CDDI before its term: ground recorded, later amendments fall, the exit follows."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from insertion.choices import ContractKind
from insertion.early_end import EarlyEnd, trial_period_end
from insertion.exits import record_exit
from insertion.models import AccessLog, Contract, Exit, WorkedMonth
from insertion.retention import anonymise
from tests.insertion.factories import ContractFactory, early_end, reason

pytestmark = pytest.mark.django_db


@pytest.fixture
def renewed_ahead():
    """A CDDI renewed twice in advance: the last amendment starts on 1 April 2027."""
    first = ContractFactory(start_date=date(2026, 4, 1), end_date=date(2026, 9, 30))
    second = ContractFactory(
        beneficiary=first.beneficiary,
        kind=ContractKind.RENEWAL,
        previous=first,
        start_date=date(2026, 10, 1),
        end_date=date(2027, 3, 31),
    )
    third = ContractFactory(
        beneficiary=first.beneficiary,
        kind=ContractKind.RENEWAL,
        previous=second,
        start_date=date(2027, 4, 1),
        end_date=date(2027, 9, 30),
    )
    return first, second, third


def exit_on(person, day, code="cdi"):
    return Exit(beneficiary=person, date=day, reason=reason(code), destination="Opale Vélo")


def test_an_exit_before_amendments_signed_ahead_ends_the_contract_and_they_fall(renewed_ahead, cip):
    first, second, third = renewed_ahead
    person = first.beneficiary

    saved = record_exit(
        exit_on(person, date(2026, 12, 15)), cip, early_end("permanent_hiring", "employee")
    )

    second.refresh_from_db()
    assert saved.pk
    assert second.ended_on == date(2026, 12, 15)
    assert second.end_ground == "permanent_hiring"
    assert second.end_initiative == "employee"
    assert not Contract.objects.filter(pk=third.pk).exists()
    assert not WorkedMonth.objects.filter(beneficiary=person, month__gt=date(2026, 12, 1)).exists()
    assert AccessLog.objects.filter(beneficiary=person, action="delete", user=cip).exists()
    assert AccessLog.objects.filter(
        beneficiary=person, action="change", detail__startswith="Fin anticipée"
    ).exists()


def test_an_exit_before_the_planned_end_needs_the_ground_of_the_early_end(cip):
    contract = ContractFactory(start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))

    with pytest.raises(ValidationError) as error:
        record_exit(exit_on(contract.beneficiary, date(2025, 5, 15)), cip)

    message = " ".join(error.value.message_dict["early_end_ground"])
    assert "31 décembre 2025" in message
    assert "motif" in message
    assert not Exit.objects.exists()
    contract.refresh_from_db()
    assert contract.ended_on is None


def test_amendments_ahead_are_named_when_the_ground_is_missing(renewed_ahead, cip):
    person = renewed_ahead[0].beneficiary

    with pytest.raises(ValidationError) as error:
        record_exit(exit_on(person, date(2026, 12, 15)), cip)

    assert "1er avril 2027" in " ".join(error.value.message_dict["early_end_ground"])
    assert Contract.objects.filter(beneficiary=person).count() == 3


def test_an_exit_on_the_planned_end_needs_no_ground(cip):
    contract = ContractFactory(start_date=date(2025, 1, 1), end_date=date(2025, 6, 30))

    record_exit(exit_on(contract.beneficiary, date(2025, 6, 30)), cip)

    contract.refresh_from_db()
    assert contract.ended_on is None


def test_the_trial_period_ground_holds_only_during_the_trial_period(cip):
    contract = ContractFactory(start_date=date(2025, 1, 1), end_date=date(2025, 6, 30))
    assert trial_period_end(contract) == date(2025, 1, 14)  # two weeks at most for ≤ 6 months

    with pytest.raises(ValidationError) as error:
        record_exit(
            exit_on(contract.beneficiary, date(2025, 1, 20), "chomage"),
            cip,
            early_end("trial_period", "employer"),
        )
    assert "14 janvier 2025" in " ".join(error.value.message_dict["early_end_ground"])

    record_exit(
        exit_on(contract.beneficiary, date(2025, 1, 10), "chomage"),
        cip,
        early_end("trial_period", "employer"),
    )
    contract.refresh_from_db()
    assert contract.ended_on == date(2025, 1, 10)


def test_the_trial_period_is_one_day_a_week_up_to_one_month():
    contract = Contract(start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))
    assert trial_period_end(contract) == date(2025, 1, 31)
    # One day per week of contract: a 2-month contract (sentence adjustment) has 8 days.
    short = Contract(start_date=date(2025, 1, 1), end_date=date(2025, 2, 28))
    assert trial_period_end(short) == date(2025, 1, 8)


def test_who_decided_must_fit_the_ground(cip):
    contract = ContractFactory(start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))

    with pytest.raises(ValidationError) as error:
        record_exit(
            exit_on(contract.beneficiary, date(2025, 5, 15), "faute-grave"),
            cip,
            EarlyEnd("misconduct", "employee"),
        )

    assert "L'employeur" in " ".join(error.value.message_dict["early_end_initiative"])


def test_the_ground_to_confirm_needs_the_ddets_confirmation_written_down(cip):
    contract = ContractFactory(start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))
    person = contract.beneficiary

    with pytest.raises(ValidationError) as error:
        record_exit(
            exit_on(person, date(2025, 5, 15), "formation-qualifiante"),
            cip,
            early_end("long_job_or_training", "employee"),
        )
    assert "DDETS" in " ".join(error.value.message_dict["early_end_details"])

    record_exit(
        exit_on(person, date(2025, 5, 15), "formation-qualifiante"),
        cip,
        early_end(
            "long_job_or_training", "employee", "Accord de la DDETS du Pas-de-Calais, 12 mai 2025"
        ),
    )
    contract.refresh_from_db()
    assert contract.end_details.startswith("Accord de la DDETS")


def test_a_counsellor_records_the_early_end_from_the_exit_form(client, cip, renewed_ahead):
    person = renewed_ahead[0].beneficiary
    person.counsellor = cip
    person.save()
    client.force_login(cip)
    url = reverse("insertion:exit_create", args=[person.pk])
    form = {"date": "2026-12-15", "reason": reason("cdi").pk, "destination": "Opale Vélo"}

    refused = client.post(url, form)
    done = client.post(
        url, {**form, "early_end_ground": "permanent_hiring", "early_end_initiative": "employee"}
    )

    assert refused.status_code == 400
    assert "1er avril 2027" in refused.content.decode()
    assert done.status_code == 302
    page = client.get(reverse("insertion:beneficiary", args=[person.pk])).content.decode()
    assert "Embauche en CDI" in page
    assert Contract.objects.filter(beneficiary=person).count() == 2


def test_anonymisation_keeps_the_ground_and_removes_the_details(cip):
    contract = ContractFactory(start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))
    record_exit(
        exit_on(contract.beneficiary, date(2025, 5, 15), "faute-grave"),
        cip,
        early_end("misconduct", "employer", "Absences répétées malgré deux avertissements."),
    )

    anonymise(contract.beneficiary)

    contract.refresh_from_db()
    assert (contract.end_ground, contract.end_details) == ("misconduct", "")
