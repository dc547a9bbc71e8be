"""Provider errors stored before masking quoted whole phone numbers: the data migration masks
them as new errors are, and the admin shows only masked errors."""

from importlib import import_module

import pytest
from django.apps import apps

from hub.models import OutgoingSms, SmsStatus

pytestmark = pytest.mark.django_db

RAW = "invalid_parameter: Invalid phone number +33612345678 (also 06 12 34 56 79)"
MASKED = "invalid_parameter: Invalid phone number +336******78 (also 06 1********79)"


def refused(error: str) -> OutgoingSms:
    """A refused message as rows written before masking hold it (the error as the provider
    said it)."""
    return OutgoingSms.objects.create(
        to="+33612345678",
        body="Votre commande est en route.",
        sender="Anima",
        status=SmsStatus.FAILED,
        provider="brevo",
        error=error,
    )


def test_the_migration_masks_the_numbers_of_stored_errors_once():
    mask_errors = import_module("hub.migrations.0010_mask_sms_errors").mask_errors
    old = refused(RAW)
    already = refused(MASKED)
    wordy = refused("key_not_found: Key not found")
    sent = OutgoingSms.objects.create(to="+33612345679", body="Bonjour", sender="Anima")

    assert mask_errors(apps, None) == 1

    for message in (old, already, wordy, sent):
        message.refresh_from_db()
    assert old.error == MASKED
    assert already.error == MASKED and wordy.error == "key_not_found: Key not found"
    assert sent.error == ""
    assert mask_errors(apps, None) == 0  # run again: nothing left to mask


def test_the_admin_shows_an_unmasked_stored_error_masked(admin_client):
    message = refused(RAW)

    listing = admin_client.get("/admin/hub/outgoingsms/")
    detail = admin_client.get(f"/admin/hub/outgoingsms/{message.pk}/change/")

    for page in (listing, detail):
        assert page.status_code == 200
        assert "Invalid phone number +336******78" in page.text
        assert "612345678" not in page.text and "12 34 56 79" not in page.text
