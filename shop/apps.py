from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _crud(model: str, actions=("view", "add", "change", "delete")) -> list[str]:
    return [f"shop.{action}_{model}" for action in actions]


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = _("Boutique « Mon shopping c'est Calais »")

    def ready(self):
        from django.db.models.signals import post_migrate

        from shop.search import ensure_sqlite_index

        post_migrate.connect(ensure_sqlite_index, sender=self)
        from shop.catalogue_version import bump_after_migrate, connect_signals
        from shop.models import CATALOGUE_MODELS

        connect_signals(CATALOGUE_MODELS)
        # A data migration writes rows through historical models (no bumping queryset).
        post_migrate.connect(bump_after_migrate, sender=self)
        from hub.services import register_workflow
        from shop.workflows import WORKFLOWS

        for workflow in WORKFLOWS:
            register_workflow(workflow)
        from hub.services import (
            AccountLink,
            DashboardPanel,
            DemoSeeder,
            ImpactSource,
            NavEntry,
            PeriodicTaskSpec,
            Role,
            grant_permissions,
            register_account_link,
            register_dashboard_panel,
            register_demo_seeder,
            register_impact_source,
            register_nav,
            register_payment_handler,
            register_periodic_task,
            register_role_provider,
        )
        from shop import dashboard, demo, demo_history, services, signals  # noqa: F401
        from shop.models import MerchantMember
        from shop.services import payment_events

        register_nav(
            NavEntry(
                key="boutique",
                label=_("Boutique"),
                url_name="shop:catalogue",
                description=_(
                    "Les commerces du centre-ville en ligne, livrés à vélo-cargo ou à retirer."
                ),
                order=10,
            )
        )
        register_account_link(AccountLink(_("Mes commandes"), "shop:order_list", order=10))
        register_account_link(
            AccountLink(
                _("Espace commerçant"),
                "shop:merchant_home",
                order=20,
                visible=services.is_merchant_member,
                changes_with=(MerchantMember,),
            )
        )
        register_role_provider(services.merchant_roles)
        # Moderation vets shops and products and, as the merchant-relations team that includes
        # the multimedia workshop's supervisors, follows the shops' support requests.
        grant_permissions(
            Role.MODERATION,
            _crud("merchant", ("view", "change"))
            + _crud("merchantmember")
            + _crud("product", ("view", "change"))
            + _crud("supportrequest", ("view", "change"))
            + _crud("supportcomment", ("view", "add")),
        )
        # Dispatch reads orders to deliver them and may correct a position by hand.
        grant_permissions(
            Role.DISPATCH,
            _crud("order", ("view", "change")) + _crud("merchantorder", ("view",)),
        )
        grant_permissions(
            Role.DIRECTION,
            _crud("merchant", ("view", "change"))
            + _crud("order", ("view",))
            + _crud("merchantorder", ("view",))
            + _crud("supportrequest", ("view",)),
        )
        register_dashboard_panel(
            DashboardPanel(
                role=Role.MODERATION,
                title=_("Boutique en ligne"),
                lines=dashboard.moderation_lines,
                order=10,
            )
        )
        register_impact_source(
            ImpactSource(
                name=_("Mon shopping c'est Calais"),
                indicators=services.impact_indicators,
                order=10,
            )
        )
        register_periodic_task(
            PeriodicTaskSpec(
                name="Libération des commandes non acceptées à temps",
                task="shop.tasks.release_unaccepted_orders",
                every_seconds=600,
                description="Annule les commandes qu'aucun commerce n'a acceptées avant l'heure "
                "limite du créneau et prévient les clients.",
            )
        )
        register_periodic_task(
            PeriodicTaskSpec(
                name="Commandes rattrapées sur leur livraison",
                task="shop.tasks.reconcile_orders_with_deliveries",
                every_seconds=900,
                description="Met à jour les commandes dont la livraison a avancé (récupérée, "
                "livrée, rapportée) sans qu'elles l'apprennent, et prévient les clients une "
                "seule fois.",
            )
        )
        register_periodic_task(
            PeriodicTaskSpec(
                name="Photos de produits abandonnées",
                task="shop.tasks.purge_pending_photos",
                every_seconds=3600,
                description="Supprime les photos gardées pendant qu'un commerce corrigeait la "
                "fiche d'un produit, quand la fiche n'a pas été renvoyée dans les 24 h.",
            )
        )
        register_demo_seeder(DemoSeeder(name="shop", seed=demo.seed, order=20))
        register_payment_handler(payment_events.HANDLER)
        # Past orders (21), ridden by delivery's rounds (22), then settled as they were (23).
        register_demo_seeder(
            DemoSeeder(name="shop history", seed=demo_history.seed_orders, order=21)
        )
        register_demo_seeder(DemoSeeder(name="shop deliveries", seed=demo_history.settle, order=23))
