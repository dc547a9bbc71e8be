"""Shopper news through a real worker: the courier's first stop commits, then the worker tells
each shopper once, by e-mail and by SMS through Brevo's API (a local stand-in)."""

import pytest

from delivery import services as delivery
from hub.models import OutgoingEmail, OutgoingSms, SmsStatus
from tests.delivery.factories import make_delivery, published_round
from tests.integration.conftest import start_worker, wait_for

pytestmark = pytest.mark.integration


def test_the_worker_tells_each_shopper_once_by_email_and_sms(
    transactional_db, tmp_path, sms_standin
):
    first, second = make_delivery(shops=1), make_delivery(shops=1)
    round_ = published_round(deliveries=[first, second])
    worker = start_worker(
        tmp_path,
        SMS_PROVIDER="brevo",
        SMS_API_URL=sms_standin.url,
        SMS_API_KEY=sms_standin.api_key,
    )
    news = OutgoingEmail.objects.filter(dedupe_key__startswith="delivery:news:")
    try:
        stop = round_.stops.order_by("sequence").first()
        delivery.record_pickup(round_.courier.user, stop.pk)

        assert wait_for(
            lambda: (
                OutgoingSms.objects.filter(status=SmsStatus.SENT).count() == 2
                and news.filter(sent_at__isnull=False).count() == 2
            ),
        ), "the worker did not send the news"
    finally:
        worker.stop()
    assert sorted(news.values_list("to", flat=True)) == sorted(
        [first.contact_email, second.contact_email]
    )
    assert len(sms_standin.received) == 2
    assert {m["recipient"] for m in sms_standin.received} == {"33612345678"}
    written = [path.read_text() for path in (tmp_path / "var" / "mail").iterdir()]
    assert sum("est en route" in text or "prochain arr" in text for text in written) == 2
