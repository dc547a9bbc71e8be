"""The one place that talks to the payment provider: Stripe, through its official library.

Everything here answers plain dataclasses, so the services never handle a Stripe object. Each
write carries an idempotency key built from our own ids: a retry (network cut, worker killed)
replays the provider's first answer instead of charging twice. The API version is pinned; the
base address comes from ``STRIPE_API_BASE`` (the tests' local stand-in), else Stripe's own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import stripe
from django.conf import settings

# Pinned: the request and answer shapes this adapter was written against.
API_VERSION = "2026-10-28.endive"


class ProviderError(Exception):
    """The provider refused the request (bad state, account not ready…)."""

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code


class ProviderUnavailable(OSError):
    """The provider could not be reached or failed: try again later (tasks retry OSError)."""


class BadSignature(Exception):
    """A webhook whose ``Stripe-Signature`` does not match the payload."""


@dataclass(frozen=True)
class IntentState:
    id: str
    status: str  # requires_payment_method … requires_capture, succeeded, canceled
    amount: int
    amount_capturable: int
    amount_received: int
    charge_id: str = ""
    capture_before: datetime | None = None
    fee: int | None = None
    refunded: int = 0


@dataclass(frozen=True)
class CheckoutState:
    id: str
    url: str
    status: str  # open, complete, expired
    expires_at: datetime | None
    intent: IntentState | None


@dataclass(frozen=True)
class AccountState:
    id: str
    details_submitted: bool
    payouts_enabled: bool
    transfers_enabled: bool


@dataclass(frozen=True)
class ProviderEvent:
    id: str
    type: str
    object_id: str
    object: dict


@dataclass(frozen=True)
class Line:
    label: str
    amount: int  # cents


def configured() -> bool:
    """Online payment is offered only when a secret key is set."""
    return bool(settings.STRIPE_SECRET_KEY)


def _client() -> stripe.StripeClient:
    base = settings.STRIPE_API_BASE or stripe.DEFAULT_API_BASE
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        stripe_version=API_VERSION,
        base_addresses={"api": base, "connect": base},
        max_network_retries=settings.PAYMENTS_NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=settings.PAYMENTS_TIMEOUT_SECONDS),
    )


def _call(method, *args, key: str | None = None, **params) -> dict:
    options = {"idempotency_key": key} if key else None
    try:
        result = method(*args, params=params or None, options=options)
    except (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError) as error:
        raise ProviderUnavailable(str(error.user_message or error)) from error
    except stripe.StripeError as error:
        code = getattr(error, "code", "") or ""
        raise ProviderError(str(error.user_message or error), code) from error
    return result.to_dict()


def _time(value) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value else None


def _intent(data: dict | str | None) -> IntentState | None:
    if not isinstance(data, dict):
        return None
    charge = data.get("latest_charge")
    charge = charge if isinstance(charge, dict) else {"id": charge or ""}
    card = (charge.get("payment_method_details") or {}).get("card") or {}
    balance = charge.get("balance_transaction")
    return IntentState(
        id=data["id"],
        status=data["status"],
        amount=data["amount"],
        amount_capturable=data.get("amount_capturable") or 0,
        amount_received=data.get("amount_received") or 0,
        charge_id=charge.get("id") or "",
        capture_before=_time(card.get("capture_before")),
        fee=balance.get("fee") if isinstance(balance, dict) else None,
        refunded=charge.get("amount_refunded") or 0,
    )


def _checkout(data: dict) -> CheckoutState:
    return CheckoutState(
        id=data["id"],
        url=data.get("url") or "",
        status=data["status"],
        expires_at=_time(data.get("expires_at")),
        intent=_intent(data.get("payment_intent")),
    )


def _account(data: dict) -> AccountState:
    capabilities = data.get("capabilities") or {}
    return AccountState(
        id=data["id"],
        details_submitted=bool(data.get("details_submitted")),
        payouts_enabled=bool(data.get("payouts_enabled")),
        transfers_enabled=capabilities.get("transfers") == "active",
    )


CHECKOUT_EXPAND = ["payment_intent.latest_charge"]
INTENT_EXPAND = ["latest_charge.balance_transaction"]


def create_checkout(
    *,
    key: str,
    reference: str,
    description: str,
    email: str,
    lines: list[Line],
    success_url: str,
    cancel_url: str,
    expires_at: datetime,
    transfer_group: str,
) -> CheckoutState:
    """A hosted payment page that authorises the total (3-D Secure on the provider's page)."""
    data = _call(
        _client().v1.checkout.sessions.create,
        key=key,
        mode="payment",
        locale="fr",
        customer_email=email,
        client_reference_id=reference,
        success_url=success_url,
        cancel_url=cancel_url,
        expires_at=int(expires_at.timestamp()),
        line_items=[
            {
                "quantity": 1,
                "price_data": {
                    "currency": settings.PAYMENTS_CURRENCY,
                    "unit_amount": line.amount,
                    "product_data": {"name": line.label[:250]},
                },
            }
            for line in lines
        ],
        payment_intent_data={
            "capture_method": "manual",
            "description": description[:250],
            "transfer_group": transfer_group,
            "metadata": {"payment": reference},
        },
        metadata={"payment": reference},
    )
    return _checkout(data)


def retrieve_checkout(checkout_id: str) -> CheckoutState:
    return _checkout(
        _call(_client().v1.checkout.sessions.retrieve, checkout_id, expand=CHECKOUT_EXPAND)
    )


def expire_checkout(checkout_id: str, key: str) -> None:
    """Close a payment page nobody paid on (abandoned, or what it paid for is gone)."""
    _call(_client().v1.checkout.sessions.expire, checkout_id, key=key)


def retrieve_intent(intent_id: str) -> IntentState:
    return _intent(_call(_client().v1.payment_intents.retrieve, intent_id, expand=INTENT_EXPAND))


def capture(intent_id: str, amount: int, key: str) -> IntentState:
    """Charge ``amount`` of the authorisation; the rest is released at once."""
    return _intent(
        _call(
            _client().v1.payment_intents.capture,
            intent_id,
            key=key,
            amount_to_capture=amount,
            expand=INTENT_EXPAND,
        )
    )


def cancel(intent_id: str, key: str) -> IntentState:
    """Release the whole authorisation: nothing is charged."""
    return _intent(
        _call(
            _client().v1.payment_intents.cancel,
            intent_id,
            key=key,
            cancellation_reason="requested_by_customer",
        )
    )


def refund(intent_id: str, amount: int, key: str, reference: str) -> str:
    data = _call(
        _client().v1.refunds.create,
        key=key,
        payment_intent=intent_id,
        amount=amount,
        metadata={"reference": reference},
    )
    return data["id"]


def transfer(
    *, account_id: str, amount: int, charge_id: str, group: str, key: str, reference: str
) -> str:
    """Send a seller its share; it waits for the charge's funds (``source_transaction``)."""
    data = _call(
        _client().v1.transfers.create,
        key=key,
        amount=amount,
        currency=settings.PAYMENTS_CURRENCY,
        destination=account_id,
        source_transaction=charge_id,
        transfer_group=group,
        metadata={"reference": reference},
    )
    return data["id"]


def reverse_transfer(transfer_id: str, amount: int, key: str) -> str:
    data = _call(_client().v1.transfers.reversals.create, transfer_id, key=key, amount=amount)
    return data["id"]


def create_account(*, email: str, label: str, key: str) -> AccountState:
    """An Express account in France that receives transfers (Stripe runs its onboarding)."""
    data = _call(
        _client().v1.accounts.create,
        key=key,
        country="FR",
        email=email,
        business_profile={"name": label[:100]},
        controller={
            "stripe_dashboard": {"type": "express"},
            "fees": {"payer": "application"},
            "losses": {"payments": "application"},
        },
        capabilities={"transfers": {"requested": True}},
    )
    return _account(data)


def retrieve_account(account_id: str) -> AccountState:
    return _account(_call(_client().v1.accounts.retrieve, account_id))


def onboarding_link(account_id: str, return_url: str, refresh_url: str) -> str:
    data = _call(
        _client().v1.account_links.create,
        account=account_id,
        type="account_onboarding",
        return_url=return_url,
        refresh_url=refresh_url,
    )
    return data["url"]


def parse_event(payload: bytes, signature: str | None) -> ProviderEvent:
    """Check ``Stripe-Signature`` (HMAC-SHA256 with the endpoint secret, 5-minute tolerance)."""
    if not signature or not settings.STRIPE_WEBHOOK_SECRET:
        # Stripe's check reads the header as text: None was an AttributeError (a 500).
        raise BadSignature("no signature, or no endpoint secret to check it with")
    try:
        stripe.WebhookSignature.verify_header(
            payload.decode("utf-8"),
            signature,
            settings.STRIPE_WEBHOOK_SECRET or "",
            tolerance=stripe.Webhook.DEFAULT_TOLERANCE,
        )
        data = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError, UnicodeDecodeError) as error:
        raise BadSignature(str(error)) from error
    obj = (data.get("data") or {}).get("object") or {}
    return ProviderEvent(
        id=str(data.get("id") or ""),
        type=str(data.get("type") or ""),
        object_id=str(obj.get("id") or ""),
        object=obj,
    )
