"""Figures: a shop's monthly sales, and the aggregates shown on the impact page."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from hub.services import Indicator, csv_text, month_windows
from shop.models import MerchantOrder, MerchantOrderStatus, Order, OrderLine, OrderStatus
from shop.models.catalogue import VatRate
from shop.models.orders import vat_row

CENT = Decimal("0.01")
SOLD = [
    MerchantOrderStatus.ACCEPTED,
    MerchantOrderStatus.READY,
    MerchantOrderStatus.HANDED_OVER,
    MerchantOrderStatus.COLLECTED,
    MerchantOrderStatus.DELIVERED,
]


def monthly_sales(merchant) -> list[dict]:
    """Per month (newest first): parts sold and, for each VAT rate and in all, the amounts
    incl. VAT, excl. VAT and the VAT. Each part is split by rate exactly as its receipt does,
    then summed, so the month matches the receipts to the cent."""
    per_part_rate = (
        OrderLine.objects.filter(merchant_order__merchant=merchant, merchant_order__status__in=SOLD)
        .annotate(month=TruncMonth("merchant_order__created_at"))
        .values("month", "merchant_order", "vat_rate")
        .annotate(total=Sum(F("unit_price") * F("quantity")))
        .order_by()
    )
    counts = dict(
        MerchantOrder.objects.filter(merchant=merchant, status__in=SOLD)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    by_month: dict = defaultdict(_empty_month)
    for row in per_part_rate:
        receipt_row = vat_row(row["vat_rate"], row["total"])
        rate = by_month[row["month"]][Decimal(row["vat_rate"])]
        for key in AMOUNTS:
            rate[key] += receipt_row[key]
    return [
        _month(month, counts.get(month, 0), by_month[month])
        for month in sorted(by_month, reverse=True)
    ]


AMOUNTS = ("gross", "net", "vat")


def _empty_month() -> dict:
    return {rate: dict.fromkeys(AMOUNTS, Decimal("0")) for rate in VatRate.values}


def _month(month, orders: int, rates: dict) -> dict:
    return {
        "month": month,
        "orders": orders,
        **{key: sum((rates[rate][key] for rate in rates), Decimal("0")) for key in AMOUNTS},
        "rates": [{"rate": rate, "label": label, **rates[rate]} for rate, label in VatRate.choices],
    }


def impact_indicators(start: date, end: date) -> list[Indicator]:
    """Orders placed, shops served and goods ordered over the period (aggregates only), with
    the value of each month, from two queries grouped by month. How many were delivered by
    cargo bike is delivery's figure (``delivery_delivered``), defined once there: counting it
    here too gave two different numbers under two similar labels."""
    orders = Order.objects.filter(created_at__date__gte=start, created_at__date__lte=end).exclude(
        status=OrderStatus.CANCELLED
    )
    placed = {
        _as_date(row["month"]): (row["n"], row["weight"] or 0)
        for row in orders.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"), weight=Sum("total_weight_grams"))
        .order_by()
    }
    served: dict[date, set[int]] = defaultdict(set)
    for month, merchant in (
        MerchantOrder.objects.filter(order__in=orders, status__in=SOLD)
        .annotate(month=TruncMonth("order__created_at"))
        .values_list("month", "merchant")
        .distinct()
    ):
        served[_as_date(month)].add(merchant)
    windows = [window for window, _last in month_windows(start, end)]

    def month_of(window: date) -> date:
        return window.replace(day=1)

    def kilos(grams: int) -> Decimal:
        return (Decimal(grams) / 1000).quantize(Decimal("0.1"))

    return [
        Indicator(
            "shop_orders",
            _("Commandes passées"),
            sum(n for n, _grams in placed.values()),
            months=tuple((w, placed.get(month_of(w), (0, 0))[0]) for w in windows),
        ),
        Indicator(
            "shop_merchants_served",
            _("Commerces du centre-ville servis"),
            len(set().union(*served.values())),
            months=tuple((w, len(served.get(month_of(w), ()))) for w in windows),
        ),
        Indicator(
            "shop_cargo_weight",
            _("Marchandises commandées"),
            kilos(sum(grams for _n, grams in placed.values())),
            unit="kg",
            months=tuple((w, kilos(placed.get(month_of(w), (0, 0))[1])) for w in windows),
        ),
    ]


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def monthly_sales_csv(merchant) -> str:
    """The monthly summary as CSV, in the hub's convention (``hub.services.csv_text``), with
    the amount excl. VAT and the VAT of each rate, as merchants declare them."""
    by_rate = []
    for _rate, label in VatRate.choices:
        by_rate += [
            _("Total HT à %(rate)s") % {"rate": label},
            _("TVA à %(rate)s") % {"rate": label},
        ]
    return csv_text(
        [_("Mois"), _("Commandes"), _("Total TTC"), _("Total HT"), _("TVA"), *by_rate],
        (
            [
                f"{month['month']:%m/%Y}",
                month["orders"],
                *(month[key].quantize(CENT) for key in AMOUNTS),
                *(rate[key].quantize(CENT) for rate in month["rates"] for key in ("net", "vat")),
            ]
            for month in monthly_sales(merchant)
        ),
    )
