"""Amount arithmetic in integer cents: euros to cents, commissions, fees split to the cent."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def to_cents(euros: Decimal) -> int:
    """Euros with at most two decimals (prices incl. VAT) as integer cents."""
    return int((Decimal(euros) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def commission(amount: int, rate: Decimal) -> int:
    """``rate`` per cent of ``amount`` cents, rounded half up to the cent."""
    return int((Decimal(amount) * Decimal(rate) / 100).quantize(Decimal("1"), ROUND_HALF_UP))


def split(total: int, weights: list[int]) -> list[int]:
    """Share ``total`` cents in proportion to ``weights`` so that the shares add up to it exactly
    (largest remainder: the cents left by rounding down go to the largest remainders)."""
    whole = sum(weights)
    if not weights or whole <= 0:
        return [0] * len(weights)
    exact = [Decimal(total) * weight / whole for weight in weights]
    shares = [int(value) for value in exact]
    order = sorted(range(len(weights)), key=lambda i: (exact[i] - shares[i], -i), reverse=True)
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares
