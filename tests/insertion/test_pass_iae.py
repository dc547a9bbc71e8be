"""PASS IAE: 2 years, and suspensions and extensions move the end date, within their limits."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from insertion.choices import ExtensionReason, SuspensionReason
from insertion.models import PassExtension, PassIae, PassSuspension
from insertion.passes import extend_pass, record_pass, suspend_pass
from tests.insertion.factories import (
    BeneficiaryFactory,
    CounsellorFactory,
    PassFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db
TODAY = date(2025, 9, 1)


@pytest.fixture
def cip():
    return CounsellorFactory()


@pytest.fixture
def pass_iae():
    return PassFactory(start_date=date(2025, 1, 1))


def suspend(pass_iae, start, end, cip, reason=SuspensionReason.CONTRACT_SUSPENDED):
    suspension = PassSuspension(pass_iae=pass_iae, start_date=start, end_date=end, reason=reason)
    return suspend_pass(suspension, cip, today=TODAY)


def extend(pass_iae, new_end, cip, reason=ExtensionReason.DIFFICULTIES, **fields):
    """Record an extension on the day it was requested (whatever today's date is)."""
    extension = PassExtension(
        pass_iae=pass_iae,
        requested_on=fields.pop("requested_on", date(2026, 6, 1)),
        reason=reason,
        details=fields.pop("details", "Hébergement instable, démarches de santé en cours."),
        **fields,
    )
    return extend_pass(extension, new_end, cip, today=extension.requested_on)


def end_of(pass_iae):
    return PassIae.objects.get(pk=pass_iae.pk).end_date


def test_a_new_pass_is_valid_two_years(cip):
    person = BeneficiaryFactory()

    saved = record_pass(
        PassIae(beneficiary=person, number="999992512345", start_date=date(2025, 3, 1)), cip
    )

    assert saved.end_date == date(2027, 2, 28)


def test_a_pass_number_has_twelve_digits(cip):
    with pytest.raises(ValidationError) as error:
        record_pass(
            PassIae(beneficiary=BeneficiaryFactory(), number="12345", start_date=date(2025, 3, 1)),
            cip,
        )
    assert "12 chiffres" in " ".join(error.value.message_dict["number"])


def test_a_second_pass_is_refused_while_the_first_is_valid(pass_iae, cip):
    with pytest.raises(ValidationError) as error:
        record_pass(
            PassIae(
                beneficiary=pass_iae.beneficiary, number="999990000001", start_date=date(2026, 1, 1)
            ),
            cip,
        )
    assert "31 décembre 2026" in " ".join(error.value.message_dict["start_date"])


def test_a_suspension_pushes_the_end_date_back_by_its_days(pass_iae, cip):
    suspend(pass_iae, date(2025, 3, 1), date(2025, 3, 10), cip)  # 10 days

    assert end_of(pass_iae) == date(2027, 1, 10)


def test_two_suspensions_add_up(pass_iae, cip):
    suspend(pass_iae, date(2025, 3, 1), date(2025, 3, 10), cip)
    suspend(pass_iae, date(2025, 6, 1), date(2025, 6, 30), cip, SuspensionReason.CTA_AGREEMENT)

    assert end_of(pass_iae) == date(2027, 2, 9)


def test_a_suspension_lasts_36_months_at_most(pass_iae, cip):
    with pytest.raises(ValidationError) as error:
        suspend(pass_iae, date(2025, 3, 1), date(2028, 3, 1), cip)
    assert "36 mois" in " ".join(error.value.message_dict["end_date"])
    assert end_of(pass_iae) == date(2026, 12, 31)


def test_a_suspension_is_retroactive_one_year_at_most(cip):
    old = PassFactory(start_date=date(2024, 1, 1))

    with pytest.raises(ValidationError) as error:
        suspend(old, date(2024, 8, 1), date(2024, 8, 31), cip)
    assert "rétroactive" in " ".join(error.value.message_dict["start_date"])


def test_suspensions_cannot_overlap(pass_iae, cip):
    suspend(pass_iae, date(2025, 3, 1), date(2025, 3, 31), cip)

    with pytest.raises(ValidationError) as error:
        suspend(pass_iae, date(2025, 3, 15), date(2025, 4, 15), cip)
    assert "chevauche" in " ".join(error.value.message_dict["start_date"])


def test_an_extension_moves_the_end_date_to_the_requested_day(pass_iae, cip):
    extension = extend(pass_iae, date(2027, 6, 30), cip)

    assert extension.days == 181
    assert end_of(pass_iae) == date(2027, 6, 30)


def test_suspensions_and_extensions_both_count(pass_iae, cip):
    suspend(pass_iae, date(2025, 3, 1), date(2025, 3, 10), cip)
    extend(pass_iae, date(2027, 3, 10), cip)

    pass_iae.refresh_from_db()
    assert pass_iae.end_date == date(2027, 3, 10)
    assert pass_iae.extensions.get().days == 59


def test_an_extension_lasts_365_days_at_most(pass_iae, cip):
    with pytest.raises(ValidationError) as error:
        extend(pass_iae, date(2028, 1, 1), cip)
    assert "365 jours" in " ".join(error.value.message_dict["new_end_date"])


def test_an_extension_is_asked_between_12_months_before_and_6_months_after_the_end(pass_iae, cip):
    with pytest.raises(ValidationError) as error:
        extend(pass_iae, date(2027, 6, 30), cip, requested_on=date(2025, 12, 1))
    message = " ".join(error.value.message_dict["requested_on"])
    assert "31 décembre 2025" in message
    assert "30 juin 2027" in message


def test_difficulty_extensions_stop_at_three_years_in_total(pass_iae, cip):
    end = date(2026, 12, 31)
    for _year in range(3):
        requested = end - timedelta(days=30)
        end += timedelta(days=365)
        extend(pass_iae, end, cip, requested_on=requested)

    with pytest.raises(ValidationError) as error:
        extend(pass_iae, end + timedelta(days=10), cip, requested_on=end - timedelta(days=30))
    message = " ".join(error.value.message_dict["new_end_date"])
    assert "3 ans" in message
    assert "il reste 0 jours" in message


def test_the_age_ground_needs_50_years(pass_iae, cip):
    with pytest.raises(ValidationError) as error:
        extend(pass_iae, date(2027, 6, 30), cip, reason=ExtensionReason.SENIOR)
    assert "50 ans" in " ".join(error.value.message_dict["reason"])


def test_the_training_ground_stops_at_the_end_of_the_training(pass_iae, cip):
    training = TrainingFactory(
        beneficiary=pass_iae.beneficiary, start_date=date(2026, 9, 1), end_date=date(2027, 3, 31)
    )

    with pytest.raises(ValidationError) as error:
        extend(pass_iae, date(2027, 6, 30), cip, reason=ExtensionReason.TRAINING, training=training)
    assert "31 mars 2027" in " ".join(error.value.message_dict["new_end_date"])

    extend(pass_iae, date(2027, 3, 31), cip, reason=ExtensionReason.TRAINING, training=training)
    assert end_of(pass_iae) == date(2027, 3, 31)
