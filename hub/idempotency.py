"""Exactly-once handling of retried API requests carrying an ``Idempotency-Key`` header.

The record and the work share one transaction: a concurrent twin blocks on the unique index
until the first commits, then replays its stored answer. A failed attempt stores nothing, so a
retry runs again.
"""

import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.response import Response

from hub.models import IdempotencyRecord
from hub.request_text import MESSAGE, has_forbidden_text

logger = logging.getLogger(__name__)

MAX_KEY_LENGTH = 100


def idempotent_response(request, scope: str, handle: Callable[[], Response]) -> Response:
    key = (request.headers.get("Idempotency-Key") or "").strip()
    if not key or not request.user.is_authenticated:
        return handle()
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationError(
            {"Idempotency-Key": _("La clé d'idempotence dépasse 100 caractères.")}
        )
    if has_forbidden_text(key):
        raise ValidationError({"Idempotency-Key": MESSAGE})
    user = request.user
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(user=user, scope=scope, key=key)
            response = handle()
            if response.status_code >= 400:
                # Nothing was done: let the key be used again by a corrected request.
                transaction.set_rollback(True)
                return response
            record.status_code = response.status_code
            record.body = response.data
            record.save(update_fields=["status_code", "body"])
            return response
    except IntegrityError:
        record = IdempotencyRecord.objects.get(user=user, scope=scope, key=key)
        logger.info(
            "Idempotent replay of %s for user %s (status %s).", scope, user.pk, record.status_code
        )
        replay = Response(record.body, status=record.status_code)
        replay["Idempotent-Replayed"] = "true"
        return replay
