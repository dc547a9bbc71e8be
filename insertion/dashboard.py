"""The counsellor's panel on /pilotage/: reminders due in their own caseload, with links."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hub.services import DashboardLine
from insertion.caseload import due_counts
from insertion.models import Beneficiary


def counsellor_lines(user) -> list[DashboardLine]:
    """Contracts ending within 30 and 60 days, PASS IAE within 90, interviews overdue,
    ESF+ six-month checks — for the people this counsellor follows."""
    counts = due_counts(
        Beneficiary.objects.visible_to(user).filter(counsellor=user), timezone.localdate()
    )
    caseload = reverse("insertion:caseload")

    def link(**params) -> str:
        return f"{caseload}?{urlencode({'mine': '1', **params})}"

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
