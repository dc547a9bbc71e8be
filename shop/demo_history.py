"""The shop's past in the demo: eight weeks of orders from the demo's regular customers, placed,
accepted or refused by the shops, prepared, then collected or handed to the cargo bikes and,
once delivery has ridden them, delivered or not; and the shops' requests to the multimedia
workshop, answered.

The rows are written straight to the shop's tables and dated in the past, created in their first
status and then moved along the declared workflows by ``record_past``: each part and order gets
the dated history (who, when, from, to, why) the order services would have recorded. Each
cargo-bike order gets its delivery through ``delivery_link``, as at checkout. Replaying eight
weeks through the order services would e-mail shoppers and shops about weeks-old orders and
take minutes.
Idempotent: an order is known by its key, a request by its subject; a run on a later day adds
only the days in between.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import delivery.services as delivery
from hub.services import (
    DEMO_DOMAIN,
    Actor,
    PastMove,
    demo_history_days,
    demo_user,
    elide,
    record_past,
)
from shop.demo_data import SHOPS
from shop.models import (
    Merchant,
    MerchantOrder,
    MerchantOrderStatus,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentStatus,
    SupportComment,
    SupportRequest,
    SupportStatus,
)
from shop.services.delivery_link import create_delivery_for, part_ready, parts_dropped
from shop.services.orders import NUMBER_ALPHABET, status_from_parts

KEY_PREFIX = "demo-history-"
DELIVERY_DAYS = {1, 2, 3, 4, 5}  # Tuesday to Saturday, as the demo's slot templates
REFUSAL_RATE = 0.06
MODES = ["home", "home", "home", "home", "work", "relay", "relay"]  # cargo-bike orders' mix
HANDED_OVER = "shop.mark_part_handed_over"


@dataclass(frozen=True)
class Customer:
    email: str
    first_name: str
    last_name: str
    phone: str
    home: str
    work: str = ""


CUSTOMERS = [
    Customer(
        f"client@{DEMO_DOMAIN}",
        "Camille",
        "Dupont",
        "06 12 34 56 78",
        "44 Boulevard Gambetta, 62100 Calais",
        "14 Rue du Pont Lottin, 62100 Calais",
    ),
    Customer(
        f"cliente.ines@{DEMO_DOMAIN}", "Inès", "Martel", "06 23 45 67 89", "7 Rue des Thermes"
    ),
    Customer(
        f"client.hugo@{DEMO_DOMAIN}",
        "Hugo",
        "Leroy",
        "06 34 56 78 90",
        "60 Boulevard de l'Égalité, 62100 Calais",
        "9 Avenue Roger Salengro, 62100 Calais",
    ),
    Customer(
        f"cliente.margaux@{DEMO_DOMAIN}", "Margaux", "Lebrun", "06 45 67 89 01", "2 Place Crèvecœur"
    ),
    Customer(
        f"client.rachid@{DEMO_DOMAIN}",
        "Rachid",
        "Mansouri",
        "06 56 78 90 12",
        "15 Avenue Antoine de Saint-Exupéry, 62100 Calais",
    ),
    Customer(
        f"cliente.odile@{DEMO_DOMAIN}", "Odile", "Vasseur", "06 67 89 01 23", "3 Quai de la Loire"
    ),
    Customer(
        f"client.bruno@{DEMO_DOMAIN}",
        "Bruno",
        "Caron",
        "06 78 90 12 34",
        "40 Rue Royale, 62100 Calais",
        "135 Quai du Commerce, 62100 Calais",
    ),
]
REFUSALS = [
    "Rupture de stock sur ce produit, désolé !",
    "Livraison du fournisseur pas arrivée ce matin.",
    "Boutique fermée exceptionnellement ce jour-là.",
]
NOTES = ["", "", "", "Sonner deux fois", "Code 1452", "Laisser à la gardienne", "2e étage"]
# shop index, kind, subject, description, days ago, status, the workshop's answer
SUPPORT = [
    (
        1,
        "social",
        "Créer la page Instagram de la boulangerie",
        "Nous aimerions montrer nos pains du jour sur Instagram.",
        50,
        SupportStatus.DONE,
        "La page est en ligne avec vos photos de la semaine ; on vous montre comment publier.",
    ),
    (
        2,
        "signage",
        "Nouvelle enseigne pour la boucherie",
        "Notre enseigne est abîmée depuis la tempête : il nous faudrait une maquette.",
        38,
        SupportStatus.DONE,
        "Trois maquettes vous attendent à l'atelier multimédia, passez quand vous voulez.",
    ),
    (
        3,
        "flyers",
        "Flyers pour les paniers de saison",
        "Un flyer A5 pour annoncer nos paniers livrés à vélo-cargo.",
        24,
        SupportStatus.IN_PROGRESS,
        "Première version envoyée par e-mail : dites-nous ce qu'il faut changer.",
    ),
    (
        6,
        "photos",
        "Photos des bouquets pour la boutique en ligne",
        "Nos fiches produits n'ont que des photos prises au téléphone.",
        9,
        SupportStatus.WAITING,
        "Séance photo possible mardi ou jeudi matin : quel jour vous arrange ?",
    ),
]


@dataclass
class Draft:
    """An order of the past and what happened to it, before it is saved."""

    order: Order
    parts: list[MerchantOrder] = field(default_factory=list)
    lines: list[OrderLine] = field(default_factory=list)
    events: list[OrderEvent] = field(default_factory=list)
    moves: dict[int, list[PastMove]] = field(default_factory=dict)  # by part index

    def event(self, at: datetime, message: str, merchant=None) -> None:
        self.events.append(OrderEvent(order=self.order, merchant=merchant, message=message))
        self.events[-1].created_at = at

    def move(self, index: int, to: str, at: datetime, why: str, source: str, by: Actor) -> None:
        """A part's step, told on the order's timeline and kept for its status history."""
        self.event(at, why)
        self.moves.setdefault(index, []).append(PastMove(to, at, why, source, by))
        self.parts[index].updated_at = at

    def last_status(self, index: int) -> str:
        moves = self.moves.get(index)
        return str(moves[-1].to) if moves else MerchantOrderStatus.PLACED

    def order_moves(self) -> list[PastMove]:
        """The order's moves as its parts' moves make them, one after the other (as
        ``refresh_order`` works them out after each part's move)."""
        steps = sorted(
            ((move, index) for index, moves in self.moves.items() for move in moves),
            key=lambda step: step[0].at,
        )
        statuses = [str(MerchantOrderStatus.PLACED)] * len(self.parts)
        current, moves = str(OrderStatus.PLACED), []
        for move, index in steps:
            statuses[index] = str(move.to)
            status = status_from_parts(statuses)
            if status != current:
                moves.append(PastMove(status, move.at, move.why, move.source, move.by))
                current = status
        return moves


def _moment(day: date, hour: float) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(int(hour), int(hour % 1 * 60))))


def _history_days(today: date) -> list[date]:
    days = [today - timedelta(days=n) for n in range(demo_history_days(), 0, -1)]
    return [day for day in days if day.weekday() in DELIVERY_DAYS]


class History:
    """What the seeder needs once: customers, shops, their products, places, known keys."""

    def __init__(self):
        self.customers = [
            (customer, demo_user(customer.email, customer.first_name, customer.last_name))
            for customer in CUSTOMERS
        ]
        names = [shop[0] for shop in SHOPS]
        self.shops = list(Merchant.objects.filter(name__in=names).order_by("pk"))
        self.products = {
            shop.pk: list(shop.products.filter(is_active=True).order_by("pk"))
            for shop in self.shops
        }
        self.relay_points = list(delivery.active_relay_points())
        self.keys = set(
            Order.objects.filter(idempotency_key__startswith=KEY_PREFIX).values_list(
                "idempotency_key", flat=True
            )
        )
        self.numbers = set(Order.objects.values_list("number", flat=True))
        # Who answers the orders in the shops' dashboards: every demo shop's owner.
        self.owner = demo_user(f"commercant@{DEMO_DOMAIN}", "Louis", "Marchand")
        self.places: dict[str, delivery.AddressCheck] = {}

    def place(self, address: str) -> delivery.AddressCheck:
        if address not in self.places:
            self.places[address] = delivery.check_address(address)
        return self.places[address]

    def number(self, rng: random.Random, day: date) -> str:
        while True:
            number = f"{day:%y%m%d}-" + "".join(rng.choice(NUMBER_ALPHABET) for _ in range(6))
            if number not in self.numbers:
                self.numbers.add(number)
                return number


def _draft(history: History, rng, day: date, key: str, mode: str, slot) -> Draft:
    customer, user = rng.choice(history.customers)
    placed = _placed_at(rng, day, slot)
    order = Order(
        number=history.number(rng, day),
        shopper=user,
        idempotency_key=key,
        fulfilment=mode,
        slot=slot,
        slot_held=slot is not None,
        contact_name=user.get_full_name(),
        contact_phone=customer.phone,
        contact_email=user.email,
        note=rng.choice(NOTES) if slot else "",
        payment_method=rng.choice(["card", "card", "cash", "cheque"]),
        items_total=Decimal("0"),
        delivery_fee=Decimal("0"),
        total=Decimal("0"),
    )
    order.created_at = placed
    _destination(history, rng, order, customer)
    draft = Draft(order)
    draft.event(placed, _("Commande passée."))
    shops = rng.sample(history.shops, k=rng.choice([1, 1, 1, 2, 2, 3]))
    for shop in sorted(shops, key=lambda merchant: merchant.pk):
        _part(draft, rng, shop, history.products[shop.pk], placed)
    full_total = sum((part.subtotal for part in draft.parts), Decimal("0"))
    order.delivery_fee = delivery.delivery_fee(mode, full_total)
    _follow(draft, rng, slot, history.owner)
    return draft


def _placed_at(rng, day: date, slot) -> datetime:
    """The evening before or the morning of the slot, before its cut-off."""
    if slot is None:
        return _moment(day, rng.uniform(8, 12))
    latest = slot.cutoff - timedelta(minutes=30)
    return latest - timedelta(minutes=rng.randint(0, 14 * 60))


def _destination(history: History, rng, order: Order, customer: Customer) -> None:
    if order.fulfilment == "relay":
        order.relay_point = rng.choice(history.relay_points)
        return
    if order.fulfilment == "collect":
        return
    address = customer.work if order.fulfilment == "work" and customer.work else customer.home
    found = history.place(address)
    order.address, order.address_label = address, found.label
    order.latitude, order.longitude, order.distance_km = (
        found.latitude,
        found.longitude,
        found.distance_km,
    )


def _part(draft: Draft, rng, shop: Merchant, products: list, placed: datetime) -> None:
    part = MerchantOrder(order=draft.order, merchant=shop, subtotal=Decimal("0"))
    part.created_at = part.updated_at = placed
    for product in rng.sample(products, k=min(len(products), rng.randint(1, 3))):
        quantity = rng.randint(1, 3)
        draft.lines.append(
            OrderLine(
                merchant_order=part,
                product=product,
                name=product.name,
                unit=product.unit,
                unit_price=product.price,
                vat_rate=product.vat_rate,
                quantity=quantity,
                weight_grams=product.weight_grams,
            )
        )
        part.subtotal += product.price * quantity
        part.weight_grams += product.weight_grams * quantity
    draft.parts.append(part)


def _follow(draft: Draft, rng, slot, owner: Actor) -> None:
    """Each shop accepts (or refuses) and prepares; click & collect orders are collected."""
    order = draft.order
    for index, part in enumerate(draft.parts):
        shop = part.merchant.name
        decided = order.created_at + timedelta(minutes=rng.randint(10, 80))
        if rng.random() < REFUSAL_RATE:
            part.refusal_reason = rng.choice(REFUSALS)
            message = _("%(shop)s a refusé sa partie : %(reason)s")
            message %= {"shop": shop, "reason": part.refusal_reason}
            draft.move(
                index, MerchantOrderStatus.REFUSED, decided, message, "shop.refuse_part", owner
            )
            continue
        message = _("%(shop)s a accepté sa partie de la commande.") % {"shop": shop}
        draft.move(index, MerchantOrderStatus.ACCEPTED, decided, message, "shop.accept_part", owner)
        # By bike: ready before the round leaves the hub for its pickups (as shops are asked).
        ready = (_departure(slot) if slot else decided + timedelta(minutes=95)) - timedelta(
            minutes=rng.randint(5, 50)
        )
        ready = max(ready, decided + timedelta(minutes=5))  # prepared once accepted
        message = _("%(shop)s a préparé sa partie.") % {"shop": shop}
        draft.move(index, MerchantOrderStatus.READY, ready, message, "shop.mark_part_ready", owner)
        if slot is None:
            collected = ready + timedelta(minutes=rng.randint(60, 300))
            message = _("Retirée chez %(shop)s.") % {"shop": shop}
            draft.move(
                index,
                MerchantOrderStatus.COLLECTED,
                collected,
                message,
                "shop.mark_part_collected",
                owner,
            )
    _totals(draft, slot)


def _departure(slot) -> datetime:
    return delivery.default_window(slot)[0]


def _totals(draft: Draft, slot) -> None:
    order = draft.order
    kept = [
        part
        for index, part in enumerate(draft.parts)
        if draft.last_status(index) not in MerchantOrderStatus.dropped()
    ]
    order.items_total = sum((part.subtotal for part in kept), Decimal("0"))
    order.total_weight_grams = sum(part.weight_grams for part in kept)
    if not kept:
        order.delivery_fee = Decimal("0")
        order.cancelled_at = max(part.updated_at for part in draft.parts)
    elif slot is None:
        order.payment_status = PaymentStatus.PAID
    order.total = order.items_total + order.delivery_fee


def _create_dated(model, objects: list, fields: list[str]) -> list:
    """Insert the rows, then give them back the dates they happened at (insertion stamps
    ``auto_now_add`` and ``auto_now`` fields with the present)."""
    dates = [[getattr(obj, name) for name in fields] for obj in objects]
    created = model.objects.bulk_create(objects)
    for obj, values in zip(created, dates, strict=True):
        for name, value in zip(fields, values, strict=True):
            setattr(obj, name, value)
    model.objects.bulk_update(created, fields)
    return created


def _save(drafts: list[Draft]) -> None:
    """Bulk-save the day's orders, then give each cargo-bike order its delivery."""
    # Each part, line and event points to its parent object, saved just before.
    _create_dated(Order, [draft.order for draft in drafts], ["created_at"])
    parts = [part for draft in drafts for part in draft.parts]
    _create_dated(MerchantOrder, parts, ["created_at", "updated_at"])
    # Created placed, then moved along their dated steps (checked against the workflows).
    record_past(
        (part, draft.moves.get(index, []))
        for draft in drafts
        for index, part in enumerate(draft.parts)
    )
    record_past((draft.order, draft.order_moves()) for draft in drafts)
    OrderLine.objects.bulk_create([line for draft in drafts for line in draft.lines])
    _create_dated(OrderEvent, [e for draft in drafts for e in draft.events], ["created_at"])
    for draft in drafts:
        if draft.order.by_cargo_bike:
            _tell_delivery(draft)


def _tell_delivery(draft: Draft) -> None:
    """What the shop told delivery, when it did: the order placed, each part ready or refused
    (a whole order refused: no delivery)."""
    order = draft.order
    create_delivery_for(order, draft.parts, at=order.created_at)
    if order.status == OrderStatus.CANCELLED:
        parts_dropped(order, draft.parts, at=order.cancelled_at)
        return
    told = sorted(
        (move.at, index, move.to)
        for index, moves in draft.moves.items()
        for move in moves
        if move.to in (MerchantOrderStatus.READY, MerchantOrderStatus.REFUSED)
    )
    for at, index, status in told:
        part = draft.parts[index]
        if status == MerchantOrderStatus.READY:
            part_ready(part, at)
        else:
            parts_dropped(order, [part], at)


@transaction.atomic
def seed_orders() -> list[tuple[str, str, str]]:
    """Eight weeks of past orders (idempotent)."""
    history = History()
    for day in _history_days(timezone.localdate()):
        rng = random.Random(f"anima-demo-shop-{day.isoformat()}")
        slots = list(delivery.slots_on(day))
        if not slots:
            continue
        by_bike = rng.randint(4, 7) + (2 if day.weekday() == 5 else 0)
        modes = [rng.choice(MODES) for _ in range(by_bike)]
        modes += ["collect"] * rng.randint(1, 3)
        drafts = []
        for index, mode in enumerate(modes):
            key = f"{KEY_PREFIX}{day:%Y%m%d}-{index}"
            # One generator per order: what was saved before never shifts the next ones.
            order_rng = random.Random(f"anima-demo-{key}")
            slot = order_rng.choice(slots) if mode != "collect" else None
            if key not in history.keys:
                drafts.append(_draft(history, order_rng, day, key, mode, slot))
        if drafts:
            _save(drafts)
    _support(history, timezone.localdate())
    return []


def _support(history: History, today: date) -> None:
    staff = demo_user(f"moderation@{DEMO_DOMAIN}", "Thomas", "Lemaire")
    owner = demo_user(f"commercant@{DEMO_DOMAIN}", "Louis", "Marchand")
    for shop_index, kind, subject, description, days_ago, status, answer in SUPPORT:
        if SupportRequest.objects.filter(subject=subject).exists():
            continue
        asked = _moment(today - timedelta(days=days_ago), 10.5)
        answered = asked + timedelta(days=2, hours=4)
        request = SupportRequest.objects.create(
            merchant=history.shops[shop_index],
            author=owner,
            kind=kind,
            subject=subject,
            description=description,
            status=status,
            assignee=staff,
        )
        comment = SupportComment.objects.create(
            request=request, author=staff, body=answer, from_staff=True
        )
        SupportRequest.objects.filter(pk=request.pk).update(created_at=asked, updated_at=answered)
        SupportComment.objects.filter(pk=comment.pk).update(created_at=answered)


@transaction.atomic
def settle() -> list[tuple[str, str, str]]:
    """Past cargo-bike orders as delivery rode them: delivered, failed or brought back."""
    waiting = (
        Order.objects.filter(
            shopper__email__endswith=f"@{DEMO_DOMAIN}",
            merchant_orders__status=MerchantOrderStatus.READY,
            slot__end__lt=timezone.now(),
        )
        .exclude(fulfilment="collect")
        .distinct()
    )
    parts: list[tuple[MerchantOrder, list[PastMove]]] = []
    orders: list[tuple[Order, list[PastMove]]] = []
    for order in waiting:
        tracking = delivery.tracking_for_order(order.number)
        if tracking is not None:
            _settle(order, tracking, parts, orders)
    record_past(parts)
    record_past(orders)
    settled = [part for part, _moves in parts]
    MerchantOrder.objects.bulk_update(settled, ["updated_at", "refusal_reason"])
    return []


def _settle(order: Order, tracking, parts_moves: list, orders_moves: list) -> None:
    """One order's end as its delivery's tracking tells it: the courier took each part, then
    delivered, failed or brought the parts back (the moves the delivery reports make)."""
    outcome = _outcome(order, tracking)
    if outcome is None:
        return
    status, message, why, source = outcome
    parts = list(
        order.merchant_orders.filter(status=MerchantOrderStatus.READY).select_related("merchant")
    )
    done = tracking.updated_at
    events = []
    for part in parts:
        took = min(max(done - timedelta(minutes=40), part.updated_at), done)
        taken = _("Le coursier a pris en charge la partie %(of_shop)s.") % {
            "of_shop": elide("de", part.merchant.name)
        }
        events.append(OrderEvent(order=order, merchant=part.merchant, message=taken))
        events[-1].created_at = took
        moves = [PastMove(MerchantOrderStatus.HANDED_OVER, took, taken, HANDED_OVER)]
        if status == MerchantOrderStatus.CANCELLED:
            part.refusal_reason = _("Non livrée : rapportée au commerce.")
            moves.append(PastMove(status, done, f"{part.refusal_reason} {why}", source))
        elif status != MerchantOrderStatus.HANDED_OVER:
            moves.append(PastMove(status, done, why, source))
        part.updated_at = moves[-1].at  # a failed delivery leaves the part as it was taken
        parts_moves.append((part, moves))
    order.save()
    if status != MerchantOrderStatus.HANDED_OVER:
        worked_out = status_from_parts([status])
        orders_moves.append((order, [PastMove(worked_out, done, why, source)]))
    events.append(OrderEvent(order=order, message=message))
    events[-1].created_at = done
    _create_dated(OrderEvent, events, ["created_at"])


def _outcome(order: Order, tracking) -> tuple[str, str, str, str] | None:
    """The parts' last status, the timeline's line, the history's reason and source; the
    order's payment or cancellation set as the reports set them."""
    if tracking.status == "delivered":
        order.payment_status = PaymentStatus.PAID
        message = _("Commande livrée.")
        return MerchantOrderStatus.DELIVERED, message, message, "shop.mark_order_delivered"
    if tracking.status == "returned":
        order.cancelled_at, order.cancel_reason = tracking.updated_at, tracking.detail
        order.items_total = order.delivery_fee = order.total = Decimal("0")
        order.total_weight_grams = 0
        message = _("Commande non livrée, rapportée aux commerces : %(reason)s") % {
            "reason": tracking.detail
        }
        return MerchantOrderStatus.CANCELLED, message, tracking.detail, "shop.delivery_returned"
    if tracking.status == "failed":
        return MerchantOrderStatus.HANDED_OVER, tracking.detail, "", ""
    return None
