from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ZONE_PERMISSIONS = ["view_deliveryzone", "change_deliveryzone", "add_deliveryzone"]
EDITABLE = ["relaypoint", "slottemplate", "feerule", "knownposition"]


def _crud(model: str) -> list[str]:
    return [f"delivery.{action}_{model}" for action in ("view", "add", "change", "delete")]


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = _("Livraisons en vélo-cargo")

    def ready(self):
        from delivery import demo
        from hub.services import (
            DemoSeeder,
            PeriodicTaskSpec,
            Role,
            grant_permissions,
            register_demo_seeder,
            register_periodic_task,
        )

        dispatch = [f"delivery.{perm}" for perm in ZONE_PERMISSIONS]
        for model in EDITABLE:
            dispatch += _crud(model)
        dispatch += ["delivery.view_deliveryslot", "delivery.change_deliveryslot"]
        grant_permissions(Role.DISPATCH, dispatch)
        # Direction decides the zone and the prices; it reads the rest.
        grant_permissions(
            Role.DIRECTION,
            [f"delivery.{perm}" for perm in ZONE_PERMISSIONS]
            + _crud("feerule")
            + [
                "delivery.view_relaypoint",
                "delivery.view_slottemplate",
                "delivery.view_deliveryslot",
            ],
        )
        register_periodic_task(
            PeriodicTaskSpec(
                name="Créneaux de livraison des 14 prochains jours",
                task="delivery.tasks.generate_delivery_slots",
                crontab={"minute": "5", "hour": "*/6"},
                description="Crée les créneaux manquants à partir des modèles de créneaux.",
            )
        )
        register_demo_seeder(DemoSeeder(name="delivery", seed=demo.seed, order=19))
