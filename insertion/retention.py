"""Retention: records are anonymised a set time after exit, keeping only what indicators need.

Legal basis and period: public-interest mission (GDPR art. 6-1-e); CNIL délibération 2021-028
(reference framework for social support, which covers SIAE) and 2023-095: 2 years after the end
of the path in active storage, then anonymisation. The delay is ``INSERTION_RETENTION_MONTHS``
(default 24). What stays: sex, age at entry, education level, situation at entry (flags and
categories), QPV, workshop, year-month dates, hours per month, exit category and reason, the
six-month situation. Everything that names or describes the person goes: identity, contact,
address, PASS IAE, interviews, free texts, partners, employers, and the contracts' field
history (``Contract.history``), whose copies keep full dates.
Access-log lines name records by number; they are kept 3 years
(``INSERTION_ACCESS_LOG_RETENTION_MONTHS``) and then deleted.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models.functions import TruncMonth
from django.utils import timezone

from insertion.audit import log_access
from insertion.choices import AccessAction
from insertion.models import (
    AccessLog,
    Barrier,
    BarrierAction,
    Beneficiary,
    Contract,
    Exit,
    Immersion,
    Interview,
    PassIae,
    Training,
)


def _truncate(queryset, *fields: str) -> None:
    queryset.update(**{field: TruncMonth(field) for field in fields})


def anonymise(person: Beneficiary) -> None:
    """Remove everything that identifies ``person``; keep what the indicators count."""
    with transaction.atomic():
        person = Beneficiary.objects.select_for_update().get(pk=person.pk)
        if person.anonymised_at:
            return
        PassIae.objects.filter(beneficiary=person).delete()
        Interview.objects.filter(beneficiary=person).delete()
        BarrierAction.objects.filter(barrier__beneficiary=person).delete()
        # The field history holds full dates and earlier values: it goes, not truncated.
        Contract.history.filter(beneficiary_id=person.pk).delete()
        contracts = Contract.objects.filter(beneficiary=person)
        contracts.update(post="", hours_justification="", ground_details="", end_details="")
        _truncate(contracts, "start_date", "end_date", "ended_on")
        barriers = Barrier.objects.filter(beneficiary=person)
        barriers.update(notes="")
        _truncate(barriers, "identified_on", "lifted_on")
        trainings = Training.objects.filter(beneficiary=person)
        trainings.update(title="", provider="")
        _truncate(trainings, "start_date", "end_date")
        immersions = Immersion.objects.filter(beneficiary=person)
        immersions.update(host="", outcome="")
        _truncate(immersions, "start_date", "end_date")
        exits = Exit.objects.filter(beneficiary=person)
        exits.update(destination="", notes="")
        _truncate(exits, "date", "followup_on")
        people = Beneficiary.objects.filter(pk=person.pk)
        people.update(
            first_name="",
            last_name="",
            birth_date=None,
            email="",
            phone="",
            address="",
            postal_code="",
            city="",
            counsellor=None,
            user=None,
            prescriber_name="",
            anonymised_at=timezone.now(),
        )
        _truncate(people, "entry_date")
        log_access(None, AccessAction.ANONYMISE, person, record=person.reference)


def retention_limit(today: date) -> date:
    """Records whose path ended on or before this day are due for anonymisation."""
    return today - relativedelta(months=settings.INSERTION_RETENTION_MONTHS)


def anonymise_expired(today: date) -> int:
    """Anonymise every record past retention; delete records of people never hired.

    Returns how many records were anonymised or deleted; running it twice does nothing more.
    """
    limit = retention_limit(today)
    due = Beneficiary.objects.identified().filter(exit__date__lte=limit)
    done = 0
    for person in due.iterator():
        anonymise(person)
        done += 1
    # Never hired: nothing for the indicators, so nothing to keep.
    never_hired = Beneficiary.objects.identified().filter(
        entry_date__isnull=True, created_at__date__lte=limit
    )
    gone = list(never_hired.values_list("pk", flat=True))
    _deleted, details = never_hired.delete()
    # After the delete: deleting a contract copies its last state into the field history.
    Contract.history.filter(beneficiary_id__in=gone).delete()
    return done + details.get("insertion.Beneficiary", 0)


def purge_access_log(today: date) -> int:
    """Delete access-log lines older than their retention period; returns how many."""
    limit = today - relativedelta(months=settings.INSERTION_ACCESS_LOG_RETENTION_MONTHS)
    deleted, _details = AccessLog.objects.filter(at__date__lt=limit).delete()
    return deleted
