"""Anonymisation after the retention period keeps every indicator unchanged."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from insertion.choices import BarrierStatus, EducationLevel, Sex, SupportKind
from insertion.exits import record_exit
from insertion.indicators import Period, impact_indicators, report
from insertion.models import (
    AccessLog,
    BarrierAction,
    Beneficiary,
    Exit,
    Interview,
    PassIae,
)
from insertion.retention import anonymise, anonymise_expired, purge_access_log
from insertion.tasks import anonymise_expired_records
from tests.insertion.factories import (
    BarrierFactory,
    BeneficiaryFactory,
    ContractFactory,
    ImmersionFactory,
    InterviewFactory,
    PassFactory,
    TrainingFactory,
    early_end,
    qpv,
    reason,
)

pytestmark = pytest.mark.django_db
PERIODS = [
    Period(date(2024, 1, 1), date(2024, 12, 1)),
    Period(date(2025, 1, 1), date(2025, 12, 1)),
    Period(date(2025, 3, 1), date(2025, 3, 1)),
    Period(date(2025, 6, 1), date(2025, 8, 1)),
]


def person_with_a_full_path(cip, code, start, exit_day, **identity):
    contract = ContractFactory(
        beneficiary=BeneficiaryFactory(counsellor=cip, **identity),
        start_date=start,
        end_date=start + timedelta(days=400),
        weekly_hours=Decimal(26),
    )
    person = contract.beneficiary
    PassFactory(beneficiary=person, start_date=start)
    InterviewFactory(beneficiary=person, date=start + timedelta(days=20))
    barrier = BarrierFactory(
        beneficiary=person,
        identified_on=start + timedelta(days=9),
        status=BarrierStatus.LIFTED,
        lifted_on=start + timedelta(days=75),
        notes="Pas de permis de conduire",
    )
    BarrierAction.objects.create(
        barrier=barrier,
        date=start + timedelta(days=30),
        description="Auto-école sociale",
        support=SupportKind.PARTNER,
        partner="Mobilité Calaisis",
    )
    TrainingFactory(
        beneficiary=person,
        start_date=start + timedelta(days=40),
        end_date=start + timedelta(days=45),
    )
    ImmersionFactory(
        beneficiary=person,
        start_date=start + timedelta(days=60),
        end_date=start + timedelta(days=70),
    )
    if exit_day:
        exit_record = record_exit(
            Exit(
                beneficiary=person, date=exit_day, reason=reason(code), destination="Garage Opale"
            ),
            cip,
            early_end(),
        )
        exit_record.followup_on = exit_day + timedelta(days=185)
        exit_record.followup_situation = "employed"
        exit_record.save()
    return person


@pytest.fixture
def paths(cip):
    return [
        person_with_a_full_path(
            cip,
            "cdi",
            date(2024, 3, 14),
            date(2025, 1, 17),
            birth_date=date(1970, 8, 30),
            qpv=qpv(),
            sex=Sex.MALE,
        ),
        person_with_a_full_path(
            cip,
            "chomage",
            date(2024, 11, 27),
            date(2025, 6, 12),
            birth_date=date(2001, 12, 31),
            rsa=True,
        ),
        person_with_a_full_path(
            cip,
            "retraite",
            date(2025, 1, 2),
            date(2025, 2, 20),
            education_level=EducationLevel.LEVEL_5,
        ),
        person_with_a_full_path(
            cip, "cdd-moins-6-mois", date(2025, 2, 15), date(2025, 8, 31), qpv=qpv("Fort-Nieulay")
        ),
        person_with_a_full_path(cip, None, date(2025, 5, 19), None),
    ]


def figures():
    return [[(table.key, table.rows) for table in report(period).tables] for period in PERIODS] + [
        impact_indicators(date(2025, 1, 1), date(2025, 12, 31))
    ]


def test_anonymising_every_record_leaves_every_indicator_unchanged(paths):
    before = figures()

    for person in paths:
        anonymise(person)

    assert figures() == before


def test_anonymisation_removes_what_identifies_the_person(paths):
    person = paths[0]

    anonymise(person)

    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.birth_date) == ("", "", None)
    assert (person.email, person.phone, person.address, person.user) == ("", "", "", None)
    assert str(person) == f"Dossier anonymisé n° {person.pk}"
    assert person.entry_date == date(2024, 3, 1)
    assert person.age_at_entry == 53
    assert not PassIae.objects.filter(beneficiary=person).exists()
    assert not Interview.objects.filter(beneficiary=person).exists()
    assert not BarrierAction.objects.filter(barrier__beneficiary=person).exists()
    barrier = person.barriers.get()
    assert (barrier.notes, barrier.identified_on) == ("", date(2024, 3, 1))
    exit_record = Exit.objects.get(beneficiary=person)
    assert (exit_record.destination, exit_record.date) == ("", date(2025, 1, 1))
    assert exit_record.reason.code == "cdi"
    assert person.contracts.get().post == ""
    assert AccessLog.objects.filter(beneficiary=person, action="anonymise").exists()


def test_records_are_anonymised_24_months_after_exit_and_only_then(paths):
    assert anonymise_expired(date(2027, 1, 16)) == 0
    assert anonymise_expired(date(2027, 1, 17)) == 1
    assert anonymise_expired(date(2027, 1, 17)) == 0  # a second run changes nothing

    assert Beneficiary.objects.filter(anonymised_at__isnull=False).get() == paths[0]


def test_the_retention_period_is_a_setting(paths, settings):
    settings.INSERTION_RETENTION_MONTHS = 12

    assert anonymise_expired(date(2026, 1, 17)) == 1


def test_people_still_in_their_path_are_never_anonymised(paths):
    anonymise_expired(date(2040, 1, 1))

    paths[4].refresh_from_db()
    assert paths[4].anonymised_at is None
    assert Beneficiary.objects.filter(anonymised_at__isnull=False).count() == 4


def test_records_of_people_never_hired_are_deleted_after_the_same_period():
    candidate = BeneficiaryFactory()
    Beneficiary.objects.filter(pk=candidate.pk).update(
        created_at=timezone.now() - timedelta(days=800)
    )
    recent = BeneficiaryFactory()

    assert anonymise_expired(timezone.localdate()) == 1
    assert list(Beneficiary.objects.all()) == [recent]


def test_access_log_lines_are_kept_three_years(cip, paths):
    old = AccessLog.objects.create(
        user_email=cip.email, action="view", at=timezone.now() - timedelta(days=3 * 366)
    )
    assert purge_access_log(timezone.localdate()) == 1
    assert not AccessLog.objects.filter(pk=old.pk).exists()
    assert AccessLog.objects.exists()


def test_the_scheduled_job_anonymises(paths, settings):
    settings.INSERTION_RETENTION_MONTHS = 1

    anonymise_expired_records.apply()

    assert Beneficiary.objects.filter(anonymised_at__isnull=False).count() == 4
