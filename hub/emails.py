"""Sending stored e-mails exactly once: the row decides, not the broker.

A send claims its row with a conditional UPDATE (a token and the time), calls the mail server,
then marks the row sent only if its claim still holds. A worker killed in between leaves a claim
that goes stale; the sweep (every minute, run by beat) queues again every e-mail unsent after a
grace period whose claim is absent or stale. The one window left is a worker killed after the
mail server accepted the message and before the row was marked: that e-mail goes out twice,
with the same Message-ID so that mail clients show it once.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone

from hub.models import OutgoingEmail

logger = logging.getLogger(__name__)


def _claimable(now) -> Q:
    stale = now - timedelta(seconds=settings.OUTGOING_EMAIL_CLAIM_TIMEOUT_SECONDS)
    return Q(sent_at__isnull=True, attempts__lt=settings.OUTGOING_EMAIL_MAX_ATTEMPTS) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
    )


def claim(email_id: int) -> uuid.UUID | None:
    """Take the right to send one e-mail; None when it is sent or another send holds it."""
    token = uuid.uuid4()
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(_claimable(now), pk=email_id).update(
        claim_token=token, claimed_at=now, attempts=F("attempts") + 1
    )
    return token if claimed else None


def release(email_id: int, token: uuid.UUID) -> None:
    """Give the claim back after a failed attempt, so that a retry can send at once."""
    OutgoingEmail.objects.filter(pk=email_id, claim_token=token, sent_at__isnull=True).update(
        claim_token=None, claimed_at=None
    )


def message_id(email: OutgoingEmail) -> str:
    """The same Message-ID on every attempt of one stored e-mail."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ")
    return f"<outgoing-{email.pk}-{email.created_at:%Y%m%d%H%M%S}@{domain}>"


def headers(email: OutgoingEmail) -> dict[str, str]:
    """The extra headers of one stored e-mail: its Message-ID, and the one-click unsubscribe
    (RFC 2369, RFC 8058) when it says where the recipient stops such messages."""
    extra = {"Message-ID": message_id(email)}
    if email.unsubscribe_url:
        extra["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        extra["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return extra


def send(email_id: int) -> bool:
    """Send one stored e-mail unless it is sent or being sent; True when this call sent it."""
    token = claim(email_id)
    if token is None:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        email.subject,
        email.body_text,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers=headers(email),
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as error:
        # Which e-mail and the class of error only: an SMTP refusal quotes the address.
        logger.warning(
            "E-mail %s could not be sent (%s); it will be tried again.",
            email_id,
            type(error).__name__,
        )
        release(email_id, token)
        raise
    marked = OutgoingEmail.objects.filter(pk=email_id, claim_token=token).update(
        sent_at=timezone.now()
    )
    if not marked:
        logger.warning("E-mail %s was sent after its claim went stale.", email_id)
    return True


def overdue() -> list[int]:
    """E-mails still unsent after the grace period and not being sent right now."""
    now = timezone.now()
    grace = now - timedelta(seconds=settings.OUTGOING_EMAIL_GRACE_SECONDS)
    return list(
        OutgoingEmail.objects.filter(_claimable(now), created_at__lte=grace)
        .order_by("created_at")
        .values_list("pk", flat=True)[: settings.OUTGOING_EMAIL_SWEEP_BATCH]
    )
