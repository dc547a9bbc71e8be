"""Baskets: tied to the account, or to the session before sign-in; merged at login."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from hub.services import Conflict, forget_remembered, remembered
from shop.models import Basket, BasketLine, Merchant, Product

SESSION_KEY = "shop_basket_id"
# The header badge's count, kept per account and per session basket; forgotten on every change
# of a line or basket (shop.signals), so this only bounds a write no signal tells of.
BASKET_COUNT_SECONDS = 600


@dataclass
class BasketGroup:
    merchant: Merchant
    lines: list[BasketLine] = field(default_factory=list)

    @property
    def subtotal(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0"))


@dataclass
class BasketSummary:
    basket: Basket | None
    groups: list[BasketGroup]

    @property
    def lines(self) -> list[BasketLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def total(self) -> Decimal:
        return sum((group.subtotal for group in self.groups), Decimal("0"))

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def weight_grams(self) -> int:
        return sum(line.product.weight_grams * line.quantity for line in self.lines)


def get_basket(user, session, create: bool = False) -> Basket | None:
    """The account's basket when signed in, else the session's; created on demand."""
    if user is not None and user.is_authenticated:
        basket = Basket.objects.filter(user=user).first()
        if basket is None and create:
            basket, _created = Basket.objects.get_or_create(user=user)
        return basket
    basket_id = session.get(SESSION_KEY) if session is not None else None
    basket = Basket.objects.filter(pk=basket_id, user__isnull=True).first() if basket_id else None
    if basket is None and create:
        basket = Basket.objects.create()
        session[SESSION_KEY] = basket.pk
    return basket


def clean_quantity(value, allow_zero: bool = False) -> int:
    """A whole quantity between 1 (or 0) and the per-line maximum, else a French error."""
    maximum = settings.SHOP_MAX_LINE_QUANTITY
    try:
        quantity = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({"quantity": _("Indiquez une quantité en chiffres.")}) from None
    if quantity < (0 if allow_zero else 1) or quantity > maximum:
        raise ValidationError(
            {"quantity": _("La quantité doit être comprise entre 1 et %(max)d.") % {"max": maximum}}
        )
    return quantity


def _product_on_sale(product_id) -> Product:
    try:
        pk = int(product_id)
    except (TypeError, ValueError):
        pk = None
    product = Product.objects.on_sale().select_related("merchant").filter(pk=pk).first()
    if product is None:
        raise ValidationError({"product": _("Ce produit n'existe pas ou n'est plus en vente.")})
    return product


def _check_stock(product: Product, quantity: int) -> None:
    if product.stock is None or quantity <= product.stock:
        return
    if product.stock == 0:
        message = _("« %(name)s » est en rupture de stock.") % {"name": product.name}
    else:
        message = _("Il ne reste que %(stock)d « %(name)s » en stock.") % {
            "stock": product.stock,
            "name": product.name,
        }
    raise Conflict(message, field="quantity")


@transaction.atomic
def add_to_basket(basket: Basket, product_id, quantity) -> BasketLine:
    """Add ``quantity`` of a product (added to what is there); refuse beyond the stock."""
    quantity = clean_quantity(quantity)
    product = _product_on_sale(product_id)
    line = BasketLine.objects.select_for_update().filter(basket=basket, product=product).first()
    wanted = quantity + (line.quantity if line else 0)
    if wanted > settings.SHOP_MAX_LINE_QUANTITY:
        clean_quantity(wanted)
    _check_stock(product, wanted)
    if line is None:
        line = BasketLine.objects.create(basket=basket, product=product, quantity=wanted)
    else:
        line.quantity = wanted
        line.save(update_fields=["quantity"])
    basket.save(update_fields=["updated_at"])
    return line


def basket_line(basket: Basket | None, line_id) -> BasketLine:
    """A line of this basket, or a French error on ``line``."""
    try:
        pk = int(line_id)
    except (TypeError, ValueError):
        pk = None
    line = None
    if basket is not None and pk is not None:
        line = (
            BasketLine.objects.select_related("product__merchant")
            .filter(basket=basket, pk=pk)
            .first()
        )
    if line is None:
        raise ValidationError({"line": _("Cette ligne n'est pas dans votre panier.")})
    return line


@transaction.atomic
def set_line_quantity(basket: Basket, line_id, quantity) -> BasketLine | None:
    """Change a line's quantity in place (0 removes it); refuse beyond the stock."""
    quantity = clean_quantity(quantity, allow_zero=True)
    line = basket_line(basket, line_id)
    if quantity == 0:
        line.delete()
        return None
    _check_stock(line.product, quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    return line


def remove_line(basket: Basket, line_id) -> None:
    """Take a line out of the basket."""
    basket_line(basket, line_id).delete()


def summarise(basket: Basket | None) -> BasketSummary:
    """Lines grouped by shop (in order of first addition) with subtotals, in one query."""
    if basket is None:
        return BasketSummary(None, [])
    groups: OrderedDict[int, BasketGroup] = OrderedDict()
    lines = BasketLine.objects.filter(basket=basket).select_related("product__merchant")
    for line in lines:
        merchant = line.product.merchant
        groups.setdefault(merchant.pk, BasketGroup(merchant)).lines.append(line)
    return BasketSummary(basket, list(groups.values()))


def _count_key(basket_id: int | None = None, user_id: int | None = None) -> str:
    return f"shop:basket-count:user:{user_id}" if user_id else f"shop:basket-count:{basket_id}"


def _sum(lines: QuerySet[BasketLine]) -> int:
    return lines.aggregate(total=Sum("quantity"))["total"] or 0


def basket_count(user, session) -> int:
    """How many items the visitor's basket holds (for the header badge): the lines of the
    account's basket when signed in, else of the session's; from the cache while no line or
    basket changed (``forget_basket_count``), else one query."""
    # The querysets are built only on a miss: building one costs a twentieth of a page.
    if user is not None and user.is_authenticated:
        return remembered(
            _count_key(user_id=user.pk),
            lambda: _sum(BasketLine.objects.filter(basket__user=user)),
            BASKET_COUNT_SECONDS,
        )
    basket_id = session.get(SESSION_KEY) if session is not None else None
    if not basket_id:
        return 0
    return remembered(
        _count_key(basket_id),
        lambda: _sum(BasketLine.objects.filter(basket_id=basket_id, basket__user__isnull=True)),
        BASKET_COUNT_SECONDS,
    )


def forget_basket_count(basket_id: int | None, user_id: int | None = None) -> None:
    """A line of this basket (of this account) changed: the badge counts again."""
    keys = [_count_key(basket_id)] if basket_id else []
    if user_id:
        keys.append(_count_key(user_id=user_id))
    forget_remembered(keys)


@transaction.atomic
def merge_session_basket(session, user) -> None:
    """At sign-in, move the session basket's lines into the account's basket (capped by stock)."""
    basket_id = session.pop(SESSION_KEY, None)
    anonymous = (
        Basket.objects.filter(pk=basket_id, user__isnull=True).first() if basket_id else None
    )
    if anonymous is None:
        return
    target, _created = Basket.objects.get_or_create(user=user)
    existing = {line.product_id: line for line in target.lines.select_for_update()}
    for line in anonymous.lines.select_related("product"):
        kept = existing.get(line.product_id)
        quantity = line.quantity + (kept.quantity if kept else 0)
        if line.product.stock is not None:
            quantity = min(quantity, line.product.stock)
        quantity = min(quantity, settings.SHOP_MAX_LINE_QUANTITY)
        if quantity <= 0:
            continue
        if kept:
            kept.quantity = quantity
            kept.save(update_fields=["quantity"])
        else:
            BasketLine.objects.create(basket=target, product=line.product, quantity=quantity)
    anonymous.delete()
