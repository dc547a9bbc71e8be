"""Checkout and the life of an order: placed, accepted or refused per shop, ready, done."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

import delivery.services as delivery
from hub.services import (
    Actor,
    Conflict,
    atomic_with_lock_timeout,
    elide,
    online_payment_available,
    other_fields,
    to_e164,
    transition,
)
from shop import notifications, payments
from shop.models import (
    Basket,
    BasketLine,
    MerchantOrder,
    MerchantOrderStatus,
    MerchantStatus,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    Product,
)
from shop.services.delivery_link import (
    create_delivery_for,
    part_ready,
    parts_dropped,
)
from shop.services.merchants import place_unplaced_merchants
from shop.workflows import MERCHANT_ORDER

FulfilmentMode = delivery.FulfilmentMode
NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Checkout:
    """What the shopper chose at checkout (raw values, validated by ``place_order``)."""

    fulfilment: str
    payment: str
    address: str = ""
    relay_point: int | str | None = None
    slot: int | str | None = None
    note: str = ""
    phone: str = ""
    news_by_sms: bool = False


@dataclass(frozen=True)
class Destination:
    """A checked fulfilment choice: where the order goes and how it is paid."""

    fulfilment: str
    payment: str
    address: str = ""
    address_label: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    distance_km: Decimal | None = None
    relay_point: object | None = None
    slot_id: int | None = None
    note: str = ""
    phone: str = ""
    news_by_sms: bool = False


def check_checkout(checkout: Checkout, shopper) -> Destination:
    """Validate the choices (address in the zone, relay point, slot given) or raise 400 errors."""
    errors: dict[str, str] = {}
    if checkout.fulfilment not in FulfilmentMode.values:
        errors["fulfilment"] = _("Choisissez un mode de livraison ou de retrait.")
    if checkout.payment not in PaymentMethod.values:
        errors["payment"] = _("Choisissez un moyen de paiement.")
    elif checkout.payment == PaymentMethod.ONLINE and not online_payment_available():
        errors["payment"] = _(
            "Le paiement en ligne n'est pas proposé : choisissez un paiement à la remise."
        )
    note = (checkout.note or "").strip()
    if len(note) > 500:
        errors["note"] = _("Les instructions tiennent en 500 caractères au plus.")
    fulfilment = checkout.fulfilment
    by_bike = fulfilment in FulfilmentMode.by_cargo_bike()
    phone = ""
    try:
        phone = to_e164(checkout.phone or shopper.phone)
    except ValidationError as error:
        errors["phone"] = error.messages[0]
    if by_bike and not phone and "phone" not in errors:
        errors["phone"] = _("Indiquez un numéro de téléphone pour que le coursier vous joigne.")
    slot_id = _as_int(checkout.slot)
    if by_bike and slot_id is None:
        errors["slot"] = _("Choisissez un créneau de livraison.")
    fields: dict = {}
    if fulfilment in FulfilmentMode.to_an_address():
        found = delivery.check_address(checkout.address)
        if not found.deliverable:
            errors["address"] = found.message
        else:
            fields = {
                "address": checkout.address.strip(),
                "address_label": found.label,
                "latitude": found.latitude,
                "longitude": found.longitude,
                "distance_km": found.distance_km,
            }
    if fulfilment == FulfilmentMode.RELAY:
        try:
            fields["relay_point"] = delivery.get_relay_point(checkout.relay_point)
        except ValidationError as error:
            errors.update({key: value[0] for key, value in error.message_dict.items()})
        else:
            closed = delivery.relay_point_closed_message(fields["relay_point"], slot_id)
            if closed and "slot" not in errors:
                errors["slot"] = closed
    if errors:
        raise ValidationError(errors)
    return Destination(
        fulfilment=fulfilment,
        payment=checkout.payment,
        slot_id=slot_id if by_bike else None,
        note=note,
        phone=phone,
        news_by_sms=bool(checkout.news_by_sms),
        **fields,
    )


def place_order(shopper, basket: Basket, checkout: Checkout, idempotency_key: str) -> Order:
    """Turn the basket into an order atomically: stock and slot taken under row locks, once
    per ``idempotency_key``; Conflict names the product or slot that lacks."""
    key = (idempotency_key or "").strip()[:100]
    if not key:
        raise ValidationError({"idempotency_key": _("Clé de commande manquante.")})
    existing = Order.objects.filter(shopper=shopper, idempotency_key=key).first()
    if existing:
        return _replayed(existing)
    destination = check_checkout(checkout, shopper)
    # Outside calls (geocoding a shop never placed) happen here, before any lock is taken.
    place_unplaced_merchants(
        list(
            BasketLine.objects.filter(basket=basket).values_list("product__merchant_id", flat=True)
        )
    )
    try:
        with atomic_with_lock_timeout():
            order = _place_locked(shopper, basket, destination, key)
    except IntegrityError:
        # A twin request with the same key committed first: answer with its order.
        existing = Order.objects.filter(shopper=shopper, idempotency_key=key).first()
        if existing is None:
            raise
        return _replayed(existing)
    return order


def _replayed(order: Order) -> Order:
    """The order an earlier request with the same key placed; the caller thanks only once."""
    order.replayed = True
    return order


def _place_locked(shopper, basket: Basket, destination: Destination, key: str) -> Order:
    # Lock order: basket, then products by id, then the slot — the same everywhere.
    Basket.objects.select_for_update().filter(pk=basket.pk).first()
    existing = Order.objects.filter(shopper=shopper, idempotency_key=key).first()
    if existing:
        return _replayed(existing)
    lines = list(BasketLine.objects.filter(basket=basket).order_by("product_id"))
    if not lines:
        raise ValidationError({"basket": _("Votre panier est vide.")})
    products = _lock_products([line.product_id for line in lines])
    for line in lines:
        _check_line(products.get(line.product_id), line)
    for line in lines:
        if products[line.product_id].stock is not None:
            Product.objects.filter(pk=line.product_id).update(stock=F("stock") - line.quantity)
    online = destination.payment == PaymentMethod.ONLINE
    if online:
        _check_online_offer(products)
    slot = delivery.reserve_slot(destination.slot_id) if destination.slot_id else None
    order = _create_order(shopper, destination, key, slot, lines, products)
    BasketLine.objects.filter(basket=basket).delete()
    if online:
        # The shops and dispatch hear of it once the card is authorised (payment_events).
        payments.open_payment(order, order_parts(order))
        OrderEvent.objects.create(
            order=order, message=_("Commande passée, en attente du paiement en ligne.")
        )
        return order
    create_delivery_for(order, order_parts(order))
    OrderEvent.objects.create(order=order, message=_("Commande passée."))
    notifications.order_placed(order)
    return order


def _check_online_offer(products: dict[int, Product]) -> None:
    merchants = sorted({p.merchant for p in products.values()}, key=lambda m: m.name)
    offer = payments.online_offer(merchants)
    if offer.blocking:
        names = ", ".join(f"« {merchant.name} »" for merchant in offer.blocking)
        raise Conflict(
            _(
                "Le paiement en ligne n'est pas possible pour ce panier : %(names)s n'accepte "
                "que le paiement à la remise. Choisissez un paiement à la remise."
            )
            % {"names": names},
            field="payment",
        )


def _lock_products(ids: list[int]) -> dict[int, Product]:
    locked = Product.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    products = {product.pk: product for product in locked}
    merchants = {
        product.pk: product.merchant
        for product in Product.objects.filter(pk__in=ids).select_related("merchant")
    }
    for pk, product in products.items():
        product.merchant = merchants[pk]
    return products


def _check_line(product: Product | None, line: BasketLine) -> None:
    if (
        product is None
        or not product.is_active
        or product.merchant.status != MerchantStatus.APPROVED
    ):
        name = product.name if product else _("un produit")
        raise Conflict(
            _("« %(name)s » n'est plus en vente : retirez-le du panier.") % {"name": name},
            field="basket",
        )
    if product.stock is not None and line.quantity > product.stock:
        raise Conflict(
            _(
                "Stock insuffisant pour « %(name)s » : il en reste %(stock)d, vous en demandez "
                "%(quantity)d."
            )
            % {"name": product.name, "stock": product.stock, "quantity": line.quantity},
            field="basket",
        )


def _create_order(shopper, destination, key, slot, lines, products) -> Order:
    by_merchant: dict[int, list[BasketLine]] = {}
    for line in lines:
        by_merchant.setdefault(products[line.product_id].merchant_id, []).append(line)
    items_total = sum(products[line.product_id].price * line.quantity for line in lines)
    weight = sum(products[line.product_id].weight_grams * line.quantity for line in lines)
    fee = delivery.delivery_fee(destination.fulfilment, items_total)
    order = Order.objects.create(
        number=_new_number(),
        shopper=shopper,
        idempotency_key=key,
        fulfilment=destination.fulfilment,
        address=destination.address,
        address_label=destination.address_label,
        latitude=destination.latitude,
        longitude=destination.longitude,
        distance_km=destination.distance_km,
        relay_point=destination.relay_point,
        slot=slot,
        slot_held=slot is not None,
        contact_name=shopper.get_full_name() or shopper.email,
        contact_phone=destination.phone,
        news_by_sms=destination.news_by_sms,
        contact_email=shopper.email,
        note=destination.note,
        payment_method=destination.payment,
        items_total=items_total,
        delivery_fee=fee,
        total=items_total + fee,
        total_weight_grams=weight,
        payment_status=PaymentStatus.PENDING
        if destination.payment == PaymentMethod.ONLINE
        else PaymentStatus.DUE,
    )
    order_lines = []
    for merchant_id, merchant_lines in by_merchant.items():
        part = MerchantOrder.objects.create(
            order=order,
            merchant_id=merchant_id,
            subtotal=sum(products[x.product_id].price * x.quantity for x in merchant_lines),
            weight_grams=sum(
                products[x.product_id].weight_grams * x.quantity for x in merchant_lines
            ),
        )
        for line in merchant_lines:
            product = products[line.product_id]
            order_lines.append(
                OrderLine(
                    merchant_order=part,
                    product=product,
                    name=product.name,
                    unit=product.unit,
                    unit_price=product.price,
                    vat_rate=product.vat_rate,
                    quantity=line.quantity,
                    weight_grams=product.weight_grams,
                )
            )
    OrderLine.objects.bulk_create(order_lines)
    return order


def _new_number() -> str:
    suffix = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(6))
    return f"{timezone.localdate():%y%m%d}-{suffix}"


def orders_of(shopper):
    """A shopper's orders, newest first, with their parts and lines prefetched."""
    return (
        Order.objects.filter(shopper_id=getattr(shopper, "pk", None))
        .select_related("slot", "relay_point")
        .prefetch_related(
            Prefetch(
                "merchant_orders",
                queryset=MerchantOrder.objects.select_related("merchant").prefetch_related("lines"),
            )
        )
    )


def _restore_stock(parts) -> None:
    lines = sorted(
        (line for part in parts for line in part.lines.all() if line.product_id),
        key=lambda line: line.product_id,
    )
    ids = [line.product_id for line in lines]
    stocked = set(
        Product.objects.select_for_update()
        .filter(pk__in=ids, stock__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for line in lines:
        if line.product_id in stocked:
            Product.objects.filter(pk=line.product_id).update(stock=F("stock") + line.quantity)


def _release_slot(order: Order) -> None:
    if order.slot_held and order.slot_id:
        delivery.release_slot(order.slot_id)
        order.slot_held = False


def lock_order(order_id: int) -> Order:
    """The order, locked for the rest of the transaction (lock it before its parts)."""
    return Order.objects.select_for_update().get(pk=order_id)


def order_parts(order: Order) -> list[MerchantOrder]:
    """The order's merchant parts with their shop and lines, in a stable order."""
    return list(
        MerchantOrder.objects.filter(order=order)
        .select_related("merchant")
        .prefetch_related("lines", "merchant__opening_periods")
        .order_by("pk")
    )


def worked_out_status(parts: list[MerchantOrder]) -> str:
    """The order's status as its kept parts (neither refused nor cancelled) say."""
    return status_from_parts([part.status for part in parts])


def status_from_parts(part_statuses: Iterable[str]) -> str:
    """The order's status that its parts' statuses make (the demo's past works it out too)."""
    kept = [status for status in part_statuses if status not in MerchantOrderStatus.dropped()]
    statuses = set(kept)
    done = {MerchantOrderStatus.COLLECTED, MerchantOrderStatus.DELIVERED}
    ready = done | {MerchantOrderStatus.READY, MerchantOrderStatus.HANDED_OVER}
    if not kept:
        return OrderStatus.CANCELLED
    if statuses <= done:
        return OrderStatus.COMPLETED
    if statuses <= ready:
        return OrderStatus.READY
    if statuses != {MerchantOrderStatus.PLACED}:
        return OrderStatus.IN_PROGRESS
    return OrderStatus.PLACED


def refresh_order(
    order: Order, parts: list[MerchantOrder], *, by: Actor = None, why: str = "", source: str = ""
) -> None:
    """Recompute the order's status and totals from its parts (dropped parts count for nothing);
    a new status goes through the order's workflow, recorded with ``by`` and ``why``."""
    kept = [part for part in parts if part.status not in MerchantOrderStatus.dropped()]
    status = worked_out_status(parts)
    order.items_total = sum((part.subtotal for part in kept), Decimal("0"))
    order.total_weight_grams = sum(part.weight_grams for part in kept)
    if not kept:
        order.delivery_fee = Decimal("0")
        order.cancelled_at = order.cancelled_at or timezone.now()
        _release_slot(order)
    order.total = order.items_total + order.delivery_fee
    if status == order.status:
        order.save()
    else:
        transition(
            order,
            status,
            by=by,
            why=why,
            source=source or "shop.refresh_order",
            fields=other_fields(order),
        )
    payments.follow_parts(order, parts)


def cancel_order(order: Order, shopper, reason: str = "") -> Order:
    """The shopper cancels while no shop has accepted: stock and slot are given back."""
    if order.shopper_id != shopper.pk:
        raise PermissionDenied
    with transaction.atomic():
        order = lock_order(order.pk)
        if order.status != OrderStatus.PLACED:
            raise Conflict(
                _("Cette commande ne peut plus être annulée : un commerce l'a déjà acceptée.")
            )
        parts = cancel_parts(order, reason or _("Annulée par le client."), by=shopper)
        notifications.order_cancelled_to_merchants(order, parts)
    return order


def cancel_parts(order: Order, reason: str, *, by: Actor = None) -> list[MerchantOrder]:
    """Cancel every open part of a locked order: their stock and the slot back, delivery told,
    reason noted (a part refused earlier stays refused: its stock is already back)."""
    parts = order_parts(order)
    open_parts = [part for part in parts if part.status in MerchantOrderStatus.open()]
    _restore_stock(open_parts)
    for part in open_parts:
        transition(
            part, MerchantOrderStatus.CANCELLED, by=by, why=reason, source="shop.cancel_parts"
        )
    order.cancel_reason = reason
    refresh_order(order, parts, by=by, why=reason, source="shop.cancel_parts")
    parts_dropped(order, open_parts)
    OrderEvent.objects.create(order=order, message=reason)
    return parts


def member_part(user, part_id, merchant=None) -> MerchantOrder:
    """A merchant order of a shop the user belongs to; MerchantOrder.DoesNotExist otherwise."""
    parts = MerchantOrder.objects.filter(pk=_as_int(part_id), merchant__members__user=user).exclude(
        order__payment_status=PaymentStatus.PENDING
    )
    if merchant is not None:
        parts = parts.filter(merchant=merchant)
    part = parts.select_related("merchant", "order").first()
    if part is None:
        raise MerchantOrder.DoesNotExist
    return part


def _refuse_move(part: MerchantOrder, new_status: str) -> None:
    if not MERCHANT_ORDER.allows(part.status, new_status):
        raise Conflict(
            _("Impossible : cette commande est « %(status)s ».")
            % {"status": part.get_status_display()}
        )


def _transition(
    part: MerchantOrder, new_status: str, message: str, by: Actor, source: str
) -> MerchantOrder:
    with transaction.atomic():
        order = lock_order(part.order_id)
        parts = order_parts(order)
        current = next(p for p in parts if p.pk == part.pk)
        _refuse_move(current, new_status)
        transition(current, new_status, by=by, why=message, source=source)
        refresh_order(order, parts, by=by, why=message, source=source)
        OrderEvent.objects.create(order=order, merchant=current.merchant, message=message)
    current.order = order
    return current


def accept_part(part: MerchantOrder, *, by: Actor = None) -> MerchantOrder:
    """The shop accepts its part of the order."""
    part = _transition(
        part,
        MerchantOrderStatus.ACCEPTED,
        _("%(shop)s a accepté sa partie de la commande.") % {"shop": part.merchant.name},
        by,
        "shop.accept_part",
    )
    notifications.part_changed(part, "part_accepted")
    return part


def refuse_part(part: MerchantOrder, reason: str, *, by: Actor = None) -> MerchantOrder:
    """The shop refuses its part with a reason: stock comes back, totals drop, shopper told."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif du refus au client.")})
    if len(reason) > 250:
        raise ValidationError({"reason": _("Le motif tient en 250 caractères au plus.")})
    with transaction.atomic():
        order = lock_order(part.order_id)
        parts = order_parts(order)
        current = next(p for p in parts if p.pk == part.pk)
        _refuse_move(current, MerchantOrderStatus.REFUSED)
        _restore_stock([current])
        message = _("%(shop)s a refusé sa partie : %(reason)s") % {
            "shop": current.merchant.name,
            "reason": reason,
        }
        current.refusal_reason = reason
        transition(
            current,
            MerchantOrderStatus.REFUSED,
            by=by,
            why=message,
            source="shop.refuse_part",
            fields=["refusal_reason"],
        )
        refresh_order(order, parts, by=by, why=message, source="shop.refuse_part")
        parts_dropped(order, [current])
        OrderEvent.objects.create(order=order, merchant=current.merchant, message=message)
        current.order = order
        notifications.part_changed(current, "part_refused")
    return current


def mark_part_ready(part: MerchantOrder, *, by: Actor = None) -> MerchantOrder:
    """The shop has prepared its part (click & collect: the shopper is told to come; cargo
    bike: the courier may collect it)."""
    with transaction.atomic():
        part = _transition(
            part,
            MerchantOrderStatus.READY,
            _("%(shop)s a préparé sa partie.") % {"shop": part.merchant.name},
            by,
            "shop.mark_part_ready",
        )
        part_ready(part)
    if part.order.fulfilment == FulfilmentMode.COLLECT:
        notifications.part_changed(part, "part_ready")
    return part


def mark_part_collected(part: MerchantOrder, *, by: Actor = None) -> MerchantOrder:
    """Click & collect: the shopper took their part at the shop."""
    if part.order.fulfilment != FulfilmentMode.COLLECT:
        raise Conflict(_("Cette commande est livrée à vélo-cargo : elle ne se retire pas."))
    return _transition(
        part,
        MerchantOrderStatus.COLLECTED,
        _("Retirée chez %(shop)s.") % {"shop": part.merchant.name},
        by,
        "shop.mark_part_collected",
    )


def mark_part_handed_over(part: MerchantOrder, *, by: Actor = None) -> MerchantOrder:
    """Cargo-bike modes: the courier picked up this shop's part."""
    if part.order.fulfilment == FulfilmentMode.COLLECT:
        raise Conflict(_("Cette commande est à retirer en boutique."))
    return _transition(
        part,
        MerchantOrderStatus.HANDED_OVER,
        _("Le coursier a pris en charge la partie %(of_shop)s.")
        % {"of_shop": elide("de", part.merchant.name)},
        by,
        "shop.mark_part_handed_over",
    )


def mark_order_delivered(order: Order, *, by: Actor = None) -> Order:
    """The courier delivered every part that was handed over."""
    message = _("Commande livrée.")
    source = "shop.mark_order_delivered"
    with transaction.atomic():
        order = lock_order(order.pk)
        parts = order_parts(order)
        for part in parts:
            if part.status == MerchantOrderStatus.HANDED_OVER:
                transition(part, MerchantOrderStatus.DELIVERED, by=by, why=message, source=source)
        refresh_order(order, parts, by=by, why=message, source=source)
        OrderEvent.objects.create(order=order, message=message)
    return order


def release_unaccepted_orders(now: datetime | None = None) -> int:
    """Cancel orders that no shop accepted in time, and drop late parts; tell the shoppers."""
    now = now or timezone.now()
    collect_limit = now - timedelta(hours=settings.SHOP_COLLECT_ACCEPT_HOURS)
    late = (
        Q(order__slot__cutoff__lte=now)
        | Q(order__slot__isnull=True, order__created_at__lte=collect_limit)
        | Q(order__accept_by__lte=now)
    )
    late_parts = MerchantOrder.objects.filter(late, status=MerchantOrderStatus.PLACED)
    released = 0
    for order_id in sorted(set(late_parts.values_list("order_id", flat=True))):
        with transaction.atomic():
            order = lock_order(order_id)
            if order.status == OrderStatus.PLACED:
                cancel_parts(order, _("Aucun commerce n'a accepté la commande à temps."))
                notifications.order_released(order)
                released += 1
            else:
                _drop_late_parts(order)
    return released


def _drop_late_parts(order: Order) -> None:
    parts = order_parts(order)
    late = [part for part in parts if part.status == MerchantOrderStatus.PLACED]
    _restore_stock(late)
    reason = _("Non acceptée avant l'heure limite.")
    for part in late:
        part.refusal_reason = reason
        transition(
            part,
            MerchantOrderStatus.REFUSED,
            why=reason,
            source="shop.release_unaccepted_orders",
            fields=["refusal_reason"],
        )
        OrderEvent.objects.create(
            order=order,
            merchant=part.merchant,
            message=_("%(shop)s n'a pas accepté à temps : sa partie est retirée.")
            % {"shop": part.merchant.name},
        )
        part.order = order
        notifications.part_changed(part, "part_refused")
    refresh_order(order, parts, why=reason, source="shop.release_unaccepted_orders")
    parts_dropped(order, late)


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
