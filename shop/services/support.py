"""Merchants' requests for help from the multimedia workshop, followed by staff.

Each step reaches the other side by one e-mail: a request or a shop's message goes to the
workshop (``SHOP_WORKSHOP_EMAIL``), the workshop's answer — messages and a new status saved
together — goes to the shop once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shop import notifications
from shop.models import Merchant, SupportComment, SupportRequest


@transaction.atomic
def open_support_request(merchant: Merchant, author, kind: str, subject: str, description: str):
    """A shop member asks the multimedia workshop for help; the workshop is e-mailed."""
    support = SupportRequest(
        merchant=merchant, author=author, kind=kind, subject=subject, description=description
    )
    support.full_clean()
    support.save()
    notifications.support_requested(support)
    return support


@transaction.atomic
def comment_support_request(support: SupportRequest, author, body: str) -> SupportComment:
    """A shop member writes on the request; the workshop is e-mailed."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Écrivez votre message.")})
    comment = SupportComment.objects.create(
        request=support, author=author, body=body, from_staff=False
    )
    support.save(update_fields=["updated_at"])
    notifications.support_commented(support, comment)
    return comment


@transaction.atomic
def answer_support_request(
    support: SupportRequest, author, bodies: list[str], status_changed: bool
) -> list[SupportComment]:
    """The workshop answers (messages) and/or moves the status: the shop gets one e-mail."""
    comments = [
        SupportComment.objects.create(
            request=support, author=author, body=body.strip(), from_staff=True
        )
        for body in bodies
        if body.strip()
    ]
    if comments or status_changed:
        support.save(update_fields=["updated_at"])
        notifications.support_updated(support, comments)
    return comments
