from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import Delivery, DeliveryStatus
from delivery.services.board import PLANNABLE
from hub.services import DashboardLine


def dispatch_lines(user) -> list[DashboardLine]:
    """Today's deliveries not yet in a round, and failures waiting for a decision."""
    today = timezone.localdate()
    board = reverse("delivery:board")
    unplanned = Delivery.objects.filter(
        slot__date=today, status__in=PLANNABLE, round__isnull=True
    ).count()
    tomorrow = Delivery.objects.filter(
        slot__date=today + timedelta(days=1), status__in=PLANNABLE, round__isnull=True
    ).count()
    failures = Delivery.objects.filter(status=DeliveryStatus.FAILED).count()
    return [
        DashboardLine(_("Livraisons du jour à mettre en tournée"), board, unplanned),
        DashboardLine(_("Échecs de livraison à reprogrammer"), board + "#failures", failures),
        DashboardLine(
            _("Livraisons de demain à planifier"),
            board + f"?date={today + timedelta(days=1):%Y-%m-%d}",
            tomorrow,
        ),
    ]


def direction_lines(user) -> list[DashboardLine]:
    """The month's cargo-bike figures, for direction."""
    today = timezone.localdate()
    delivered = Delivery.objects.filter(
        status=DeliveryStatus.DELIVERED,
        delivered_at__date__gte=today.replace(day=1),
    ).count()
    return [
        DashboardLine(
            _("Livraisons à vélo-cargo ce mois-ci (chiffres, CO₂ évité)"),
            reverse("delivery:figures"),
            delivered,
        )
    ]
