"""The access log: every display, change and export of a person's record leaves a line.

Lines name the record by its number, never by the person's name, so anonymising a record also
anonymises what the log says about it. The log is kept 3 years (CNIL délibération 2021-028).
"""

from collections.abc import Iterable

from django.utils import timezone

from insertion.choices import AccessAction
from insertion.models import AccessLog, Beneficiary


def _entry(user, action, beneficiary_id, record, detail, path) -> AccessLog:
    return AccessLog(
        at=timezone.now(),
        user=user if user and user.pk else None,
        user_email=getattr(user, "email", "") or "système",
        action=action,
        beneficiary_id=beneficiary_id,
        record=str(record)[:200],
        detail=str(detail)[:500],
        path=path[:300],
    )


def log_access(
    user,
    action: AccessAction,
    beneficiary: Beneficiary | int | None = None,
    record: object = "",
    detail: str = "",
    path: str = "",
) -> AccessLog:
    """Write one line of the access log."""
    person_id = beneficiary.pk if isinstance(beneficiary, Beneficiary) else beneficiary
    entry = _entry(user, action, person_id, record, detail, path)
    entry.save()
    return entry


def log_many(
    user,
    action: AccessAction,
    beneficiary_ids: Iterable[int],
    record: object = "",
    detail: str = "",
    path: str = "",
) -> int:
    """Write one line per record shown or exported at once (one query); returns the count."""
    entries = [_entry(user, action, pk, record, detail, path) for pk in set(beneficiary_ids)]
    AccessLog.objects.bulk_create(entries)
    return len(entries)
