"""Interviews, barriers, trainings and immersions: what is accepted and what is refused."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hub.exceptions import Conflict
from insertion.choices import BarrierStatus, SupportKind
from insertion.followup import add_barrier_action, move_barrier, record_item, save_beneficiary
from insertion.models import AccessLog, BarrierAction, Immersion, Interview
from tests.insertion.factories import (
    BarrierFactory,
    BeneficiaryFactory,
    CounsellorFactory,
    ImmersionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cip():
    return CounsellorFactory()


def test_an_action_on_an_identified_barrier_puts_it_in_progress(cip):
    barrier = BarrierFactory()

    add_barrier_action(
        BarrierAction(
            barrier=barrier,
            date=date(2025, 2, 1),
            description="Demande de location de scooter solidaire",
            support=SupportKind.PARTNER,
            partner="Plateforme mobilité du Calaisis",
        ),
        cip,
    )

    barrier.refresh_from_db()
    assert barrier.status == BarrierStatus.IN_PROGRESS


def test_an_action_with_a_partner_names_the_partner(cip):
    with pytest.raises(ValidationError) as error:
        add_barrier_action(
            BarrierAction(
                barrier=BarrierFactory(),
                date=date(2025, 2, 1),
                description="Orientation",
                support=SupportKind.PARTNER,
            ),
            cip,
        )
    assert "partenaire" in " ".join(error.value.message_dict["partner"])


def test_a_barrier_is_lifted_on_a_date_and_stays_lifted(cip):
    barrier = BarrierFactory(identified_on=date(2025, 1, 15))

    move_barrier(barrier, BarrierStatus.LIFTED, date(2025, 4, 2), cip)

    barrier.refresh_from_db()
    assert (barrier.status, barrier.lifted_on) == (BarrierStatus.LIFTED, date(2025, 4, 2))
    with pytest.raises(ValidationError) as error:
        move_barrier(barrier, BarrierStatus.IN_PROGRESS, None, cip)
    assert "ne peut passer" in " ".join(error.value.message_dict["status"])


def test_lifting_needs_a_date_after_identification(cip):
    barrier = BarrierFactory(identified_on=date(2025, 1, 15))

    with pytest.raises(ValidationError):
        move_barrier(barrier, BarrierStatus.LIFTED, None, cip)
    with pytest.raises(ValidationError) as error:
        move_barrier(barrier, BarrierStatus.LIFTED, date(2025, 1, 1), cip)
    assert "après avoir été identifié" in " ".join(error.value.message_dict["lifted_on"])


def test_an_immersion_lasts_one_month_at_most(cip):
    person = BeneficiaryFactory()
    too_long = Immersion(
        beneficiary=person,
        host="Garage Solidaire",
        start_date=date(2025, 4, 1),
        end_date=date(2025, 5, 1),
        goal="discover",
    )

    with pytest.raises(ValidationError) as error:
        record_item(too_long, cip)
    assert "30 avril 2025" in " ".join(error.value.message_dict["end_date"])

    too_long.end_date = date(2025, 4, 30)
    assert record_item(too_long, cip).pk


def test_an_interview_is_recorded_once_it_happened(cip):
    tomorrow = timezone.localdate() + timedelta(days=1)
    interview = Interview(beneficiary=BeneficiaryFactory(), date=tomorrow, summary="x")

    with pytest.raises(ValidationError):
        record_item(interview, cip)


def test_a_person_under_16_is_refused(cip):
    person = BeneficiaryFactory.build(birth_date=timezone.localdate() - timedelta(days=365 * 15))

    with pytest.raises(ValidationError) as error:
        save_beneficiary(person, cip)
    assert "16 ans" in " ".join(error.value.message_dict["birth_date"])


def test_creating_a_person_is_logged_by_number(cip):
    person = save_beneficiary(BeneficiaryFactory.build(first_name="Inès"), cip)

    entry = AccessLog.objects.get(beneficiary=person)
    assert entry.action == "create"
    assert entry.user == cip
    assert "Inès" not in entry.record


def test_an_anonymised_record_cannot_be_changed(cip):
    immersion = ImmersionFactory()
    person = immersion.beneficiary
    person.anonymised_at = timezone.now()
    person.save()

    with pytest.raises(Conflict):
        record_item(Interview(beneficiary=person, date=date(2025, 1, 1), summary="x"), cip)
