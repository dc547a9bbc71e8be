"""Caseload search and filters (django-filter), on top of ``insertion.caseload``."""

import django_filters
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insertion import caseload
from insertion.choices import Workshop
from insertion.models import PassIae


def _interview_choices() -> list[tuple[str, str]]:
    weeks = sorted({4, 8, 12, settings.INSERTION_INTERVIEW_EVERY_WEEKS})
    return [(str(n), _("%(n)s semaines") % {"n": n}) for n in weeks]


class CaseloadFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Nom ou n° de PASS IAE"), method="search")
    situation = django_filters.ChoiceFilter(
        label=_("Situation"),
        empty_label=_("En cours (non sorti·es)"),
        choices=[
            ("path", _("Sous contrat")),
            ("waiting", _("Pas encore sous contrat")),
            ("exited", _("Sorti·es")),
            ("all", _("Tous les dossiers")),
        ],
        method="by_situation",
    )
    workshop = django_filters.ChoiceFilter(
        label=_("Atelier"),
        empty_label=_("Tous les ateliers"),
        field_name="current_workshop",
        choices=Workshop.choices,
    )
    contract_ending = django_filters.ChoiceFilter(
        label=_("Fin de contrat"),
        empty_label=_("Peu importe"),
        choices=[
            ("30", _("Sous 30 jours")),
            ("60", _("Sous 60 jours")),
            ("90", _("Sous 90 jours")),
        ],
        method="by_contract_end",
    )
    pass_expiring = django_filters.ChoiceFilter(
        label=_("PASS IAE"),
        empty_label=_("Peu importe"),
        choices=[("90", _("Expire sous 90 jours"))],
        method="by_pass_end",
    )
    no_interview = django_filters.ChoiceFilter(
        label=_("Sans entretien depuis"),
        empty_label=_("Peu importe"),
        choices=lambda: _interview_choices(),
        method="by_last_interview",
    )
    barriers = django_filters.ChoiceFilter(
        label=_("Freins"),
        empty_label=_("Peu importe"),
        choices=[("open", _("Au moins un frein à lever"))],
        method="by_barriers",
    )
    followup = django_filters.ChoiceFilter(
        label=_("Suivi FSE+"),
        empty_label=_("Peu importe"),
        choices=[("due", _("Situation à 6 mois à noter"))],
        method="by_followup",
    )
    mine = django_filters.ChoiceFilter(
        label=_("Conseiller·e"),
        empty_label=_("Toute l'équipe"),
        choices=[("1", _("Mes suivis"))],
        method="by_counsellor",
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        self.today = timezone.localdate()
        super().__init__(*args, **kwargs)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if not (data.get("situation") or data.get("followup")):
            queryset = queryset.filter(exit__isnull=True)
        return queryset

    def search(self, queryset, name, value):
        value = value.strip()
        holders = PassIae.objects.filter(number=value.replace(" ", "")).values("beneficiary")
        return queryset.filter(
            Q(last_name__icontains=value) | Q(first_name__icontains=value) | Q(pk__in=holders)
        )

    def by_situation(self, queryset, name, value):
        return {
            "path": queryset.filter(entry_date__isnull=False, exit__isnull=True),
            "waiting": queryset.filter(entry_date__isnull=True),
            "exited": queryset.filter(exit__isnull=False),
            "all": queryset,
        }[value]

    def by_contract_end(self, queryset, name, value):
        return caseload.contract_ending(queryset, self.today, int(value))

    def by_pass_end(self, queryset, name, value):
        return caseload.pass_expiring(queryset, self.today, int(value))

    def by_last_interview(self, queryset, name, value):
        return caseload.without_interview(queryset, self.today, int(value))

    def by_barriers(self, queryset, name, value):
        return caseload.with_open_barriers(queryset)

    def by_followup(self, queryset, name, value):
        return queryset.filter(exit__in=caseload.followups_due(self.today))

    def by_counsellor(self, queryset, name, value):
        return queryset.filter(counsellor=self.user)
