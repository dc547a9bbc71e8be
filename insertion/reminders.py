"""Reminder e-mails to each person's counsellor, sent once per event (deduplicated).

E-mails leave the platform: they name the record by number and initials, never by full name,
and link to the page where the counsellor signs in to see it.
"""

from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from hub.services import absolute_url, send_email
from insertion import caseload
from insertion.dates import long_date
from insertion.models import Beneficiary

TEMPLATE = "insertion/email/reminder"


def _send(person: Beneficiary, subject: str, text: str, key: str) -> bool:
    email = send_email(
        person.counsellor.email,
        TEMPLATE,
        {
            "counsellor": person.counsellor,
            "reference": person.reference,
            "initials": person.initials,
            "subject": subject,
            "text": text,
            "url": absolute_url(person.get_absolute_url()),
        },
        dedupe_key=key,
    )
    return email is not None


def _contract_reminders(people, today: date) -> int:
    """One reminder when the end comes within 60 days, another within 30 days."""
    sent = 0
    closer = 0
    for days in sorted(caseload.CONTRACT_REMINDER_DAYS):
        window = caseload.contract_ending(people, today, days)
        if closer:
            window = window.filter(contract_end__gt=today + timedelta(days=closer))
        for person in window:
            sent += _send(
                person,
                _("Contrat se terminant dans moins de %(days)s jours") % {"days": days},
                _("Le contrat se termine le %(date)s : préparez le renouvellement ou la sortie.")
                % {"date": long_date(person.contract_end)},
                f"insertion:contract:{person.pk}:{person.contract_end}:{days}",
            )
        closer = days
    return sent


def send_reminders(today: date) -> int:
    """Send every reminder due today; returns how many e-mails were queued (0 on a rerun)."""
    people = caseload.with_path_state(
        Beneficiary.objects.identified()
        .filter(counsellor__isnull=False)
        .exclude(Q(counsellor__email="") | Q(counsellor__is_active=False))
        .select_related("counsellor")
    )
    sent = _contract_reminders(people, today)
    for person in caseload.pass_expiring(people, today):
        sent += _send(
            person,
            _("PASS IAE expirant dans moins de 90 jours"),
            _("Le PASS IAE prend fin le %(date)s : une prolongation se demande avant.")
            % {"date": long_date(person.pass_end)},
            f"insertion:pass:{person.pk}:{person.pass_end}",
        )
    for person in caseload.without_interview(people, today):
        sent += _send(
            person,
            _("Entretien en retard"),
            _("Pas d'entretien depuis le %(date)s.") % {"date": long_date(person.last_interview)}
            if person.last_interview
            else _("Aucun entretien depuis l'entrée en parcours."),
            f"insertion:interview:{person.pk}:{person.last_interview or 'none'}",
        )
    followups = (
        caseload.followups_due(today)
        .filter(beneficiary__in=people.values("pk"))
        .select_related("beneficiary__counsellor")
    )
    for exit_record in followups:
        sent += _send(
            exit_record.beneficiary,
            _("Suivi à six mois après la sortie"),
            _(
                "La sortie date du %(date)s : le Fonds social européen+ demande la situation de la "
                "personne six mois après."
            )
            % {"date": long_date(exit_record.date)},
            f"insertion:esf:{exit_record.pk}",
        )
    return sent
