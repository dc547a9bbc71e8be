"""E-mails are rendered in French, sent after commit by a task, and sent once — also when a
worker died or a message was lost (the sweep)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from hub import emails
from hub.models import OutgoingEmail
from hub.services import send_email
from hub.tasks import resend_overdue_emails, send_outgoing_email
from tests.concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)

TEMPLATE = "account/email/password_reset_key"  # any pair of templates from the project works


def test_it_is_sent_only_after_the_transaction_commits():
    with transaction.atomic():
        send_email("camille@exemple.fr", TEMPLATE, {"password_reset_url": "http://x/y"})
        assert mail.outbox == []

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camille@exemple.fr"]
    assert OutgoingEmail.objects.get().sent_at is not None


def test_nothing_is_sent_when_the_transaction_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_email("camille@exemple.fr", TEMPLATE, {"password_reset_url": "http://x/y"})
        raise RuntimeError("the surrounding action failed")

    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_a_dedupe_key_sends_a_reminder_once():
    first = send_email("a@exemple.fr", TEMPLATE, {"password_reset_url": "u"}, dedupe_key="r:1")
    second = send_email("a@exemple.fr", TEMPLATE, {"password_reset_url": "u"}, dedupe_key="r:1")

    assert first is not None
    assert second is None
    assert len(mail.outbox) == 1


def test_running_the_send_task_twice_sends_once():
    email = send_email("a@exemple.fr", TEMPLATE, {"password_reset_url": "u"})

    send_outgoing_email(email.pk)
    send_outgoing_email(email.pk)

    assert len(mail.outbox) == 1


def test_it_is_written_in_french():
    send_email("a@exemple.fr", TEMPLATE, {"password_reset_url": "u"})
    assert "mot de passe" in mail.outbox[0].body.lower()


def _age(email, seconds: int, **fields) -> None:
    """Move an e-mail (and its claim) ``seconds`` into the past."""
    then = timezone.now() - timedelta(seconds=seconds)
    OutgoingEmail.objects.filter(pk=email.pk).update(created_at=then, **fields)


def _unqueued_email() -> OutgoingEmail:
    """A stored e-mail whose message never reached a worker (broker down, message lost)."""
    return OutgoingEmail.objects.create(to="a@exemple.fr", subject="Commande", body_text="…")


def test_the_sweep_sends_an_email_left_unsent_after_the_grace_period(settings):
    email = _unqueued_email()
    _age(email, settings.OUTGOING_EMAIL_GRACE_SECONDS + 1)

    assert resend_overdue_emails() == 1

    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get().sent_at is not None


def test_the_sweep_leaves_an_email_within_its_grace_period():
    _unqueued_email()

    assert resend_overdue_emails() == 0
    assert mail.outbox == []


def test_the_sweep_leaves_an_email_another_worker_is_sending(settings):
    email = _unqueued_email()
    _age(email, settings.OUTGOING_EMAIL_GRACE_SECONDS + 1)
    emails.claim(email.pk)

    assert resend_overdue_emails() == 0
    assert mail.outbox == []


def test_the_sweep_takes_over_the_claim_of_a_worker_that_died(settings):
    email = _unqueued_email()
    emails.claim(email.pk)
    stale = settings.OUTGOING_EMAIL_CLAIM_TIMEOUT_SECONDS + 1
    _age(email, stale, claimed_at=timezone.now() - timedelta(seconds=stale))

    assert resend_overdue_emails() == 1

    assert len(mail.outbox) == 1


def test_running_the_sweep_twice_sends_once(settings):
    email = _unqueued_email()
    _age(email, settings.OUTGOING_EMAIL_GRACE_SECONDS + 1)

    resend_overdue_emails()
    resend_overdue_emails()

    assert len(mail.outbox) == 1


def test_a_failed_send_gives_its_claim_back_for_the_retry(monkeypatch):
    email = _unqueued_email()

    def refuse(self, messages):
        raise OSError("the mail server is down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(OSError):
        emails.send(email.pk)
    monkeypatch.undo()

    assert emails.send(email.pk) is True
    assert len(mail.outbox) == 1


def test_an_email_failing_every_time_stops_being_retried(settings):
    email = _unqueued_email()
    _age(email, settings.OUTGOING_EMAIL_GRACE_SECONDS + 1)
    OutgoingEmail.objects.filter(pk=email.pk).update(attempts=settings.OUTGOING_EMAIL_MAX_ATTEMPTS)

    assert resend_overdue_emails() == 0


def test_every_attempt_of_an_email_carries_the_same_message_id():
    email = send_email("a@exemple.fr", TEMPLATE, {"password_reset_url": "u"})
    OutgoingEmail.objects.filter(pk=email.pk).update(sent_at=None, claimed_at=None)
    emails.send(email.pk)

    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]


def test_the_sweep_is_scheduled_every_minute():
    task = PeriodicTask.objects.get(task="hub.tasks.resend_overdue_emails")

    assert task.interval.every == 60
    assert task.enabled


@pytest.mark.postgres
def test_two_workers_sending_the_same_email_at_once_send_it_once():
    email = _unqueued_email()
    results = []

    def send():
        results.append(emails.send(email.pk))

    run_together([send] * 4)

    assert sorted(results) == [False, False, False, True]
    assert len(mail.outbox) == 1
