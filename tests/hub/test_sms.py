"""Text messages: GSM-7 text, stored once, sent once through Brevo's API (a local stand-in
answering as its reference describes), retried on transient failures, refused ones kept
failed, nothing sent in the embedded default (written to var/sms/), numbers masked in logs."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from anima.celery import app as celery_app
from hub import sms
from hub.models import OutgoingSms, SmsStatus
from hub.services import gsm7, gsm7_length, is_mobile, send_sms, status_changes
from hub.tasks import send_outgoing_sms
from hub.workflows import OUTGOING_SMS
from tests.concurrency import run_together
from tests.hub.factories import UserFactory
from tests.workflows import walk_every_move

pytestmark = pytest.mark.django_db

MOBILE = "+33612345678"


def stored(text="Votre commande est en route.", to=MOBILE, key=None, capture=None):
    if capture is None:
        return send_sms(to, text, key)
    with capture(execute=True):
        return send_sms(to, text, key)


def test_french_text_is_made_gsm7_without_losing_the_accents_it_has():
    text = "Arrivée prévue à 14\u00a0h\u00a040 — « êtes-vous là ? » ça, cœur…"

    assert gsm7(text) == 'Arrivée prévue à 14 h 40 - " etes-vous là ? " ca, coeur...'
    assert gsm7("emoji 🚲") == "emoji ?"
    assert gsm7_length("a€[") == 5  # the extension set counts twice


@pytest.mark.parametrize(
    ("number", "mobile"),
    [
        ("+33612345678", True),
        ("+33712345678", True),
        ("+33321000000", False),  # a landline
        ("+32470123456", False),  # a Belgian mobile: French numbers only
        ("", False),
    ],
)
def test_only_french_mobiles_get_text_messages(number, mobile):
    assert is_mobile(number) is mobile


def test_a_message_goes_to_brevo_once_as_its_api_describes(
    sms_standin, django_capture_on_commit_callbacks
):
    message = stored(
        "Votre commande est en route : à tout à l'heure", capture=django_capture_on_commit_callbacks
    )

    assert sms_standin.received == [
        {
            "sender": "Anima",
            "recipient": "33612345678",
            "content": "Votre commande est en route : à tout à l'heure",
            "type": "transactional",
            "tag": "anima",
            "unicodeEnabled": False,
        }
    ]
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT and message.sent_at
    assert message.provider == "brevo" and message.provider_id == "1511882900176220"
    assert sms.send(message.pk) is False  # sent: a second run does nothing
    assert len(sms_standin.received) == 1


def test_a_dedupe_key_stores_one_message(sms_standin, django_capture_on_commit_callbacks):
    first = stored(key="k:1", capture=django_capture_on_commit_callbacks)
    again = stored(key="k:1", capture=django_capture_on_commit_callbacks)

    assert first is not None and again is None
    assert OutgoingSms.objects.count() == 1
    assert len(sms_standin.received) == 1


def test_the_embedded_default_sends_nothing_and_writes_the_message_to_var(
    settings, django_capture_on_commit_callbacks
):
    assert settings.SMS_PROVIDER == ""

    message = stored(
        "Suivi : http://testserver/suivi/abc/", capture=django_capture_on_commit_callbacks
    )

    files = list(settings.SMS_FILE_PATH.iterdir())
    assert len(files) == 1
    text = files[0].read_text()
    assert "To: +33612345678" in text and "From: Anima" in text
    assert "Suivi : http://testserver/suivi/abc/" in text
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT and message.provider == "file"


def test_a_refused_key_leaves_the_message_failed_and_asks_once(
    settings, sms_standin, django_capture_on_commit_callbacks
):
    settings.SMS_API_KEY = "xkeysib-wrong"

    message = stored(capture=django_capture_on_commit_callbacks)

    message.refresh_from_db()
    assert message.status == SmsStatus.FAILED
    assert message.error.startswith("unauthorized")
    assert message.attempts == 1 and sms_standin.received == []
    assert sms.send(message.pk) is False  # refused for good: never tried again
    assert sms.overdue() == []


def test_an_invalid_number_is_refused_for_good(sms_standin, django_capture_on_commit_callbacks):
    sms_standin.invalid_numbers.add("33712345678")

    message = stored(to="+33712345678", capture=django_capture_on_commit_callbacks)

    message.refresh_from_db()
    assert message.status == SmsStatus.FAILED
    assert message.error == "invalid_parameter: Invalid phone number"
    assert sms_standin.requests == 1


def test_no_credit_left_is_a_refusal_staff_see(sms_standin, django_capture_on_commit_callbacks):
    sms_standin.answer_next(402, {"code": "not_enough_credits", "message": "Not enough credits"})

    message = stored(capture=django_capture_on_commit_callbacks)

    message.refresh_from_db()
    assert message.status == SmsStatus.FAILED and message.error.startswith("not_enough_credits")


def run_task(message) -> None:
    """The task as a worker runs it: a transient failure is retried (at once here), the last
    failure stays in the worker (not raised into the test)."""
    conf = celery_app.conf
    saved, conf.task_eager_propagates = conf.task_eager_propagates, False
    try:
        send_outgoing_sms.apply(args=[message.pk])
    finally:
        conf.task_eager_propagates = saved
    message.refresh_from_db()


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_a_server_error_is_tried_again_and_sent_once(status, sms_standin):
    sms_standin.answer_next(status)
    sms_standin.answer_next(status)

    message = stored()
    run_task(message)

    assert message.status == SmsStatus.SENT and message.attempts == 3
    assert sms_standin.requests == 3 and len(sms_standin.received) == 1


def test_a_provider_that_does_not_answer_is_tried_again(sms_standin):
    sms_standin.hang_next()

    message = stored()
    run_task(message)

    assert message.status == SmsStatus.SENT and message.attempts == 2
    assert len(sms_standin.received) == 1


def test_after_the_last_retry_the_message_waits_for_the_sweep(sms_standin):
    for _attempt in range(6):
        sms_standin.answer_next(503)

    message = stored()
    run_task(message)

    assert message.status == SmsStatus.PENDING and message.attempts == 6
    assert message.claim_token is None and sms_standin.received == []


def test_an_unreachable_provider_leaves_the_message_to_the_sweep(settings, sms_standin):
    settings.SMS_API_URL = "http://127.0.0.1:9/v3/transactionalSMS/send"  # nothing listens
    message = stored()

    with pytest.raises(sms.SmsUnavailable):
        sms.send(message.pk)

    message.refresh_from_db()
    assert message.status == SmsStatus.PENDING and message.claim_token is None
    OutgoingSms.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    assert sms.overdue() == [message.pk]
    settings.SMS_API_URL = sms_standin.url
    assert sms.send(message.pk) is True
    assert sms.overdue() == []


def test_a_message_being_sent_is_not_sent_again(sms_standin):
    message = stored()
    assert sms.claim(message.pk) is not None

    assert sms.send(message.pk) is False
    assert sms_standin.requests == 0


def test_logs_never_hold_the_whole_number(sms_standin, caplog, django_capture_on_commit_callbacks):
    sms_standin.answer_next(503)
    sms_standin.invalid_numbers.add("33712345678")
    caplog.set_level(logging.INFO)

    run_task(stored())
    stored(to="+33712345678", capture=django_capture_on_commit_callbacks)

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "+336******78" in logged and "+337******78" in logged
    assert "612345678" not in logged and "712345678" not in logged


def test_a_refusal_quoting_the_number_is_logged_masked(
    sms_standin, caplog, django_capture_on_commit_callbacks
):
    sms_standin.answer_next(
        400, {"code": "invalid_parameter", "message": "Invalid phone number +33712345678"}
    )

    stored(to="+33712345678", capture=django_capture_on_commit_callbacks)

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "refused" in logged and "Invalid phone number +337******78" in logged
    assert "712345678" not in logged


def test_a_refusal_quoting_the_number_is_stored_masked(
    sms_standin, django_capture_on_commit_callbacks
):
    sms_standin.answer_next(
        400, {"code": "invalid_parameter", "message": "Invalid phone number +33712345678"}
    )

    message = stored(to="+33712345678", capture=django_capture_on_commit_callbacks)

    message.refresh_from_db()
    assert message.status == SmsStatus.FAILED
    assert "Invalid phone number +337******78" in message.error
    assert "712345678" not in message.error


def test_a_transient_failure_quoting_the_number_is_logged_masked(sms_standin, caplog):
    sms_standin.answer_next(503, {"code": "unreachable 33712345678", "message": "Try later"})
    message = stored(to="+33712345678")

    with pytest.raises(sms.SmsUnavailable):
        sms.send(message.pk)

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "unreachable 3371*****78" in logged
    assert "712345678" not in logged


def test_the_admin_lists_messages_with_masked_numbers(admin_client, sms_standin):
    stored()

    page = admin_client.get("/admin/hub/outgoingsms/")

    assert page.status_code == 200
    assert "+336******78" in page.text and "612345678" not in page.text


# --- The outbox state: a declared state machine -------------------------------------------------


def test_a_message_makes_every_allowed_move_and_no_other():
    message = stored()
    assert walk_every_move(OUTGOING_SMS, message, UserFactory(), sent_at=timezone.now()) == (2, 7)


def test_a_sent_message_records_its_move_by_the_send(sms_standin):
    message = stored()

    assert sms.send(message.pk) is True

    [change] = status_changes(message)
    assert (change.from_status, change.to_status, change.by) == ("pending", "sent", None)
    assert change.source == "hub.sms.send"


def test_a_refusal_records_its_reason_masked(sms_standin):
    sms_standin.answer_next(
        400, {"code": "invalid_parameter", "message": "Invalid phone number +33712345678"}
    )
    message = stored(to="+33712345678")

    assert sms.send(message.pk) is False

    [change] = status_changes(message)
    assert (change.from_status, change.to_status) == ("pending", "failed")
    assert change.why == "invalid_parameter: Invalid phone number +337******78"


def test_a_send_that_lost_its_claim_settles_nothing(sms_standin):
    message = stored()
    first = sms.claim(message.pk)
    OutgoingSms.objects.filter(pk=message.pk).update(
        claimed_at=timezone.now() - timedelta(hours=1)  # the first send hung: its claim is stale
    )
    second = sms.claim(message.pk)
    assert first and second and first != second

    assert sms.settle(message.pk, first, SmsStatus.SENT, sent_at=timezone.now()) is False
    message.refresh_from_db()
    assert message.status == SmsStatus.PENDING and not status_changes(message).exists()
    assert sms.settle(message.pk, second, SmsStatus.SENT, sent_at=timezone.now()) is True
    assert [c.to_status for c in status_changes(message)] == ["sent"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sends_at_once_send_and_record_the_message_once(sms_standin):
    # Stored without its task (which would send it at once on commit here).
    message = OutgoingSms.objects.create(
        to=MOBILE, body="Votre commande est en route.", sender="Anima"
    )

    run_together([lambda: sms.send(message.pk)] * 3)

    assert len(sms_standin.received) == 1
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT
    assert [(c.from_status, c.to_status) for c in status_changes(message)] == [("pending", "sent")]


def test_the_admin_shows_a_message_status_history(admin_client, sms_standin):
    message = stored()
    sms.send(message.pk)

    page = admin_client.get(f"/admin/hub/outgoingsms/{message.pk}/change/")

    assert page.status_code == 200
    assert "Historique des statuts" in page.text and "Envoyé" in page.text
    assert "612345678" not in page.text
