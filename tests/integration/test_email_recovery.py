"""A worker killed with SIGKILL in the middle of sending: once it is started again (and the
sweep beat runs every minute has run), every stored e-mail is sent, and sent once."""

import re
from collections import Counter

import pytest
from django.db import transaction

from hub import emails
from hub.models import Heartbeat, OutgoingEmail
from hub.services import send_email
from hub.tasks import heartbeat, resend_overdue_emails
from tests.integration.conftest import start_worker, wait_for
from tests.shop.factories import ProductFactory, place

pytestmark = pytest.mark.integration

COUNT = 40
HUNG = "client15@exemple.fr"


def _sent_message_ids(folder) -> Counter:
    ids = Counter()
    for path in folder.glob("*.log"):
        ids.update(re.findall(r"^Message-ID: (\S+)$", path.read_text(), flags=re.MULTILINE))
    return ids


def _an_order():
    """Placed before the worker starts, its own e-mails removed: only the 40 below are sent."""
    product = ProductFactory()
    order = place(product.merchant.owner, (product, 1), fulfilment="collect")
    OutgoingEmail.objects.all().delete()
    return order


def _queue_order_emails(order) -> list[OutgoingEmail]:
    with transaction.atomic():
        return [
            send_email(f"client{number}@exemple.fr", "shop/email/order_placed", {"order": order})
            for number in range(1, COUNT + 1)
        ]


def _sweep_until_all_sent() -> bool:
    """Publish the sweep as beat would, again while some e-mails are left unsent."""
    for _ in range(200):
        resend_overdue_emails.delay()
        if wait_for(lambda: not OutgoingEmail.objects.filter(sent_at=None).exists(), 3):
            return True
    return False


def _drain(worker) -> None:
    """The solo worker runs its queue in order: once a heartbeat sent last is recorded, every
    task queued before it (sweeps, sends) has run."""
    Heartbeat.objects.all().delete()
    heartbeat.delay()
    assert wait_for(lambda: Heartbeat.objects.filter(component="worker").exists())


def test_every_email_is_sent_exactly_once_after_the_worker_is_killed(transactional_db, tmp_path):
    order = _an_order()
    marker = tmp_path / "hanging"
    worker = start_worker(
        tmp_path,
        DJANGO_SETTINGS_MODULE="tests.integration.worker_settings",
        ANIMA_TEST_HANG_MARKER=str(marker),
        ANIMA_TEST_HANG_ON=HUNG,
        # No grace and a short claim here: the sweep is published by this test, and the claim
        # left by the killed worker must go stale within the test.
        OUTGOING_EMAIL_GRACE_SECONDS="0",
        OUTGOING_EMAIL_CLAIM_TIMEOUT_SECONDS="5",
    )
    try:
        stored = _queue_order_emails(order)
        assert wait_for(marker.exists), "the worker never reached the e-mail it hangs on"
        assert OutgoingEmail.objects.exclude(sent_at=None).exists()

        worker.kill()
        assert OutgoingEmail.objects.filter(sent_at=None).exists()
        worker.start()

        assert _sweep_until_all_sent(), "some stored e-mails were never sent"
        _drain(worker)
    finally:
        worker.stop()

    sent = _sent_message_ids(worker.mail_folder)
    assert {emails.message_id(email): 1 for email in stored} == {
        message_id: sent[message_id] for message_id in map(emails.message_id, stored)
    }, "an e-mail was lost or sent twice"
