"""Operators see the integration points in the logs, with the request id and no personal data."""

import logging

import pytest
from celery.app.task import Context
from django.core import mail
from django.http import HttpResponse
from django.test import RequestFactory

from anima.sentry import scrub
from hub import emails, request_id, task_log
from hub.models import OutgoingEmail
from hub.request_id import RequestIdFilter, RequestIdMiddleware, current_request_id

ADDRESS = "camille.durand@exemple.fr"


def records(caplog, logger: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == logger]


@pytest.mark.django_db
def test_a_failed_email_is_a_warning_naming_the_email_not_the_person(monkeypatch, caplog):
    email = OutgoingEmail.objects.create(to=ADDRESS, subject="Votre commande", body_text="…")

    def refuse(self, messages):
        raise OSError(f"550 {ADDRESS}: recipient refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with caplog.at_level(logging.INFO), pytest.raises(OSError):
        emails.send(email.pk)

    [record] = records(caplog, "hub.emails")
    assert record.levelno == logging.WARNING
    assert (
        record.getMessage()
        == f"E-mail {email.pk} could not be sent (OSError); it will be tried again."
    )
    assert ADDRESS not in caplog.text
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_webhook_with_a_bad_signature_is_logged_as_rejected(client, stripe_standin, caplog):
    body, _signature = stripe_standin.signed({"id": "evt_1", "type": "checkout.session.completed"})

    with caplog.at_level(logging.INFO):
        response = client.post(
            "/paiement/webhook/",
            data=body,
            content_type="application/json",
            headers={"Stripe-Signature": "t=1,v1=forged"},
        )

    assert response.status_code == 400
    [record] = records(caplog, "hub.views.payments")
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith("Payment webhook rejected: bad signature")


def test_the_request_id_offered_by_the_proxy_is_kept_and_sent_back():
    seen = []
    middleware = RequestIdMiddleware(
        lambda request: seen.append(current_request_id()) or HttpResponse()
    )

    response = middleware(RequestFactory().get("/", headers={"X-Request-ID": "proxy-abc-12345"}))

    assert seen == ["proxy-abc-12345"]
    assert response["X-Request-ID"] == "proxy-abc-12345"
    assert current_request_id() == "-"


def test_a_missing_or_odd_request_id_is_replaced_by_a_new_one():
    middleware = RequestIdMiddleware(lambda request: HttpResponse())

    made = middleware(RequestFactory().get("/"))["X-Request-ID"]
    odd = middleware(RequestFactory().get("/", headers={"X-Request-ID": "<script>"}))

    assert len(made) == 32
    assert odd["X-Request-ID"] not in ("<script>", made)


def test_every_log_record_carries_the_request_id():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    token = request_id._current.set("abcdef123456")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id._current.reset(token)

    assert record.request_id == "abcdef123456"


def test_a_task_queued_by_a_request_logs_under_that_request_id():
    headers: dict = {}
    token = request_id._current.set("abcdef123456")
    try:
        request_id._carry_into_task(headers=headers)
    finally:
        request_id._current.reset(token)
    assert headers == {request_id.TASK_HEADER: "abcdef123456"}

    class Task:
        request = Context({request_id.TASK_HEADER: "abcdef123456"})

    request_id._adopt_from_message(task_id="t1", task=Task())
    assert current_request_id() == "abcdef123456"
    request_id._forget(task_id="t1")
    assert current_request_id() == "-"


def test_a_scheduled_job_logs_how_many_things_it_handled(caplog):
    class Task:
        name = "shop.tasks.release_unaccepted_orders"

    with caplog.at_level(logging.INFO):
        task_log._finished(task=Task(), retval=3, state="SUCCESS")

    [record] = records(caplog, "hub.task_log")
    assert record.getMessage() == "Task shop.tasks.release_unaccepted_orders done: 3 handled."


def test_error_reports_leave_out_request_bodies_users_and_local_variables():
    event = {
        "request": {"url": "https://anima/x", "data": {"email": ADDRESS}, "cookies": "s=1"},
        "user": {"id": 7, "email": ADDRESS, "ip_address": "1.2.3.4"},
        "exception": {"values": [{"stacktrace": {"frames": [{"vars": {"email": ADDRESS}}]}}]},
    }

    scrubbed = scrub(event)

    assert ADDRESS not in repr(scrubbed)
    assert scrubbed["user"] == {"id": 7}
    assert scrubbed["request"]["url"] == "https://anima/x"
