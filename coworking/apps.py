from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

MODELS_MANAGED = [
    "space",
    "openinghours",
    "resource",
    "rate",
    "closure",
    "pass",
    "passoffer",
    "studiolease",
    "leasedocument",
    "studiorequest",
]
CRUD = ("view", "add", "change", "delete")
PERIODIC_TASKS = [
    {
        "name": "Espaces : rappel des réservations du lendemain",
        "task": "coworking.tasks.send_booking_reminders",
        "crontab": {"minute": "0", "hour": "17"},
        "description": "E-mail la veille à chaque personne qui a réservé un poste ou une salle.",
    },
    {
        "name": "Espaces : baux d'ateliers à renouveler",
        "task": "coworking.tasks.send_lease_reminders",
        "crontab": {"minute": "0", "hour": "8"},
        "description": "Prévient l'équipe des espaces deux mois avant la fin d'un bail.",
    },
    {
        "name": "Atelier 8 : fin des conventions d'occupation",
        "task": "coworking.tasks.send_agreement_reminders",
        "crontab": {"minute": "15", "hour": "8"},
        "description": "Prévient le ou la titulaire et l'équipe un mois avant la fin.",
    },
    {
        "name": "Espaces : réservations non payées à temps",
        "task": "coworking.tasks.release_booking_holds",
        "every_seconds": 300,
        "description": "Libère les réservations retenues pour un paiement en ligne non abouti.",
    },
    {
        "name": "Espaces : jours fériés de l'année suivante",
        "task": "coworking.tasks.add_next_year_public_holidays",
        "crontab": {"minute": "0", "hour": "6", "day_of_month": "1", "month_of_year": "12"},
        "description": "Ferme les espaces les jours fériés français de l'année qui vient.",
    },
]


class CoworkingConfig(AppConfig):
    name = "coworking"
    verbose_name = _("Espaces et Atelier 8")

    def ready(self):
        from coworking.workflows import WORKFLOWS
        from hub.services import register_workflow

        for workflow in WORKFLOWS:
            register_workflow(workflow)
        from coworking import demo, demo_history, services
        from coworking.services import paid_bookings, passes, stats
        from coworking.views.access import is_coworking_staff
        from hub.services import (
            AccountLink,
            DashboardPanel,
            DemoSeeder,
            ImpactSource,
            NavEntry,
            PeriodicTaskSpec,
            Role,
            RoomBooker,
            grant_permissions,
            register_account_link,
            register_dashboard_panel,
            register_demo_seeder,
            register_impact_source,
            register_nav,
            register_payment_handler,
            register_periodic_task,
            register_room_booker,
        )

        register_nav(
            NavEntry(
                key="espaces",
                label=_("Espaces"),
                url_name="coworking:home",
                description=_(
                    "Réserver un poste au coworking Le Lieu Commun ou une salle, louer un "
                    "atelier d'artisan, candidater à Atelier 8."
                ),
                order=20,
            )
        )
        register_account_link(
            AccountLink(label=_("Mes réservations"), url_name="coworking:my_bookings", order=20)
        )
        register_account_link(
            AccountLink(
                label=_("Équipe des espaces"),
                url_name="coworking:staff_home",
                order=80,
                visible=is_coworking_staff,
            )
        )
        register_room_booker(
            RoomBooker(
                rooms=services.event_rooms,
                book=services.book_event_room,
                cancel=services.cancel_event_room,
            )
        )
        register_dashboard_panel(
            DashboardPanel(
                role=Role.COWORKING,
                title=_("Espaces et Atelier 8"),
                lines=stats.dashboard_lines,
                order=20,
            )
        )
        register_impact_source(
            ImpactSource(name=_("Espaces"), indicators=stats.impact_indicators, order=20)
        )
        register_demo_seeder(DemoSeeder(name="coworking", seed=demo.seed, order=30))
        register_payment_handler(passes.HANDLER)
        register_payment_handler(paid_bookings.HANDLER)
        register_demo_seeder(DemoSeeder(name="coworking history", seed=demo_history.seed, order=31))
        for spec in PERIODIC_TASKS:
            register_periodic_task(PeriodicTaskSpec(**spec))
        grant_permissions(
            Role.COWORKING,
            [f"coworking.{action}_{model}" for model in MODELS_MANAGED for action in CRUD]
            + [
                "coworking.view_booking",
                "coworking.change_booking",
                "coworking.view_passpurchase",
                "coworking.view_coworker",
                "coworking.change_coworker",
                "coworking.view_solidarityproof",
                "coworking.change_solidarityproof",
                "coworking.view_application",
                "coworking.change_application",
                "coworking.view_occupancyagreement",
                "coworking.change_occupancyagreement",
                # To pick the person a pass or a lease is for.
                "hub.view_user",
            ],
        )
        grant_permissions(
            Role.DIRECTION,
            [
                f"coworking.view_{model}"
                for model in (
                    "space",
                    "resource",
                    "rate",
                    "openinghours",
                    "closure",
                    "studiolease",
                    "passoffer",
                    "passpurchase",
                )
            ],
        )
