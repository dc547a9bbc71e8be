"""What a courier records in the street: pickup at a shop, delivery with proof, or failure.

Each action locks the round, then the delivery (the order used by dispatch too), checks that
it comes in the right order (409 otherwise) and records in the same transaction a notice for
the shop (``shop_notices``), relayed after commit; after commit it also moves the expected times
of the stops to come (``arrivals``). Replays of the same action are answered by the API's
idempotency layer.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from delivery.models import (
    Courier,
    Delivery,
    DeliveryStatus,
    EventKind,
    EventSource,
    FailureReason,
    NoticeKind,
    PickupStatus,
    Round,
    RoundStatus,
    Stop,
    StopKind,
    StopState,
)
from delivery.services import live
from delivery.services.arrivals import refresh_expected_arrivals
from delivery.services.deliveries import record_event
from delivery.services.shop_notices import notify_shop
from delivery.services.shopper_news import after_stop_recorded
from hub.services import (
    Actor,
    Conflict,
    clean_image,
    other_fields,
    transition,
    validate_image,
)

COURIER_FLAG_SECONDS = 24 * 3600


def courier_of(user) -> Courier | None:
    """The active courier profile of an account, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Courier.objects.active().filter(user=user).first()


def is_courier(user) -> bool:
    """Whether the account rides rounds (for the account menu and roles)."""
    return courier_of(user) is not None


def _flag_key(user_id) -> str:
    return f"delivery:is-courier:{user_id}"


def shows_courier_page(user) -> bool:
    """Whether the account menu links to « Ma tournée ». Read from the cache, where sign-in
    puts it, so that no page spends a query on it (the page itself checks the database)."""
    if not getattr(user, "is_authenticated", False):
        return False
    flag = cache.get(_flag_key(user.pk))
    return remember_courier_flag(user) if flag is None else flag


def remember_courier_flag(user) -> bool:
    """Check once whether the account rides rounds and keep the answer in the cache."""
    flag = is_courier(user)
    cache.set(_flag_key(user.pk), flag, COURIER_FLAG_SECONDS)
    return flag


def forget_courier_flag(user_id) -> None:
    """A courier profile changed: the menu asks the database again."""
    cache.delete(_flag_key(user_id))


def courier_roles(user) -> list[str]:
    """The relation role "courier" for /api/v1/me/."""
    return ["courier"] if is_courier(user) else []


def stops_in_order():
    """Stops with what the courier's card shows, in riding order."""
    return (
        Stop.objects.select_related("delivery", "pickup")
        .prefetch_related("delivery__pickups")
        .order_by("sequence", "pk")
    )


def rounds_of_day(courier: Courier, day=None):
    """A courier's published rounds of a day (today by default), stops prefetched."""
    day = day or timezone.localdate()
    return (
        Round.objects.filter(courier=courier, date=day, status__in=RoundStatus.visible_to_courier())
        .select_related("bike")
        .prefetch_related(Prefetch("stops", queryset=stops_in_order()))
        .order_by("start", "pk")
    )


def current_round(courier: Courier, day=None) -> Round | None:
    """The round to ride now: the first unfinished one of the day, else the last one."""
    rounds = list(rounds_of_day(courier, day))
    unfinished = [r for r in rounds if r.status != RoundStatus.FINISHED]
    if unfinished:
        return unfinished[0]
    return rounds[-1] if rounds else None


def courier_stop(user, stop_id) -> Stop:
    """A stop of one of the account's published rounds; Stop.DoesNotExist for anyone else's."""
    return Stop.objects.select_related("round", "delivery", "pickup").get(
        pk=stop_id,
        round__courier__user=user,
        round__status__in=RoundStatus.visible_to_courier(),
    )


def action_time(recorded_at: datetime | None) -> datetime:
    """When the action was made: the phone's time for a queued action, if plausible."""
    now = timezone.now()
    oldest = now - timedelta(hours=settings.DELIVERY_OFFLINE_ACTION_MAX_AGE_HOURS)
    if recorded_at is None or not (oldest <= recorded_at <= now + timedelta(minutes=5)):
        return now
    return min(recorded_at, now)


def _locked(user, stop_id) -> tuple[Stop, Round, Delivery]:
    stop = courier_stop(user, stop_id)
    round_ = Round.objects.select_for_update().get(pk=stop.round_id)
    delivery = Delivery.objects.select_for_update().get(pk=stop.delivery_id)
    stop = Stop.objects.select_related("pickup").get(pk=stop.pk)
    stop.round, stop.delivery = round_, delivery
    if round_.status == RoundStatus.FINISHED:
        raise Conflict(_("Cette tournée est terminée : plus rien ne peut y être enregistré."))
    if stop.state != StopState.TODO:
        raise Conflict(_already_done(stop))
    return stop, round_, delivery


def _already_done(stop: Stop) -> str:
    when = formats.time_format(timezone.localtime(stop.done_at), "H:i") if stop.done_at else ""
    messages = {
        StopState.DONE: _("Cet arrêt est déjà enregistré comme fait (%(time)s)."),
        StopState.FAILED: _("Cet arrêt est déjà enregistré en échec (%(time)s)."),
        StopState.CANCELLED: _("Cet arrêt a été annulé par la régulation."),
    }
    return messages[stop.state] % {"time": when}


def record_pickup(user, stop_id, recorded_at: datetime | None = None) -> Stop:
    """« Récupéré » : the courier has the shop's part on the bike."""
    with transaction.atomic():
        stop, round_, delivery = _locked(user, stop_id)
        if stop.kind != StopKind.PICKUP:
            raise Conflict(_("Cet arrêt est une livraison : choisissez « Livré » ou « Échec »."))
        pickup = stop.pickup
        assert pickup is not None  # a pickup stop has its pickup (constraint)
        if pickup.status == PickupStatus.WAITING:
            raise Conflict(
                _("%(shop)s n'a pas encore déclaré sa partie prête : demandez-la au commerce.")
                % {"shop": pickup.shop_name}
            )
        at = action_time(recorded_at)
        why = _("Récupérée chez %(shop)s.") % {"shop": pickup.shop_name}
        source = "delivery.record_pickup"
        pickup.picked_up_at = at
        transition(
            pickup,
            PickupStatus.PICKED_UP,
            by=user,
            why=why,
            source=source,
            fields=["picked_up_at"],
            at=at,
        )
        if delivery.status in (DeliveryStatus.AWAITING, DeliveryStatus.READY):
            transition(delivery, DeliveryStatus.IN_TRANSIT, by=user, why=why, source=source, at=at)
        _close_stop(stop, round_, StopState.DONE, at, by=user, why=why, source=source)
        record_event(delivery, EventKind.PICKED_UP, why, EventSource.COURIER, user, at)
        notify_shop(delivery, NoticeKind.PICKED_UP, merchant_id=pickup.shop_id)
    return stop


def visit_pickups(stop: Stop):
    """The pickups of the same visit as ``stop`` (one shop, one passage), in riding order."""
    return Stop.objects.filter(
        round_id=stop.round_id, visit=stop.visit, kind=StopKind.PICKUP
    ).order_by("sequence", "pk")


def visit_stops(user, stop: Stop) -> list[Stop]:
    """The pickups of ``stop``'s visit, as the courier's cards show them."""
    return list(
        visit_pickups(stop)
        .filter(round__courier__user=user)
        .select_related("round", "delivery", "pickup")
    )


def record_visit_pickup(user, stop_id, recorded_at: datetime | None = None) -> list[Stop]:
    """« Récupéré » for a whole shop visit: every parcel of the visit the shop has ready goes
    on the bike at once; a parcel not ready stays to do, to be recorded on its own later."""
    stop = courier_stop(user, stop_id)
    if stop.kind != StopKind.PICKUP:
        raise Conflict(_("Cet arrêt est une livraison : choisissez « Livré » ou « Échec »."))
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=stop.round_id)
        pending = visit_pickups(stop).filter(state=StopState.TODO).select_related("pickup")
        ready = [s for s in pending if s.pickup.status == PickupStatus.READY]
        if not ready:
            raise Conflict(_nothing_ready(stop, list(pending)))
        return [record_pickup(user, s.pk, recorded_at) for s in ready]


def _nothing_ready(stop: Stop, pending: list[Stop]) -> str:
    if not pending:
        return _already_done(Stop.objects.get(pk=stop.pk))
    return _("%(shop)s n'a encore déclaré prête aucune de ces commandes : demandez-les.") % {
        "shop": pending[0].pickup.shop_name
    }


def _check_parcels_on_board(delivery: Delivery) -> None:
    missing = [
        p.shop_name
        for p in delivery.pickups.all()
        if p.status in (PickupStatus.WAITING, PickupStatus.READY)
    ]
    if missing and not delivery.at_hub:
        raise Conflict(
            _("Récupérez d'abord la commande chez : %(shops)s.") % {"shops": ", ".join(missing)}
        )


def record_delivery(
    user,
    stop_id,
    recipient: str,
    payment_collected: bool = False,
    photo=None,
    recorded_at: datetime | None = None,
) -> Stop:
    """« Livré » : handed to ``recipient``, with an optional photo and the payment if due."""
    recipient = (recipient or "").strip()
    with transaction.atomic():
        stop, round_, delivery = _locked(user, stop_id)
        if stop.kind != StopKind.DROPOFF:
            raise Conflict(_("Cet arrêt est un enlèvement : choisissez « Récupéré »."))
        _check_parcels_on_board(delivery)
        _check_proof(delivery, recipient, payment_collected, photo)
        at = action_time(recorded_at)
        if photo is not None:
            cleaned = clean_image(photo, max_side=settings.DELIVERY_PROOF_MAX_SIDE)
            delivery.proof_photo.save(cleaned.name, cleaned, save=False)
        delivery.recipient_name = recipient
        delivery.payment_collected = delivery.payment_due > 0 and payment_collected
        delivery.delivered_at = at
        delivery.at_hub = False
        why = _("Livrée, remise à %(name)s.") % {"name": recipient}
        source = "delivery.record_delivery"
        transition(
            delivery,
            DeliveryStatus.DELIVERED,
            by=user,
            why=why,
            source=source,
            fields=other_fields(delivery),
            at=at,
        )
        _close_stop(stop, round_, StopState.DONE, at, by=user, why=why, source=source)
        record_event(delivery, EventKind.DELIVERED, why, EventSource.COURIER, user, at)
        notify_shop(delivery, NoticeKind.DELIVERED, payment_collected=delivery.payment_collected)
    return stop


def _check_proof(delivery: Delivery, recipient: str, payment_collected: bool, photo) -> None:
    errors = {}
    if not recipient:
        errors["recipient"] = _("Indiquez le nom de la personne qui a reçu la commande.")
    elif len(recipient) > 150:
        errors["recipient"] = _("Le nom tient en 150 caractères au plus.")
    if delivery.payment_due > Decimal("0") and not payment_collected:
        errors["payment_collected"] = _(
            "Le paiement de %(amount)s € est à encaisser à la remise : encaissez-le, ou "
            "déclarez un échec si la personne refuse."
        ) % {"amount": formats.number_format(delivery.payment_due, 2)}
    if photo is not None:
        try:
            validate_image(photo)
        except ValidationError as error:
            errors["photo"] = error.messages[0]
    if errors:
        raise ValidationError(errors)


def record_failure(
    user, stop_id, reason: str, note: str = "", recorded_at: datetime | None = None
) -> Stop:
    """« Échec » : the delivery could not be made; the parcels go back to the hub."""
    note = (note or "").strip()
    errors = {}
    if reason not in FailureReason.values:
        errors["reason"] = _("Choisissez le motif de l'échec dans la liste.")
    elif reason == FailureReason.OTHER and not note:
        errors["note"] = _("Précisez ce qui s'est passé.")
    if len(note) > 250:
        errors["note"] = _("La précision tient en 250 caractères au plus.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stop, round_, delivery = _locked(user, stop_id)
        if stop.kind != StopKind.DROPOFF:
            raise Conflict(
                _("Un enlèvement ne peut pas être déclaré en échec : appelez la régulation.")
            )
        _check_parcels_on_board(delivery)
        at = action_time(recorded_at)
        label = FailureReason(reason).label
        why = f"{label} : {note}" if note else str(label)
        source = "delivery.record_failure"
        delivery.failure_reason, delivery.failure_note = reason, note
        delivery.failures += 1
        delivery.at_hub = True
        transition(
            delivery,
            DeliveryStatus.FAILED,
            by=user,
            why=why,
            source=source,
            fields=other_fields(delivery),
            at=at,
        )
        stop.failure_reason = reason
        _close_stop(stop, round_, StopState.FAILED, at, by=user, why=why, source=source)
        record_event(delivery, EventKind.FAILED, why, EventSource.COURIER, user, at)
        notify_shop(delivery, NoticeKind.FAILED, reason=str(label), note=note)
    return stop


def _close_stop(
    stop: Stop, round_: Round, state: str, at: datetime, *, by: Actor, why: str, source: str
) -> None:
    stop.done_at = at
    transition(
        stop, state, by=by, why=why, source=source, fields=["done_at", "failure_reason"], at=at
    )
    round_started = round_.started_at is None
    if round_started:
        round_.started_at = at
        round_.save(update_fields=["started_at"])
    if round_.status == RoundStatus.PUBLISHED:
        transition(round_, RoundStatus.IN_PROGRESS, by=by, why=why, source=source, at=at)
    if (
        round_.status != RoundStatus.FINISHED
        and not round_.stops.filter(state=StopState.TODO).exists()
    ):
        round_.finished_at = timezone.now()
        transition(
            round_,
            RoundStatus.FINISHED,
            by=by,
            why=_("Dernier arrêt enregistré."),
            source=source,
            fields=["finished_at"],
        )
    live.stop_closed(stop, round_)
    round_id = round_.pk
    transaction.on_commit(lambda: refresh_expected_arrivals(round_id))
    after_stop_recorded(round_id, round_started=round_started)
