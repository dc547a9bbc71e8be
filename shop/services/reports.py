"""Figures: a shop's monthly sales, and the aggregates shown on the impact page."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from hub.services import Indicator, csv_text
from shop.models import MerchantOrder, MerchantOrderStatus, Order, OrderLine, OrderStatus
from shop.models.orders import vat_breakdown

CENT = Decimal("0.01")
SOLD = [
    MerchantOrderStatus.ACCEPTED,
    MerchantOrderStatus.READY,
    MerchantOrderStatus.HANDED_OVER,
    MerchantOrderStatus.COLLECTED,
    MerchantOrderStatus.DELIVERED,
]


class _Line:
    def __init__(self, vat_rate, total):
        self.vat_rate, self.total = vat_rate, total


def monthly_sales(merchant) -> list[dict]:
    """Per month (newest first): parts sold, total incl. VAT, excl. VAT and VAT."""
    lines = (
        OrderLine.objects.filter(merchant_order__merchant=merchant, merchant_order__status__in=SOLD)
        .annotate(month=TruncMonth("merchant_order__created_at"))
        .values("month", "vat_rate")
        .annotate(total=Sum(F("unit_price") * F("quantity")))
    )
    counts = dict(
        MerchantOrder.objects.filter(merchant=merchant, status__in=SOLD)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    by_month: dict = defaultdict(list)
    for row in lines:
        by_month[row["month"]].append(_Line(row["vat_rate"], row["total"]))
    months = []
    for month in sorted(by_month, reverse=True):
        breakdown = vat_breakdown(by_month[month])
        months.append(
            {
                "month": month,
                "orders": counts.get(month, 0),
                "gross": sum((row["gross"] for row in breakdown), Decimal("0")),
                "net": sum((row["net"] for row in breakdown), Decimal("0")),
                "vat": sum((row["vat"] for row in breakdown), Decimal("0")),
                "breakdown": breakdown,
            }
        )
    return months


def impact_indicators(start: date, end: date) -> list[Indicator]:
    """Orders placed, shops served and cargo-bike orders over the period (aggregates only)."""
    orders = Order.objects.filter(created_at__date__gte=start, created_at__date__lte=end).exclude(
        status=OrderStatus.CANCELLED
    )
    totals = orders.aggregate(n=Count("pk"), weight=Sum("total_weight_grams"))
    shops = (
        MerchantOrder.objects.filter(order__in=orders, status__in=SOLD)
        .values("merchant")
        .distinct()
        .count()
    )
    cargo = orders.exclude(fulfilment="collect").count()
    kilos = Decimal(totals["weight"] or 0) / 1000
    return [
        Indicator("shop_orders", _("Commandes passées"), totals["n"] or 0),
        Indicator("shop_merchants_served", _("Commerces du centre-ville servis"), shops),
        Indicator("shop_cargo_orders", _("Commandes livrées à vélo-cargo"), cargo),
        Indicator(
            "shop_cargo_weight",
            _("Marchandises commandées"),
            kilos.quantize(Decimal("0.1")),
            unit="kg",
        ),
    ]


def monthly_sales_csv(merchant) -> str:
    """The monthly summary as CSV, in the hub's convention (``hub.services.csv_text``)."""
    return csv_text(
        [_("Mois"), _("Commandes"), _("Total TTC"), _("Total HT"), _("TVA")],
        (
            [
                f"{month['month']:%m/%Y}",
                month["orders"],
                *(month[key].quantize(CENT) for key in ("gross", "net", "vat")),
            ]
            for month in monthly_sales(merchant)
        ),
    )
