from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hub.demo import close_demo_accounts
from hub.registry import registry

PRODUCTION_FLAG = "--i-know-this-is-production"


class Command(BaseCommand):
    help = "Charge les données de démonstration (sans effet si elles existent déjà)."

    def add_arguments(self, parser):
        parser.add_argument(
            PRODUCTION_FLAG,
            action="store_true",
            dest="production",
            help="En production : le contenu de démonstration seulement, sans aucun compte.",
        )

    def handle(self, *args, production=False, **options):
        if settings.PRODUCTION and not production:
            raise CommandError(
                "seed_demo crée des comptes au mot de passe public : refusé en production "
                f"(DJANGO_ENV=production). {PRODUCTION_FLAG} charge le contenu sans compte."
            )
        if settings.PRODUCTION:
            # One transaction: the accounts the seeders create never exist outside it.
            with transaction.atomic():
                self.seed()
                close_demo_accounts()
            self.stdout.write(self.style.SUCCESS("Contenu de démonstration prêt, sans compte."))
            return
        logins = self.seed()
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes. Comptes :"))
        for who, email, password in logins:
            self.stdout.write(f"  {who:<45} {email:<40} {password}")

    def seed(self) -> list[tuple[str, str, str]]:
        logins = []
        for seeder in sorted(registry.demo, key=lambda item: item.order):
            logins += seeder.seed()
            self.stdout.write(f"  {seeder.name}: ok")
        return logins
