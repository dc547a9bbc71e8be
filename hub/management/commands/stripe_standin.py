"""Development only: run the tests' local Stripe stand-in so the demo can show online payment
without any outside service. Refused in production."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Développement : lance la doublure locale de Stripe (paiement en ligne de la démo)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8123)
        parser.add_argument(
            "--site", default="http://localhost:8000", help="where Anima runs (for webhooks)"
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The Stripe stand-in is for development only.")
        from tests.hub.stripe_standin import StripeStandIn

        webhook = options["site"].rstrip("/") + "/paiement/webhook/"
        standin = StripeStandIn(webhook_url=webhook, deliver="async", port=options["port"])
        standin.start()
        self.stdout.write("Start Anima (web and worker) with:\n")
        for name, value in (
            ("STRIPE_SECRET_KEY", standin.api_key),
            ("STRIPE_WEBHOOK_SECRET", standin.webhook_secret),
            ("STRIPE_API_BASE", standin.url),
            ("PAYMENTS_PAGE_ORIGINS", standin.url),
        ):
            self.stdout.write(f"export {name}={value}")
        self.stdout.write("Ctrl-C stops the stand-in.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            standin.stop()
