"""Reminder e-mails to the counsellor, once per event, and the counsellor's dashboard panel."""

from datetime import date, timedelta

import pytest
from django.core import mail

from hub.models import OutgoingEmail
from hub.registry import registry
from insertion.dashboard import counsellor_lines
from insertion.reminders import send_reminders
from tests.insertion.factories import (
    BeneficiaryFactory,
    ContractFactory,
    ExitFactory,
    InterviewFactory,
    PassFactory,
)

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 2)


@pytest.fixture
def person(cip):
    person = BeneficiaryFactory(counsellor=cip, first_name="Inès", last_name="Lefort")
    InterviewFactory(beneficiary=person, date=TODAY - timedelta(days=3))
    return person


def subjects():
    return sorted(OutgoingEmail.objects.values_list("subject", flat=True))


def test_a_contract_end_sends_a_60_day_then_a_30_day_reminder(person):
    ContractFactory(
        beneficiary=person, start_date=date(2025, 1, 1), end_date=TODAY + timedelta(days=45)
    )
    InterviewFactory(beneficiary=person, date=TODAY)

    assert send_reminders(TODAY) == 1
    assert send_reminders(TODAY) == 0  # the next run does not send it again
    assert send_reminders(TODAY + timedelta(days=20)) == 1

    assert subjects() == [
        f"Suivi insertion — Contrat se terminant dans moins de 30 jours ({person.reference})",
        f"Suivi insertion — Contrat se terminant dans moins de 60 jours ({person.reference})",
    ]


def test_the_e_mail_goes_to_the_counsellor_without_the_persons_name(
    person, cip, django_capture_on_commit_callbacks
):
    ContractFactory(
        beneficiary=person, start_date=date(2025, 1, 1), end_date=TODAY + timedelta(days=10)
    )

    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(TODAY)

    message = mail.outbox[0]
    assert message.to == [cip.email]
    assert "Lefort" not in message.subject + message.body
    assert "I. L." in message.body
    assert f"http://testserver/insertion/{person.pk}/" in message.body
    assert "12 juin 2025" in message.body


def test_a_pass_ending_within_90_days_is_reminded_once(person):
    ContractFactory(beneficiary=person, start_date=date(2024, 1, 1), end_date=date(2025, 12, 31))
    PassFactory(beneficiary=person, start_date=date(2023, 8, 1))  # ends 31 July 2025

    send_reminders(TODAY)
    send_reminders(TODAY + timedelta(days=1))

    assert [s for s in subjects() if "PASS IAE" in s] == [
        f"Suivi insertion — PASS IAE expirant dans moins de 90 jours ({person.reference})"
    ]


def test_an_overdue_interview_is_reminded_until_the_next_interview(cip):
    quiet = BeneficiaryFactory(counsellor=cip)
    ContractFactory(beneficiary=quiet, start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))
    InterviewFactory(beneficiary=quiet, date=date(2025, 4, 1))

    assert send_reminders(TODAY) == 1
    assert send_reminders(TODAY + timedelta(days=7)) == 0
    InterviewFactory(beneficiary=quiet, date=TODAY)
    assert send_reminders(TODAY + timedelta(days=7)) == 0
    assert send_reminders(TODAY + timedelta(weeks=5)) == 1


def test_the_esf_six_month_check_is_reminded_until_recorded(cip):
    left = BeneficiaryFactory(counsellor=cip)
    ContractFactory(beneficiary=left, start_date=date(2024, 1, 1), end_date=date(2024, 11, 30))
    exit_record = ExitFactory(beneficiary=left, date=date(2024, 11, 30))

    assert send_reminders(date(2025, 5, 29)) == 0
    assert send_reminders(date(2025, 5, 30)) == 1
    exit_record.followup_on = date(2025, 6, 1)
    exit_record.save()
    OutgoingEmail.objects.all().delete()
    assert send_reminders(date(2025, 6, 2)) == 0


def test_nobody_is_reminded_without_a_counsellor():
    ContractFactory(start_date=date(2025, 1, 1), end_date=TODAY + timedelta(days=10))

    assert send_reminders(TODAY) == 0


def test_the_counsellor_panel_counts_what_is_due_in_their_caseload(cip, person):
    from django.utils import timezone

    today = timezone.localdate()
    ContractFactory(
        beneficiary=person,
        start_date=today - timedelta(days=150),
        end_date=today + timedelta(days=20),
    )
    ContractFactory(start_date=today - timedelta(days=150), end_date=today + timedelta(days=20))

    lines = {line.label: line for line in counsellor_lines(cip)}

    assert lines["Contrats finissant sous 30 jours"].count == 1
    assert lines["Contrats finissant sous 60 jours"].count == 1
    assert lines["Contrats finissant sous 30 jours"].url == "/insertion/?mine=1&contract_ending=30"
    assert {line.count for line in lines.values()} <= {0, 1}


def test_the_panel_is_for_counsellors_only():
    panels = [panel for panel in registry.dashboard if panel.lines is counsellor_lines]
    assert [panel.role for panel in panels] == ["cip"]
