from django.core.management.base import BaseCommand, CommandError

from hub.health import heartbeat_states
from hub.models import Heartbeat


class Command(BaseCommand):
    help = "Sort en erreur si le worker ou beat n'a pas donné signe de vie récemment."

    def add_arguments(self, parser):
        parser.add_argument("component", choices=Heartbeat.Component.values)

    def handle(self, *args, component, **options):
        state = heartbeat_states(database_ok=True)[component]
        if state["late"]:
            raise CommandError(f"{component}: last seen {state['last_seen'] or 'never'}")
        self.stdout.write(f"{component}: seen {state['last_seen']}")
