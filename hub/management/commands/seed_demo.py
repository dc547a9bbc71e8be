from django.core.management.base import BaseCommand

from hub.registry import registry


class Command(BaseCommand):
    help = "Charge les données de démonstration (sans effet si elles existent déjà)."

    def handle(self, *args, **options):
        logins = []
        for seeder in sorted(registry.demo, key=lambda item: item.order):
            logins += seeder.seed()
            self.stdout.write(f"  {seeder.name}: ok")
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes. Comptes :"))
        for who, email, password in logins:
            self.stdout.write(f"  {who:<45} {email:<40} {password}")
