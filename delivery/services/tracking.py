"""Where a delivery stands, for the shopper's order page and the public tracking link.

Nothing personal here: no name, address, phone or order contents — the public page shows
exactly this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from delivery.models import Delivery, DeliveryStatus, RoundStatus, Stop, StopKind, StopState
from delivery.services.arrival_window import ArrivalWindow, arrival_window, clock
from delivery.services.zone import slot_label


@dataclass(frozen=True)
class Step:
    label: str
    done: bool
    current: bool = False


@dataclass(frozen=True)
class Tracking:
    status: str
    label: str
    detail: str
    window: str
    stops_before: int | None
    steps: list[Step]
    updated_at: datetime
    url: str
    refresh_url: str
    refresh_seconds: int
    # Once the round is published and until the drop-off: when the courier is expected.
    arrival: ArrivalWindow | None = None
    # The page where the shopper stops the news by e-mail and SMS (``shopper_news``).
    news_url: str = ""

    @property
    def arrival_label(self) -> str:
        if self.arrival is None:
            return ""
        if self.arrival.late:
            return _(
                "Avec du retard : arrivée prévue %(window)s, après la fin de votre créneau "
                "(%(end)s)."
            ) % {"window": self.arrival.label, "end": clock(self.arrival.slot_end)}
        return _("Arrivée prévue %(window)s.") % {"window": self.arrival.label}

    @property
    def is_moving(self) -> bool:
        """Whether the page is worth refreshing: the delivery is not settled yet."""
        return self.status not in DeliveryStatus.closed()

    @property
    def stops_before_label(self) -> str:
        if self.stops_before is None:
            return ""
        if self.stops_before == 0:
            return _("Vous êtes le prochain arrêt.")
        return ngettext(
            "%(count)d arrêt avant vous", "%(count)d arrêts avant vous", self.stops_before
        ) % {"count": self.stops_before}


ORDER = [
    DeliveryStatus.AWAITING,
    DeliveryStatus.READY,
    DeliveryStatus.IN_TRANSIT,
    DeliveryStatus.DELIVERED,
]


def tracking_path(delivery: Delivery) -> str:
    return reverse("delivery:track", args=[delivery.tracking_token])


def _refresh_path(delivery: Delivery) -> str:
    return reverse("delivery:track_progress", args=[delivery.tracking_token])


def tracking_for_order(order_number: str) -> Tracking | None:
    """The tracking of an order delivered by cargo bike, or None (click & collect)."""
    delivery = (
        Delivery.objects.select_related("slot", "round").filter(order_number=order_number).first()
    )
    return describe(delivery) if delivery else None


def tracking_by_token(token: str) -> Tracking | None:
    """The tracking behind a public link, or None for an unknown token."""
    if not token or len(token) > 64:
        return None
    delivery = Delivery.objects.select_related("slot", "round").filter(tracking_token=token).first()
    return describe(delivery) if delivery else None


def describe(delivery: Delivery) -> Tracking:
    """Status, steps, the delivery slot, and once the round is out the stops still ahead of
    the drop-off and the arrival window."""
    dropoff = _dropoff_to_come(delivery)
    return Tracking(
        status=delivery.status,
        label=delivery.get_status_display(),
        detail=_detail(delivery),
        window=slot_label(delivery.slot),
        stops_before=_stops_before(dropoff),
        steps=_steps(delivery),
        updated_at=delivery.updated_at,
        url=tracking_path(delivery),
        refresh_url=_refresh_path(delivery),
        refresh_seconds=settings.DELIVERY_TRACKING_REFRESH_SECONDS,
        arrival=_arrival(delivery, dropoff),
        news_url=reverse("delivery:news_stop", args=[delivery.tracking_token]),
    )


def _detail(delivery: Delivery) -> str:
    status = delivery.status
    if status == DeliveryStatus.FAILED:
        return _(
            "Le coursier n'a pas pu livrer (%(reason)s). Nous vous proposons une nouvelle "
            "tentative."
        ) % {"reason": delivery.get_failure_reason_display().lower()}
    if status == DeliveryStatus.RETURNED:
        return _("La commande n'a pas pu être livrée : elle est rapportée aux commerces.")
    if status == DeliveryStatus.CANCELLED:
        return _("La commande a été annulée.")
    if status == DeliveryStatus.DELIVERED and delivery.relay_point_id:
        return _("Déposée au point relais %(name)s : elle vous y attend.") % {
            "name": delivery.relay_point.name
        }
    if status == DeliveryStatus.DELIVERED:
        return _("Commande remise.")
    if delivery.failures:
        return _("Nouvelle tentative de livraison prévue.")
    if delivery.round_id and delivery.round.status != RoundStatus.DRAFT:
        return _("Votre coursier a sa tournée.")
    return ""


def _dropoff_to_come(delivery: Delivery) -> Stop | None:
    """The drop-off still to make in a round out with its courier (None before publication:
    a round in preparation may still change)."""
    round_ = delivery.round
    if round_ is None or round_.status not in (RoundStatus.PUBLISHED, RoundStatus.IN_PROGRESS):
        return None
    return round_.stops.filter(
        delivery=delivery, kind=StopKind.DROPOFF, state=StopState.TODO
    ).first()


def _stops_before(dropoff: Stop | None) -> int | None:
    if dropoff is None:
        return None
    return Stop.objects.filter(
        round_id=dropoff.round_id, state=StopState.TODO, sequence__lt=dropoff.sequence
    ).count()


def _arrival(delivery: Delivery, dropoff: Stop | None) -> ArrivalWindow | None:
    if dropoff is None or dropoff.expected_at is None:
        return None
    return arrival_window(dropoff.expected_at, delivery.slot.start, delivery.slot.end)


def _steps(delivery: Delivery) -> list[Step]:
    labels = [
        _("En préparation chez les commerces"),
        _("Prête à partir"),
        _("En route avec le coursier"),
        _("Livrée"),
    ]
    reached = ORDER.index(delivery.status) if delivery.status in ORDER else -1
    return [
        Step(
            label,
            done=index < reached or delivery.status == DeliveryStatus.DELIVERED,
            current=index == reached and delivery.status != DeliveryStatus.DELIVERED,
        )
        for index, label in enumerate(labels)
    ]
