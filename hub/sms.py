"""Text messages (SMS): composed by the apps, stored, sent exactly once by a task after commit.

The text is made GSM-7 (the SMS alphabet: é è à ù are in it, ê ç « » and the non-breaking
space are not — one character outside it and the whole message goes as UCS-2, 70 characters
a part instead of 160): what is outside is folded (« ê » → « e », « « » → « " »).

Sending follows the stored e-mails (``hub.emails``): a send claims its row, calls the
provider, marks the row sent if its claim still holds; a transient failure (timeout, network,
429, 5xx) releases the claim and the task retries with back-off; a refusal retrying cannot
change (invalid number 400, key refused 401/403, no credit 402) marks the row failed with the
provider's code. A sweep queues again what a lost message or a killed worker left.

Providers (``SMS_PROVIDER``): none, the default — nothing leaves the machine, each message is
written to ``SMS_FILE_PATH`` (var/sms/); "brevo" — Brevo's transactional SMS API
(``POST /v3/transactionalSMS/send``, ``api-key`` header, JSON body, 201 ``{"messageId"}``,
errors ``{"code", "message"}``).
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from anima.celery import enqueue_on_commit
from hub.models import OutgoingSms, SmsStatus, masked
from hub.workflow import transition

logger = logging.getLogger(__name__)

# GSM 03.38: the basic set, and the extension set (each of those counts twice).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")
SMS_PART = 160
REPLACEMENTS = {
    "\u00a0": " ",  # non-breaking space
    "\u202f": " ",  # narrow non-breaking space
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "–": "-",
    "—": "-",
    "…": "...",
    "·": ".",
    "œ": "oe",
    "Œ": "OE",
}
FRENCH_MOBILE = re.compile(r"^\+33[67]\d{8}$")


class SmsUnavailable(Exception):
    """The provider could not take the message now (network, timeout, 429, 5xx): retry."""


class SmsRefused(Exception):
    """The provider refused the message for good (invalid number, key, credit)."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code


def gsm7(text: str) -> str:
    """``text`` in the GSM-7 alphabet: characters outside it folded, « ? » when nothing fits."""
    out = []
    for char in text:
        if char in GSM7_BASIC or char in GSM7_EXTENSION:
            out.append(char)
        elif char in REPLACEMENTS:
            out.append(REPLACEMENTS[char])
        else:
            folded = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            ok = folded and all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in folded)
            out.append(folded if ok else "?")
    return "".join(out)


def gsm7_length(text: str) -> int:
    """Characters as an operator counts them (the extension set counts twice)."""
    return sum(2 if char in GSM7_EXTENSION else 1 for char in text)


def is_mobile(number: str) -> bool:
    """A French mobile number in E.164 (+336…, +337…): the ones a text message reaches."""
    return bool(FRENCH_MOBILE.match(number or ""))


def send_sms(to: str, text: str, dedupe_key: str | None = None) -> OutgoingSms | None:
    """Store a text message to ``to`` (a mobile number in E.164) and send it after commit;
    None when ``dedupe_key`` was already used (the message exists already)."""
    body = gsm7(" ".join(text.split()))[:640]
    if gsm7_length(body) > SMS_PART:
        logger.info("SMS %s is %d characters: sent in several parts.", dedupe_key, len(body))
    fields = {"to": to, "body": body, "sender": settings.SMS_SENDER[:11]}
    with transaction.atomic():
        if dedupe_key:
            sms, created = OutgoingSms.objects.get_or_create(dedupe_key=dedupe_key, defaults=fields)
            if not created:
                return None
        else:
            sms = OutgoingSms.objects.create(**fields)
        from hub.tasks import send_outgoing_sms

        enqueue_on_commit(send_outgoing_sms, sms.pk)
    return sms


def _claimable(now) -> Q:
    stale = now - timedelta(seconds=settings.OUTGOING_SMS_CLAIM_TIMEOUT_SECONDS)
    return Q(status=SmsStatus.PENDING, attempts__lt=settings.OUTGOING_SMS_MAX_ATTEMPTS) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
    )


def claim(sms_id: int) -> uuid.UUID | None:
    """Take the right to send one message; None when it is sent, refused or being sent."""
    token = uuid.uuid4()
    now = timezone.now()
    claimed = OutgoingSms.objects.filter(_claimable(now), pk=sms_id).update(
        claim_token=token, claimed_at=now, attempts=F("attempts") + 1
    )
    return token if claimed else None


def release(sms_id: int, token: uuid.UUID) -> None:
    """Give the claim back after a transient failure, so that the retry can send at once."""
    OutgoingSms.objects.filter(pk=sms_id, claim_token=token, status=SmsStatus.PENDING).update(
        claim_token=None, claimed_at=None
    )


# A phone number in free text: 8 digits or more, maybe after « + », maybe spaced or dotted.
NUMBER_LIKE = re.compile(r"\+?\d(?:[ .-]?\d){7,}")


def masked_numbers(text: str) -> str:
    """``text`` with every phone-number-like run masked as ``masked`` does (a provider's refusal
    may quote the number)."""
    return NUMBER_LIKE.sub(lambda match: masked(match.group()), text)


def send(sms_id: int) -> bool:
    """Send one stored message unless it is sent or being sent; True when this call sent it.
    Raises ``SmsUnavailable`` for the task to retry later."""
    token = claim(sms_id)
    if token is None:
        return False
    sms = OutgoingSms.objects.get(pk=sms_id)
    provider = settings.SMS_PROVIDER or "file"
    try:
        reference = BACKENDS[provider](sms)
    except SmsUnavailable as error:
        logger.warning(
            "SMS %s to %s not sent (%s); it will be tried again.",
            sms_id,
            masked(sms.to),
            masked_numbers(str(error)),
        )
        release(sms_id, token)
        raise
    except SmsRefused as error:
        logger.error(
            "SMS %s to %s refused by %s: %s.",
            sms_id,
            masked(sms.to),
            provider,
            masked_numbers(str(error)),
        )
        error_text = masked_numbers(str(error))[:250]
        settle(sms_id, token, SmsStatus.FAILED, provider=provider, error=error_text)
        return False
    marked = settle(
        sms_id,
        token,
        SmsStatus.SENT,
        sent_at=timezone.now(),
        provider=provider,
        provider_id=reference,
    )
    if not marked:
        logger.warning("SMS %s was sent after its claim went stale.", sms_id)
    logger.info("SMS %s to %s sent through %s (%s).", sms_id, masked(sms.to), provider, reference)
    return True


def settle(sms_id: int, token: uuid.UUID, status: str, **values: Any) -> bool:
    """Move a message to sent or failed, with ``values``, if this send's claim still holds;
    False when the claim was lost. The row is locked first: a new claim waits, then finds the
    message no longer pending."""
    with transaction.atomic():
        sms = OutgoingSms.objects.select_for_update().filter(pk=sms_id, claim_token=token).first()
        if sms is None:
            return False
        for name, value in values.items():
            setattr(sms, name, value)
        why = values.get("error", "")
        transition(sms, status, why=why, source="hub.sms.send", fields=list(values))
    return True


def overdue() -> list[int]:
    """Messages still unsent after the grace period and not being sent right now."""
    now = timezone.now()
    grace = now - timedelta(seconds=settings.OUTGOING_SMS_GRACE_SECONDS)
    return list(
        OutgoingSms.objects.filter(_claimable(now), created_at__lte=grace)
        .order_by("created_at")
        .values_list("pk", flat=True)[: settings.OUTGOING_SMS_SWEEP_BATCH]
    )


# --- Providers: each sends one message and returns the provider's reference ---------------


def write_to_file(sms: OutgoingSms) -> str:
    """No provider: the message is written to var/sms/, one file per message, sent nowhere."""
    folder = Path(settings.SMS_FILE_PATH)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{timezone.now():%Y%m%d-%H%M%S}-{sms.pk}.txt"
    (folder / name).write_text(
        f"From: {sms.sender}\nTo: {sms.to}\nDate: {timezone.now().isoformat()}\n\n{sms.body}\n",
        encoding="utf-8",
    )
    return name


def send_with_brevo(sms: OutgoingSms) -> str:
    """Brevo's transactional SMS API: POST the message as JSON with the ``api-key`` header;
    201 ``{"messageId": …}``; errors ``{"code", "message"}`` (400 invalid/missing parameter,
    401 unauthorized, 402 not enough credits, 403 permission denied, 429 too many requests)."""
    payload = {
        "sender": sms.sender,
        "recipient": sms.to.lstrip("+"),
        "content": sms.body,
        "type": "transactional",
        "tag": "anima",
        "unicodeEnabled": False,
    }
    request = Request(
        settings.SMS_API_URL,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={
            "accept": "application/json",
            "content-type": "application/json",
            "api-key": settings.SMS_API_KEY,
        },
    )
    try:
        with urlopen(request, timeout=settings.SMS_TIMEOUT) as response:
            answer = _json(response.read())
    except HTTPError as error:
        status, answer = error.code, _json(error.read())
        code = str(answer.get("code") or status)
        if status == 429 or status >= 500:
            raise SmsUnavailable(f"HTTP {status} {code}") from error
        raise SmsRefused(code, str(answer.get("message", ""))[:200]) from error
    except (URLError, TimeoutError, OSError) as error:
        raise SmsUnavailable(type(error).__name__) from error
    # Accepted: never sent again, even if the answer lacks its reference.
    return str(answer.get("messageId", ""))[:100]


def _json(raw: bytes) -> dict:
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


BACKENDS = {"file": write_to_file, "brevo": send_with_brevo}
