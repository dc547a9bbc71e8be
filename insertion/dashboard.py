"""The insertion panel on /pilotage/: reminders due, with links — in their own caseload for a
counsellor, in the whole workshop for direction."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hub.services import DashboardLine
from insertion.access import is_direction
from insertion.caseload import due_counts
from insertion.models import Beneficiary


def counsellor_lines(user) -> list[DashboardLine]:
    """Contracts ending within 30 and 60 days, PASS IAE within 90, interviews overdue,
    ESF+ six-month checks — for the people this counsellor follows, or everyone for direction."""
    people = Beneficiary.objects.visible_to(user)
    scope = {}
    if not is_direction(user):
        people = people.filter(counsellor=user)
        scope = {"mine": "1"}
    counts = due_counts(people, timezone.localdate())
    caseload = reverse("insertion:caseload")

    def link(**params) -> str:
        return f"{caseload}?{urlencode({**scope, **params})}"

    weeks = settings.INSERTION_INTERVIEW_EVERY_WEEKS
    return [
        DashboardLine(
            _("Contrats finissant sous 30 jours"), link(contract_ending=30), counts.contracts_30
        ),
        DashboardLine(
            _("Contrats finissant sous 60 jours"), link(contract_ending=60), counts.contracts_60
        ),
        DashboardLine(
            _("PASS IAE expirant sous 90 jours"), link(pass_expiring=90), counts.passes_90
        ),
        DashboardLine(
            _("Entretiens en retard (plus de %(weeks)s semaines)") % {"weeks": weeks},
            link(no_interview=weeks),
            counts.interviews_overdue,
        ),
        DashboardLine(_("Suivis FSE+ à six mois à noter"), link(followup="due"), counts.followups),
    ]
