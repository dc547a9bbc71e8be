from django.apps import AppConfig
from django.core.signals import request_started
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = _("Pôle Anima")

    def ready(self):
        from hub import (  # noqa: F401
            account_menu,
            checks,
            demo,
            request_id,
            schedules,
            signals,
            sites,
            task_log,
            user_cache,
        )
        from hub import workflows as hub_workflows
        from hub.agenda import demo as agenda_demo
        from hub.agenda import figures, paid_seats
        from hub.agenda import workflows as agenda_workflows
        from hub.agenda.access import is_organiser
        from hub.models import StructureOrganiser
        from hub.payments import workflows as payment_workflows
        from hub.registry import (
            AccountLink,
            DashboardPanel,
            DemoSeeder,
            ImpactSource,
            NavEntry,
            PeriodicTaskSpec,
            register_account_link,
            register_dashboard_panel,
            register_demo_seeder,
            register_impact_source,
            register_nav,
            register_payment_handler,
            register_periodic_task,
        )
        from hub.roles import Role, sync_role_permissions
        from hub.roles import grant as grant_permissions
        from hub.workflow import register_workflow

        for workflow in [
            *hub_workflows.WORKFLOWS,
            *agenda_workflows.WORKFLOWS,
            *payment_workflows.WORKFLOWS,
        ]:
            register_workflow(workflow)

        account_menu.connect()
        user_cache.connect()
        register_nav(
            NavEntry(
                key="agenda",
                label=_("Agenda"),
                url_name="hub:agenda",
                description=_(
                    "Cafés de l'ESS, ateliers numériques et vélo, visites de la ferme urbaine : "
                    "inscrivez-vous aux prochains rendez-vous."
                ),
                order=30,
            )
        )
        register_account_link(
            AccountLink(label=_("Mes inscriptions"), url_name="hub:my_registrations", order=30)
        )
        register_account_link(
            AccountLink(
                label=_("Mes événements (organisation)"),
                url_name="hub:organiser_home",
                order=31,
                visible=is_organiser,
                changes_with=(StructureOrganiser,),
            )
        )
        register_nav(
            NavEntry(
                key="impact",
                label=_("Notre impact"),
                url_name="hub:impact",
                description=_("Ce que le pôle fait pour Calais, en chiffres et mois par mois."),
                order=85,
            )
        )
        register_account_link(
            AccountLink(
                label=_("Pilotage"),
                url_name="hub:dashboard",
                order=5,
                visible=lambda user: user.is_staff,
            )
        )
        register_dashboard_panel(
            DashboardPanel(
                role=Role.ANIMATION,
                title=_("Animation : les événements de la semaine"),
                lines=figures.week_lines,
                order=50,
            )
        )
        register_impact_source(
            ImpactSource(name=_("Agenda du pôle"), indicators=figures.impact_indicators, order=50)
        )
        register_nav(
            NavEntry(
                key="pole",
                label=_("Le pôle"),
                url_name="hub:structure_list",
                description=_("Les structures membres d'Anima et ce qu'elles font."),
                order=90,
            )
        )
        grant_permissions(
            Role.DIRECTION,
            [
                "hub.view_user",
                "hub.change_user",
                "hub.view_structure",
                "hub.add_structure",
                "hub.change_structure",
                "hub.delete_structure",
                "hub.view_outgoingemail",
                "hub.view_outgoingsms",
                "django_celery_beat.view_periodictask",
                "django_celery_beat.change_periodictask",
                "django_celery_beat.view_crontabschedule",
                "django_celery_beat.add_crontabschedule",
                "django_celery_beat.view_intervalschedule",
                "django_celery_beat.add_intervalschedule",
            ],
        )
        grant_permissions(
            Role.ANIMATION,
            [
                "hub.view_structure",
                "hub.add_structure",
                "hub.change_structure",
                "hub.view_event",
                "hub.change_event",
                "hub.view_eventseries",
                "hub.view_registration",
                "hub.view_structureorganiser",
                "hub.add_structureorganiser",
                "hub.change_structureorganiser",
                "hub.delete_structureorganiser",
            ],
        )
        grant_permissions(Role.DIRECTION, ["hub.view_event", "hub.view_eventseries"])
        # Dispatch answers the shopper who says no text message came (numbers stay masked).
        grant_permissions(Role.DISPATCH, ["hub.view_outgoingsms"])
        register_periodic_task(
            PeriodicTaskSpec(
                name="Signal de vie du worker et du planificateur",
                task="hub.tasks.heartbeat",
                every_seconds=60,
                description="Lu par /healthz pour dire quand le worker et beat ont été vus.",
            )
        )
        register_periodic_task(
            PeriodicTaskSpec(
                name="E-mails restés en attente",
                task="hub.tasks.resend_overdue_emails",
                every_seconds=60,
                description="Renvoie, une seule fois, les e-mails enregistrés qu'un worker "
                "arrêté ou une file indisponible a laissés sans envoi.",
            )
        )
        register_periodic_task(
            PeriodicTaskSpec(
                name="SMS restés en attente",
                task="hub.tasks.resend_overdue_sms",
                every_seconds=60,
                description="Renvoie, une seule fois, les SMS enregistrés qu'un worker arrêté, "
                "une file indisponible ou un opérateur injoignable a laissés sans envoi.",
            )
        )
        register_periodic_task(
            PeriodicTaskSpec(
                name="Rappel des événements de demain",
                task="hub.tasks.send_event_reminders",
                crontab={"minute": "0", "hour": "10"},
                description="Un e-mail par participant·e confirmé·e, la veille ; une seule fois.",
            )
        )
        register_periodic_task(
            PeriodicTaskSpec(
                name="Places d'événements payants non payées à temps",
                task="hub.tasks.release_event_holds",
                every_seconds=300,
                description="Libère les places retenues pour un paiement en ligne qui n'a pas "
                "abouti à temps et les propose à la liste d'attente.",
            )
        )
        register_payment_handler(paid_seats.HANDLER)
        register_periodic_task(
            PeriodicTaskSpec(
                name="Rapprochement des paiements en ligne",
                task="hub.tasks.reconcile_payments",
                every_seconds=600,
                description="Interroge le prestataire sur les paiements restés en attente "
                "(notification perdue, travail interrompu) et les solde.",
            )
        )
        grant_permissions(
            Role.DIRECTION,
            [
                "hub.view_payment",
                "hub.refund_payment",
                "hub.view_paymentpart",
                "hub.view_refund",
                "hub.view_payout",
                "hub.view_payoutaccount",
            ],
        )
        register_demo_seeder(DemoSeeder(name="hub", seed=demo.seed, order=0))
        register_demo_seeder(DemoSeeder(name="agenda", seed=agenda_demo.seed, order=50))
        post_migrate.connect(sync_role_permissions, dispatch_uid="hub.sync_role_permissions")
        post_migrate.connect(schedules.ensure_periodic_tasks, dispatch_uid="hub.schedules")
        # After django.contrib.sites has created its « example.com »: replace it by ours.
        post_migrate.connect(sites.sync_site, dispatch_uid="hub.sync_site")
        request_started.connect(
            sites.sync_site_at_first_request, dispatch_uid="hub.sync_site_at_first_request"
        )
