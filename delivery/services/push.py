"""Web push to couriers' phones: « Nouvelle tournée publiée », « Tournée modifiée »,
« Tournée retirée ».

Optional per courier (they subscribe from their page) and off for everyone unless the VAPID
keys are configured. The payload is encrypted for each browser (RFC 8291, aes128gcm) and the
request signed with the site's VAPID key (RFC 8292), both by ``pywebpush``. Sending runs in a
Celery task enqueued after the change's commit: never inside the round's lock, and a push
service that is slow or down never holds up the dispatcher.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from pywebpush import WebPushException, webpush

from anima.celery import enqueue_on_commit
from delivery.models import PushSubscription, Round, RoundStatus

logger = logging.getLogger(__name__)

# A phone that was off for longer than this gets no stale news of the round.
TTL_SECONDS = 6 * 3600
GONE = (404, 410)


def enabled() -> bool:
    """Whether the site can send push (all three VAPID settings are set)."""
    return bool(
        settings.WEBPUSH_VAPID_PUBLIC_KEY
        and settings.WEBPUSH_VAPID_PRIVATE_KEY
        and settings.WEBPUSH_VAPID_SUBJECT
    )


def _b64url_bytes(value: Any) -> bytes | None:
    if not isinstance(value, str) or not value or len(value) > 200:
        return None
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None


def parse_subscription(body: bytes) -> dict[str, str]:
    """The browser's ``PushSubscription.toJSON()``, checked; ValidationError in French."""
    try:
        data = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(_("La demande n'est pas lisible (JSON attendu).")) from None
    if not isinstance(data, dict):
        raise ValidationError(_("La demande n'est pas lisible (JSON attendu)."))
    endpoint = data.get("endpoint")
    found_keys = data.get("keys")
    keys: dict[str, Any] = found_keys if isinstance(found_keys, dict) else {}
    schemes = ("https", "http") if settings.WEBPUSH_ALLOW_HTTP_ENDPOINTS else ("https",)
    if (
        not isinstance(endpoint, str)
        or len(endpoint) > 1000
        or urlsplit(endpoint).scheme not in schemes
        or not urlsplit(endpoint).netloc
    ):
        raise ValidationError(_("L'adresse du service de notification est invalide."))
    p256dh, auth = _b64url_bytes(keys.get("p256dh")), _b64url_bytes(keys.get("auth"))
    if p256dh is None or len(p256dh) != 65 or p256dh[0] != 4 or auth is None or len(auth) != 16:
        raise ValidationError(_("Les clés de l'abonnement sont invalides."))
    return {"endpoint": endpoint, "p256dh": keys["p256dh"], "auth": keys["auth"]}


def subscribe(user: Any, data: dict[str, str]) -> PushSubscription:
    """Record the courier's browser (again: its keys are refreshed). An endpoint already held
    by another account is refused and left alone."""
    try:
        with transaction.atomic():
            found = PushSubscription.objects.select_for_update().filter(endpoint=data["endpoint"])
            subscription = found.first()
            if subscription is not None and subscription.user_id != user.pk:
                raise ValidationError(_("Cet abonnement appartient à un autre compte."))
            if subscription is None:
                return PushSubscription.objects.create(user=user, **data)
            subscription.p256dh, subscription.auth = data["p256dh"], data["auth"]
            subscription.save(update_fields=["p256dh", "auth"])
            return subscription
    except IntegrityError:
        # The same browser subscribed twice at once: the first one is kept.
        raise ValidationError(_("Cet abonnement vient d'être enregistré.")) from None


def unsubscribe(user: Any, endpoint: str) -> int:
    """Forget one of the account's own browsers; how many rows went (0 or 1)."""
    deleted, _detail = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return deleted


def forget_user(user: Any) -> int:
    """A logout: that account's browsers receive nothing more."""
    deleted, _detail = PushSubscription.objects.filter(user_id=user.pk).delete()
    return deleted


def round_news(round_: Round, courier_ids: set[int], published: bool) -> None:
    """Queue, after the commit, a push to each courier in ``courier_ids``."""
    if not enabled() or not courier_ids:
        return
    from delivery.tasks import send_round_push

    for courier_id in sorted(courier_ids):
        enqueue_on_commit(send_round_push, courier_id, round_.pk, published)


def message(published: bool, withdrawn: bool = False) -> dict[str, str]:
    if withdrawn:
        title = _("Tournée retirée")
        body = _("Cette tournée ne vous est plus confiée : ouvrez l'application pour la suite.")
    elif published:
        title, body = _("Nouvelle tournée publiée"), _("Votre tournée est prête : ouvrez-la.")
    else:
        title, body = _("Tournée modifiée"), _("Votre tournée a changé : ouvrez-la.")
    return {"title": title, "body": body, "url": reverse("delivery:courier")}


def _rides(courier_id: int, round_id: int) -> bool:
    """Whether the round is, when the push leaves, still on the courier's page: not taken
    back to preparation, given to someone else or deleted since the news."""
    return (
        Round.objects.filter(pk=round_id, courier_id=courier_id)
        .exclude(status=RoundStatus.DRAFT)
        .exists()
    )


def send_to_courier(courier_id: int, round_id: int, published: bool) -> int:
    """Push the news to each browser of the courier; how many took it. A subscription the
    push service says is gone (404, 410) is deleted."""
    if not enabled():
        return 0
    news = message(published, withdrawn=not _rides(courier_id, round_id))
    payload = json.dumps({**news, "round": round_id}, ensure_ascii=False)
    sent = 0
    for subscription in PushSubscription.objects.filter(user__courier__pk=courier_id):
        if _send(subscription, payload):
            sent += 1
    return sent


def _send(subscription: PushSubscription, payload: str) -> bool:
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=payload,
            vapid_private_key=settings.WEBPUSH_VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.WEBPUSH_VAPID_SUBJECT},
            content_encoding="aes128gcm",
            ttl=TTL_SECONDS,
            timeout=settings.WEBPUSH_TIMEOUT_SECONDS,
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in GONE:
            logger.info("Push subscription %s gone (%s): deleted.", subscription.pk, status)
            subscription.delete()
        else:
            logger.warning("Push to subscription %s failed: %s", subscription.pk, status)
        return False
    except Exception as error:  # network errors (requests): the next news tries again
        logger.warning("Push to subscription %s failed: %s", subscription.pk, error)
        return False
    return True
