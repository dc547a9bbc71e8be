"""E-mails are rendered in French, sent after commit by a task, and sent once."""

import pytest
from django.core import mail
from django.db import transaction

from hub.models import OutgoingEmail
from hub.services import send_email
from hub.tasks import send_outgoing_email

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
