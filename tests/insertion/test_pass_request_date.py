"""A PASS IAE extension is dated the day it was really asked for, never a day to come."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from insertion.choices import ExtensionReason
from insertion.models import PassExtension, PassIae
from insertion.passes import extend_pass
from tests.insertion.factories import PassFactory

pytestmark = pytest.mark.django_db


def request(pass_iae, requested_on):
    return PassExtension(
        pass_iae=pass_iae,
        requested_on=requested_on,
        reason=ExtensionReason.DIFFICULTIES,
        details="Hébergement instable, démarches de santé en cours.",
    )


def test_a_request_dated_in_the_future_cannot_open_the_window_early(cip):
    pass_iae = PassFactory(start_date=date(2025, 1, 1))  # ends 31 December 2026
    # On 1 October 2025 the window (from 31 December 2025) is not open yet; a request dated
    # 15 January 2026 would fall inside it.
    with pytest.raises(ValidationError) as error:
        extend_pass(
            request(pass_iae, date(2026, 1, 15)), date(2027, 6, 30), cip, today=date(2025, 10, 1)
        )

    message = " ".join(error.value.message_dict["requested_on"])
    assert "à venir" in message
    assert "1er octobre 2025" in message
    assert PassIae.objects.get(pk=pass_iae.pk).end_date == date(2026, 12, 31)


def test_a_request_made_today_within_the_window_is_recorded(cip):
    pass_iae = PassFactory(start_date=date(2025, 1, 1))

    extend_pass(
        request(pass_iae, date(2026, 1, 15)), date(2027, 6, 30), cip, today=date(2026, 1, 15)
    )

    assert PassIae.objects.get(pk=pass_iae.pk).end_date == date(2027, 6, 30)


def test_the_extension_form_refuses_a_request_date_to_come(client, cip):
    today = timezone.localdate()
    pass_iae = PassFactory(start_date=today - timedelta(days=400))  # window open since a month
    client.force_login(cip)

    response = client.post(
        reverse("insertion:pass_extend", args=[pass_iae.pk]),
        {
            "requested_on": (today + timedelta(days=5)).isoformat(),
            "new_end_date": (pass_iae.end_date + timedelta(days=90)).isoformat(),
            "reason": "difficulties",
            "details": "Hébergement instable.",
        },
    )

    assert response.status_code == 400
    assert "à venir" in response.content.decode()
    assert not PassExtension.objects.exists()
