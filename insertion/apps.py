from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

RECORD_MODELS = [
    "beneficiary",
    "passiae",
    "passsuspension",
    "passextension",
    "contract",
    "interview",
    "barrier",
    "barrieraction",
    "training",
    "immersion",
    "exit",
]
# Changed in the admin (rules in model.clean); the others are recorded from /insertion/ pages.
EDITABLE_IN_ADMIN = [
    "beneficiary",
    "interview",
    "barrier",
    "barrieraction",
    "training",
    "immersion",
]


def _perms(action: str, models: list[str]) -> list[str]:
    return [f"insertion.{action}_{model}" for model in models]


COUNSELLOR_PERMISSIONS = [
    *_perms("view", [*RECORD_MODELS, "exitreason", "priorityneighbourhood"]),
    *_perms("add", [*EDITABLE_IN_ADMIN, "priorityneighbourhood"]),
    *_perms("change", [*EDITABLE_IN_ADMIN, "priorityneighbourhood"]),
]
DIRECTION_PERMISSIONS = [
    *COUNSELLOR_PERMISSIONS,
    "insertion.add_exitreason",
    "insertion.change_exitreason",
    "insertion.view_accesslog",
]


class InsertionConfig(AppConfig):
    name = "insertion"
    verbose_name = _("Insertion (CDDI)")

    def ready(self):
        from hub.services import register_workflow
        from insertion.workflows import WORKFLOWS

        for workflow in WORKFLOWS:
            register_workflow(workflow)
        from hub.services import (
            AccountLink,
            DashboardPanel,
            DemoSeeder,
            ImpactSource,
            PeriodicTaskSpec,
            Role,
            grant_permissions,
            register_account_link,
            register_dashboard_panel,
            register_demo_seeder,
            register_impact_source,
            register_periodic_task,
        )
        from insertion import demo
        from insertion.access import can_see_records
        from insertion.dashboard import counsellor_lines
        from insertion.indicators import impact_indicators

        grant_permissions(Role.CIP, COUNSELLOR_PERMISSIONS)
        grant_permissions(Role.DIRECTION, DIRECTION_PERMISSIONS)
        register_account_link(
            AccountLink(_("Suivi insertion"), "insertion:caseload", 60, visible=can_see_records)
        )
        register_dashboard_panel(
            DashboardPanel(Role.CIP, _("Suivi insertion : à faire"), counsellor_lines, order=40)
        )
        register_impact_source(ImpactSource("insertion", impact_indicators, order=40))
        register_demo_seeder(DemoSeeder("insertion", demo.seed, order=40))
        register_periodic_task(
            PeriodicTaskSpec(
                name="Insertion : rappels aux conseiller·es",
                task="insertion.tasks.send_insertion_reminders",
                crontab={"minute": "0", "hour": "7"},
                description="Fins de contrat (60 et 30 jours), PASS IAE (90 jours), entretiens "
                "en retard, suivis FSE+ à six mois.",
            )
        )
        register_periodic_task(
            PeriodicTaskSpec(
                name="Insertion : anonymisation après la durée de conservation",
                task="insertion.tasks.anonymise_expired_records",
                crontab={"minute": "30", "hour": "3"},
                description="Anonymise les dossiers sortis depuis INSERTION_RETENTION_MONTHS "
                "mois (24 par défaut) et purge le journal des accès de plus de 3 ans.",
            )
        )
