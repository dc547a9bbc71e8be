from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ZONE_PERMISSIONS = ["view_deliveryzone", "change_deliveryzone", "add_deliveryzone"]
EDITABLE = [
    "relaypoint",
    "relaypointhours",
    "slottemplate",
    "feerule",
    "knownposition",
    "cargobike",
    "courier",
]
EDITABLE += ["couriershift"]
# Planned on the board and recorded by couriers: staff read them in the admin.
READ_ONLY = ["round", "stop", "pickup", "deliveryevent", "shopnotice", "planproposal"]


def _crud(model: str, actions=("view", "add", "change", "delete")) -> list[str]:
    return [f"delivery.{action}_{model}" for action in actions]


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = _("Livraisons en vélo-cargo")

    def ready(self):
        self._grant_permissions()
        self._register_with_the_hub()
        from delivery.workflows import WORKFLOWS
        from hub.services import register_workflow

        for workflow in WORKFLOWS:
            register_workflow(workflow)

    def _grant_permissions(self):
        from hub.services import Role, grant_permissions

        dispatch = [f"delivery.{perm}" for perm in ZONE_PERMISSIONS]
        for model in EDITABLE:
            dispatch += _crud(model)
        dispatch += ["delivery.view_deliveryslot", "delivery.change_deliveryslot"]
        for model in READ_ONLY:
            dispatch += _crud(model, ("view",))
        # Positions of a delivery and of a pickup may be corrected by hand.
        dispatch += _crud("delivery", ("view", "change")) + ["delivery.change_pickup"]
        grant_permissions(Role.DISPATCH, dispatch)
        # Direction decides the zone and the prices; it reads the rest (figures, fleet).
        grant_permissions(
            Role.DIRECTION,
            [f"delivery.{perm}" for perm in ZONE_PERMISSIONS]
            + _crud("feerule")
            + [
                f"delivery.view_{model}"
                for model in [
                    "relaypoint",
                    "slottemplate",
                    "deliveryslot",
                    "cargobike",
                    "courier",
                    "round",
                    "delivery",
                ]
            ],
        )

    def _register_with_the_hub(self):
        from delivery import dashboard, demo, demo_history, receivers, services  # noqa: F401
        from delivery.models import Courier
        from hub.services import (
            AccountLink,
            DashboardPanel,
            DemoSeeder,
            ImpactSource,
            PeriodicTaskSpec,
            Role,
            register_account_link,
            register_dashboard_panel,
            register_demo_seeder,
            register_impact_source,
            register_periodic_task,
            register_role_provider,
        )

        register_account_link(
            AccountLink(
                _("Ma tournée"),
                "delivery:courier",
                order=15,
                visible=services.shows_courier_page,
                changes_with=(Courier,),
            )
        )
        register_role_provider(services.courier_roles)
        register_dashboard_panel(
            DashboardPanel(
                role=Role.DISPATCH,
                title=_("Livraisons à vélo-cargo"),
                lines=dashboard.dispatch_lines,
                order=20,
            )
        )
        register_dashboard_panel(
            DashboardPanel(
                role=Role.DIRECTION,
                title=_("Livraisons à vélo-cargo"),
                lines=dashboard.direction_lines,
                order=40,
            )
        )
        register_impact_source(
            ImpactSource(
                name=_("Livraisons à vélo-cargo"), indicators=services.impact_indicators, order=15
            )
        )
        register_periodic_task(
            PeriodicTaskSpec(
                name="Créneaux de livraison des 14 prochains jours",
                task="delivery.tasks.generate_delivery_slots",
                crontab={"minute": "5", "hour": "*/6"},
                description="Crée les créneaux manquants à partir des modèles de créneaux.",
            )
        )
        register_periodic_task(
            PeriodicTaskSpec(
                name="Rappel la veille aux clients livrés demain",
                task="delivery.tasks.remind_tomorrow_deliveries",
                crontab={"minute": "0", "hour": "18"},
                description="Envoie à chaque client livré le lendemain son créneau et son lien "
                "de suivi (une fois par livraison et par créneau).",
            )
        )
        register_periodic_task(
            PeriodicTaskSpec(
                name="Point du matin à la régulation",
                task="delivery.tasks.morning_dispatch_summary",
                crontab={"minute": "30", "hour": "7"},
                description="Envoie à l'équipe de régulation les livraisons du jour qui ne sont "
                "dans aucune tournée (un message par jour).",
            )
        )
        register_periodic_task(
            PeriodicTaskSpec(
                name="Avis en attente à la boutique",
                task="delivery.tasks.relay_pending_shop_notices",
                every_seconds=60,
                description="Retransmet à la boutique les étapes de livraison (récupérée, "
                "livrée, échec, reprogrammée, rapportée) qu'elle n'a pas encore prises en "
                "compte, avec un délai croissant entre deux essais.",
            )
        )
        register_demo_seeder(DemoSeeder(name="delivery", seed=demo.seed, order=19))
        # After the shop's past orders (21), before the shop settles them (23).
        register_demo_seeder(DemoSeeder(name="delivery rounds", seed=demo_history.seed, order=22))
