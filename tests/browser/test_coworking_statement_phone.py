"""The monthly statement on a 360 px phone: the amounts and the total stay on screen."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coworking.models import Booking, BookingStatus, Pass, PassKind
from tests.browser.conftest import horizontal_overflow
from tests.browser.test_coworking_booking import signed_in
from tests.coworking.factories import RoomFactory
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_statement_shows_the_amount_column_and_the_total_at_360_px(browser, live_server):
    user = UserFactory(first_name="Maëlle", last_name="Vandewalle-Delattre")
    room = RoomFactory(
        name="Salle de réunion du premier étage (grande)", space__name="Le Lieu Commun"
    )
    start = timezone.now().replace(day=1, hour=9, minute=0, second=0, microsecond=0)
    for day in range(3):
        Booking.objects.create(
            resource=room,
            user=user,
            start=start + timedelta(days=day),
            end=start + timedelta(days=day, hours=3),
            status=BookingStatus.LATE_CANCELLED if day == 2 else BookingStatus.CONFIRMED,
            price=Decimal("1234.50"),
            amount_due=Decimal("1234.50"),
            exclusive=True,
        )
    Pass.objects.create(
        user=user,
        kind=PassKind.CARD,
        credits=10,
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + timedelta(days=365),
        price=Decimal("150.00"),
    )
    phone = signed_in(browser, live_server, user)
    today = timezone.localdate()

    phone.goto(f"{phone.base_url}/espaces/releve/{today.year}/{today.month}/")

    assert horizontal_overflow(phone) == 0
    width = phone.viewport_size["width"]
    for target in (
        phone.get_by_role("columnheader", name="Montant"),
        phone.locator("tfoot td"),
        phone.locator("tbody tr").first.locator("td.num"),
    ):
        box = target.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    total = phone.locator("tfoot").inner_text()
    assert "3 853,50 €" in total.replace("\u202f", " ").replace("\u00a0", " ")
    phone.context.close()
