"""Merchants' requests for help from the multimedia workshop, followed by staff."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shop import notifications
from shop.models import Merchant, SupportComment, SupportRequest


@transaction.atomic
def open_support_request(merchant: Merchant, author, kind: str, subject: str, description: str):
    """A shop member asks the multimedia workshop for help."""
    support = SupportRequest(
        merchant=merchant, author=author, kind=kind, subject=subject, description=description
    )
    support.full_clean()
    support.save()
    return support


@transaction.atomic
def comment_support_request(support: SupportRequest, author, body: str, from_staff: bool):
    """Add a message to the request; the shop is told when the workshop writes."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Écrivez votre message.")})
    comment = SupportComment.objects.create(
        request=support, author=author, body=body, from_staff=from_staff
    )
    support.save(update_fields=["updated_at"])
    if from_staff:
        notifications.support_updated(support, comment)
    return comment


def notify_support_status(support: SupportRequest) -> None:
    """Tell the shop that the workshop changed the request's status."""
    notifications.support_updated(support)
