"""A shop's payout account (its share of online payments) and its monthly statement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from hub import services as hub
from shop.models import MemberRole, Merchant


@dataclass(frozen=True)
class PayoutStatus:
    """« off » (no online payment at the hub), « none », « incomplete » or « active »."""

    state: str
    commission_rate: object


def payout_status(merchant: Merchant) -> PayoutStatus:
    """Where the shop stands with its payout account."""
    rate = merchant.commission_rate
    if not hub.online_payment_available():
        return PayoutStatus(state="off", commission_rate=rate)
    account = hub.payout_account(merchant.payee)
    if account is None:
        return PayoutStatus(state="none", commission_rate=rate)
    return PayoutStatus(state="active" if account.is_active else "incomplete", commission_rate=rate)


def connect_payout_account(merchant: Merchant, user, return_url: str, refresh_url: str) -> str:
    """The provider's onboarding page for the shop's owner (PermissionDenied for others)."""
    if not merchant.members.filter(user=user, role=MemberRole.OWNER).exists():
        raise PermissionDenied
    email = merchant.email or user.email
    return hub.onboarding_url(merchant.payee, merchant.name, email, return_url, refresh_url)


def refresh_payout_status(merchant: Merchant) -> PayoutStatus:
    """Back from onboarding: read the account's state at the provider."""
    hub.refresh_payout_account(merchant.payee)
    return payout_status(merchant)


@dataclass(frozen=True)
class Statement:
    month: date
    lines: list[hub.PayoutLine]

    def total(self, name: str) -> int:
        return sum(getattr(line, name) for line in self.lines)

    @property
    def totals(self) -> dict[str, int]:
        names = ("amount", "commission", "fee", "refunded", "payout")
        return {name: self.total(name) for name in names}


def month_of(value: str | None) -> date:
    """« 2026-03 » as the first day of that month; this month when missing or wrong."""
    try:
        return datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


def monthly_statement(merchant: Merchant, month: date) -> Statement:
    """Online sales charged in ``month``: per order, the part, commission, fees, payout."""
    start = timezone.make_aware(datetime.combine(month, time.min))
    end = timezone.make_aware(datetime.combine(month + relativedelta(months=1), time.min))
    return Statement(month=month, lines=hub.payout_lines(merchant.payee, start, end))


def _euros(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def monthly_statement_csv(merchant: Merchant, month: date) -> str:
    """The statement as CSV, through the hub's one CSV helper (French headers and amounts)."""
    statement = monthly_statement(merchant, month)
    names = ("amount", "commission", "fee", "refunded", "payout")
    headers = [
        _("Débitée le"),
        _("Commande"),
        _("Montant TTC (€)"),
        _("Commission (€)"),
        _("Frais du prestataire (€)"),
        _("Remboursé (€)"),
        _("Reversé (€)"),
        _("État du reversement"),
    ]
    rows = [
        [
            timezone.localtime(line.captured_at).date(),
            line.reference,
            *(_euros(getattr(line, name)) for name in names),
            line.payout_status,
        ]
        for line in statement.lines
    ]
    totals = statement.totals
    rows.append([_("Total"), "", *(_euros(totals[name]) for name in names), ""])
    return hub.csv_text(headers, rows)
