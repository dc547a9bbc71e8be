"""A local stand-in for Stripe, for tests (and the demo): a threaded HTTP server on 127.0.0.1
that answers the endpoints Anima uses the way Stripe's API reference documents them.

- Requests are form-encoded (``a[b][0][c]=v``), answers are JSON objects shaped as in the API
  reference (``checkout.session``, ``payment_intent``, ``charge``, ``balance_transaction``,
  ``refund``, ``transfer``, ``transfer_reversal``, ``account``, ``account_link``, ``event``).
- Errors are Stripe errors: ``{"error": {"type", "code", "message", "param"}}`` with Stripe's
  HTTP statuses (400, 401, 402, 404, 500).
- ``Idempotency-Key`` is honoured: the same key replays the first answer; the same key with
  other parameters is an ``idempotency_error``.
- The hosted checkout page (``/pay/<session>``) lets a browser pay, fail 3-D Secure, have the
  card declined or go back; the hosted onboarding page (``/connect/onboard/<link>``) completes
  an Express account.
- Every change makes an event; with ``webhook_url`` set, events are POSTed there, signed like
  Stripe's (``Stripe-Signature: t=<unix time>,v1=<HMAC-SHA256 of "t.body">``).
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import re
import secrets
import threading
import time
import urllib.request
from decimal import ROUND_HALF_UP, Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

API_VERSION = "2026-10-28.endive"
AUTHORISATION_DAYS = 7
FEE_PERCENT = Decimal("1.5")  # Stripe France, standard European cards: 1,5 % + 0,25 €
FEE_FIXED = 25


class StripeError(Exception):
    def __init__(self, status: int, type_: str, message: str, code: str = "", param: str = ""):
        super().__init__(message)
        self.status, self.type, self.message, self.code, self.param = (
            status,
            type_,
            message,
            code,
            param,
        )

    def body(self) -> dict:
        error = {"type": self.type, "message": self.message}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.param:
            error["param"] = self.param
        return {"error": error}


def _missing(kind: str, object_id: str) -> StripeError:
    return StripeError(
        404, "invalid_request_error", f"No such {kind}: '{object_id}'", "resource_missing", "id"
    )


def _bad_state(message: str, param: str = "") -> StripeError:
    return StripeError(
        400, "invalid_request_error", message, "payment_intent_unexpected_state", param
    )


def decode_form(pairs: list[tuple[str, str]]) -> dict:
    """``a[b][0][c]=v`` pairs into nested dicts and lists, as Stripe reads them."""
    root: dict = {}
    for key, value in pairs:
        names = re.findall(r"[^\[\]]+|\[\]", key)
        node = root
        for index, name in enumerate(names):
            last = index == len(names) - 1
            if name == "[]":
                name = str(len(node))
            if last:
                node[name] = value
            else:
                node = node.setdefault(name, {})
    return _lists(root)


def _lists(node):
    if isinstance(node, dict):
        node = {key: _lists(value) for key, value in node.items()}
        if node and all(key.isdigit() for key in node):
            return [node[key] for key in sorted(node, key=int)]
    return node


def _int(params: dict, name: str, required: bool = True) -> int | None:
    value = params.get(name)
    if value in (None, ""):
        if required:
            raise StripeError(
                400,
                "invalid_request_error",
                f"Missing required param: {name}.",
                "parameter_missing",
                name,
            )
        return None
    try:
        number = int(value)
    except ValueError:
        raise StripeError(
            400,
            "invalid_request_error",
            f"Invalid integer: {value}",
            "parameter_invalid_integer",
            name,
        ) from None
    return number


class StripeStandIn:
    def __init__(self, webhook_url: str | None = None, deliver: str = "manual", port: int = 0):
        self.api_key = "sk_test_" + secrets.token_hex(12)
        self.webhook_secret = "whsec_" + secrets.token_hex(16)
        self.port = port
        self.webhook_url = webhook_url
        # "manual": tests post the events themselves; "async": each is POSTed from a thread, as
        # Stripe does, so it may arrive before or after the shopper's browser.
        self.deliver = deliver
        self.objects: dict[str, dict] = {}
        self.links: dict[str, dict] = {}
        self.idempotency: dict[str, tuple[str, int, dict]] = {}
        self.events: list[dict] = []
        self.requests: list[tuple[str, str, dict, dict]] = []
        self.outage = False
        self.lock = threading.RLock()
        self.server: ThreadingHTTPServer | None = None

    # --- life ---------------------------------------------------------------------------------

    def start(self) -> StripeStandIn:
        standin = self

        class Handler(_Handler):
            owner = standin

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def _id(self, prefix: str) -> str:
        return f"{prefix}_test_{secrets.token_hex(12)}"

    # --- events -------------------------------------------------------------------------------

    def _event(self, type_: str, obj: dict) -> dict:
        event = {
            "id": self._id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": int(time.time()),
            "data": {"object": json.loads(json.dumps(obj))},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": type_,
        }
        self.events.append(event)
        if self.webhook_url and self.deliver == "async":
            threading.Thread(target=self.send, args=(event,), daemon=True).start()
        return event

    def signed(self, event: dict, secret: str | None = None, at: int | None = None):
        """The body and ``Stripe-Signature`` header Stripe would send for ``event``."""
        body = json.dumps(event).encode()
        timestamp = at or int(time.time())
        mac = hmac.new(
            (secret or self.webhook_secret).encode(),
            f"{timestamp}.".encode() + body,
            hashlib.sha256,
        )
        return body, f"t={timestamp},v1={mac.hexdigest()}"

    def send(self, event: dict) -> int:
        body, signature = self.signed(event)
        request = urllib.request.Request(
            self.webhook_url,
            data=body,
            headers={"Content-Type": "application/json", "Stripe-Signature": signature},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def events_of(self, type_: str) -> list[dict]:
        return [event for event in self.events if event["type"] == type_]

    # --- API ----------------------------------------------------------------------------------

    def api(self, method: str, path: str, params: dict, headers: dict) -> tuple[int, dict, dict]:
        with self.lock:
            self.requests.append((method, path, params, headers))
            if self.outage:
                raise StripeError(500, "api_error", "An unknown error occurred.")
            if headers.get("authorization") != f"Bearer {self.api_key}":
                raise StripeError(401, "invalid_request_error", "Invalid API Key provided.")
            key = headers.get("idempotency-key")
            fingerprint = json.dumps([method, path, params], sort_keys=True)
            if method == "POST" and key and key in self.idempotency:
                first, status, body = self.idempotency[key]
                if first != fingerprint:
                    raise StripeError(
                        400,
                        "idempotency_error",
                        "Keys for idempotent requests can only be used with the same parameters "
                        "they were first used with.",
                    )
                return status, body, {"Idempotent-Replayed": "true"}
            try:
                body = self._route(method, path, params)
                status = 200
            except StripeError as error:
                if error.status >= 500:
                    raise
                status, body = error.status, error.body()
            if method == "POST" and key:
                self.idempotency[key] = (fingerprint, status, body)
            return status, body, {}

    def _route(self, method: str, path: str, params: dict) -> dict:
        routes = [
            ("POST", r"/v1/checkout/sessions", self._create_session),
            ("GET", r"/v1/checkout/sessions/(cs_\w+)", self._get_session),
            ("POST", r"/v1/checkout/sessions/(cs_\w+)/expire", self._expire_session),
            ("GET", r"/v1/payment_intents/(pi_\w+)", self._get_intent),
            ("POST", r"/v1/payment_intents/(pi_\w+)/capture", self._capture),
            ("POST", r"/v1/payment_intents/(pi_\w+)/cancel", self._cancel),
            ("POST", r"/v1/refunds", self._refund),
            ("POST", r"/v1/transfers", self._transfer),
            ("POST", r"/v1/transfers/(tr_\w+)/reversals", self._reverse),
            ("POST", r"/v1/accounts", self._create_account),
            ("GET", r"/v1/accounts/(acct_\w+)", self._get_account),
            ("POST", r"/v1/account_links", self._account_link),
        ]
        for verb, pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                return handler(params, *match.groups())
        raise StripeError(
            404,
            "invalid_request_error",
            f"Unrecognized request URL ({method}: {path}).",
        )

    def _get(self, object_id: str, kind: str) -> dict:
        obj = self.objects.get(object_id)
        if obj is None or obj["object"] != kind:
            raise _missing(kind, object_id)
        return obj

    def _expanded(self, obj: dict, expand: list[str]) -> dict:
        out = json.loads(json.dumps(obj))
        for path in expand:
            node = out
            for name in path.split("."):
                if not isinstance(node, dict):
                    break
                value = node.get(name)
                if isinstance(value, str) and value in self.objects:
                    node[name] = json.loads(json.dumps(self.objects[value]))
                node = node.get(name)
        return out

    # checkout sessions

    def _create_session(self, params: dict) -> dict:
        if params.get("mode") != "payment":
            raise StripeError(
                400, "invalid_request_error", "Only payment mode here.", "parameter_invalid", "mode"
            )
        items = params.get("line_items") or []
        if not items:
            raise StripeError(
                400,
                "invalid_request_error",
                "Missing required param: line_items.",
                "parameter_missing",
                "line_items",
            )
        total = 0
        lines = []
        for item in items:
            data = item.get("price_data") or {}
            amount = _int(data, "unit_amount") * int(item.get("quantity", 1))
            total += amount
            lines.append(
                {
                    "description": (data.get("product_data") or {}).get("name", ""),
                    "amount_total": amount,
                }
            )
        if total < 50:
            raise StripeError(
                400,
                "invalid_request_error",
                "Amount must be at least €0.50 eur",
                "amount_too_small",
            )
        now = int(time.time())
        expires_at = _int(params, "expires_at", required=False) or now + 24 * 3600
        if not now + 30 * 60 - 5 <= expires_at <= now + 24 * 3600 + 5:
            raise StripeError(
                400,
                "invalid_request_error",
                "expires_at must be between 30 minutes and 24 hours from now.",
                "parameter_invalid",
                "expires_at",
            )
        session_id = self._id("cs")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "amount_subtotal": total,
            "amount_total": total,
            "cancel_url": params.get("cancel_url"),
            "client_reference_id": params.get("client_reference_id"),
            "created": now,
            "currency": "eur",
            "customer_email": params.get("customer_email"),
            "expires_at": expires_at,
            "livemode": False,
            "locale": params.get("locale"),
            "metadata": params.get("metadata") or {},
            "mode": "payment",
            "payment_intent": None,
            "payment_method_types": ["card"],
            "payment_status": "unpaid",
            "status": "open",
            "success_url": params.get("success_url"),
            "url": f"{self.url}/pay/{session_id}",
        }
        self.objects[session_id] = session
        self.links[session_id] = {
            "lines": lines,
            "intent_data": params.get("payment_intent_data") or {},
        }
        return session

    def _get_session(self, params: dict, session_id: str) -> dict:
        session = self._get(session_id, "checkout.session")
        return self._expanded(session, params.get("expand") or [])

    def _expire_session(self, params: dict, session_id: str) -> dict:
        session = self._get(session_id, "checkout.session")
        if session["status"] != "open":
            raise StripeError(
                400,
                "invalid_request_error",
                f'Only Checkout Sessions with a status in ["open"] can be expired. This Checkout '
                f'Session has a status of "{session["status"]}".',
            )
        self.expire_session(session_id)
        return session

    def expire_session(self, session_id: str) -> None:
        """The session reached its ``expires_at`` (or the API expired it)."""
        with self.lock:
            session = self.objects[session_id]
            if session["status"] != "open":
                return
            session["status"] = "expired"
            intent_id = session["payment_intent"]
            if intent_id:
                intent = self.objects[intent_id]
                intent.update(
                    status="canceled", cancellation_reason="abandoned", canceled_at=int(time.time())
                )
            self._event("checkout.session.expired", session)

    # payment intents

    def _intent_for(self, session: dict) -> dict:
        if session["payment_intent"]:
            return self.objects[session["payment_intent"]]
        data = self.links[session["id"]]["intent_data"]
        intent_id = self._id("pi")
        intent = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": session["amount_total"],
            "amount_capturable": 0,
            "amount_received": 0,
            "canceled_at": None,
            "cancellation_reason": None,
            "capture_method": data.get("capture_method", "automatic_async"),
            "created": int(time.time()),
            "currency": "eur",
            "description": data.get("description"),
            "last_payment_error": None,
            "latest_charge": None,
            "livemode": False,
            "metadata": data.get("metadata") or {},
            "payment_method": None,
            "payment_method_types": ["card"],
            "status": "requires_payment_method",
            "transfer_group": data.get("transfer_group"),
        }
        self.objects[intent_id] = intent
        session["payment_intent"] = intent_id
        return intent

    def _get_intent(self, params: dict, intent_id: str) -> dict:
        return self._expanded(self._get(intent_id, "payment_intent"), params.get("expand") or [])

    def _capture(self, params: dict, intent_id: str) -> dict:
        intent = self._get(intent_id, "payment_intent")
        if intent["status"] != "requires_capture":
            raise _bad_state(
                "This PaymentIntent could not be captured because it has a status of "
                f"{intent['status']}. Only a PaymentIntent with one of the following statuses "
                "may be captured: requires_capture."
            )
        amount = _int(params, "amount_to_capture", required=False) or intent["amount_capturable"]
        if not 0 < amount <= intent["amount_capturable"]:
            raise StripeError(
                400,
                "invalid_request_error",
                "The amount to capture must be a positive integer not greater than the amount "
                "capturable.",
                "amount_too_large",
                "amount_to_capture",
            )
        charge = self.objects[intent["latest_charge"]]
        fee = (
            int((Decimal(amount) * FEE_PERCENT / 100).quantize(Decimal("1"), ROUND_HALF_UP))
            + FEE_FIXED
        )
        txn_id = self._id("txn")
        self.objects[txn_id] = {
            "id": txn_id,
            "object": "balance_transaction",
            "amount": amount,
            "currency": "eur",
            "fee": fee,
            "fee_details": [
                {
                    "amount": fee,
                    "currency": "eur",
                    "description": "Stripe processing fees",
                    "type": "stripe_fee",
                }
            ],
            "net": amount - fee,
            "source": charge["id"],
            "status": "pending",
            "type": "charge",
        }
        charge.update(captured=True, amount_captured=amount, balance_transaction=txn_id)
        intent.update(status="succeeded", amount_received=amount, amount_capturable=0)
        self._event("charge.captured", charge)
        self._event("payment_intent.succeeded", intent)
        return self._expanded(intent, params.get("expand") or [])

    def _cancel(self, params: dict, intent_id: str) -> dict:
        intent = self._get(intent_id, "payment_intent")
        if intent["status"] in ("succeeded", "canceled"):
            raise _bad_state(
                "You cannot cancel this PaymentIntent because it has a status of "
                f"{intent['status']}. Only a PaymentIntent with one of the following statuses may "
                "be canceled: requires_payment_method, requires_capture, requires_confirmation, "
                "requires_action, processing."
            )
        intent.update(
            status="canceled",
            amount_capturable=0,
            cancellation_reason=params.get("cancellation_reason"),
            canceled_at=int(time.time()),
        )
        self._event("payment_intent.canceled", intent)
        return intent

    def lapse(self, intent_id: str) -> None:
        """The card authorisation expired before any capture (7 days for online cards)."""
        with self.lock:
            intent = self.objects[intent_id]
            intent.update(status="canceled", amount_capturable=0, cancellation_reason="automatic")
            self._event("payment_intent.canceled", intent)

    # the hosted payment page's outcomes

    def pay(self, session_id: str) -> str:
        """The shopper's card is authorised (3-D Secure passed); returns the success URL."""
        with self.lock:
            session = self.objects[session_id]
            if session["status"] != "open":
                raise StripeError(
                    400, "invalid_request_error", "This Checkout Session is no longer open."
                )
            intent = self._intent_for(session)
            charge_id = self._id("ch")
            now = int(time.time())
            self.objects[charge_id] = {
                "id": charge_id,
                "object": "charge",
                "amount": intent["amount"],
                "amount_captured": 0,
                "amount_refunded": 0,
                "balance_transaction": None,
                "captured": False,
                "created": now,
                "currency": "eur",
                "paid": True,
                "payment_intent": intent["id"],
                "refunded": False,
                "status": "succeeded",
                "transfer_group": intent["transfer_group"],
                "payment_method_details": {
                    "type": "card",
                    "card": {
                        "brand": "visa",
                        "last4": "3155",
                        "capture_before": now + AUTHORISATION_DAYS * 86400,
                        "three_d_secure": {"result": "authenticated", "version": "2.2.0"},
                    },
                },
            }
            intent.update(
                status="requires_capture",
                amount_capturable=intent["amount"],
                latest_charge=charge_id,
                payment_method=self._id("pm"),
                last_payment_error=None,
            )
            session.update(status="complete")
            self._event("payment_intent.amount_capturable_updated", intent)
            self._event("checkout.session.completed", session)
            return session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)

    def decline(self, session_id: str, code: str = "card_declined") -> None:
        """The bank refused the card, or 3-D Secure failed: the page stays open."""
        with self.lock:
            session = self.objects[session_id]
            intent = self._intent_for(session)
            message = (
                "Votre carte a été refusée."
                if code == "card_declined"
                else "L'authentification 3-D Secure a échoué."
            )
            intent.update(
                status="requires_payment_method",
                last_payment_error={"type": "card_error", "code": code, "message": message},
            )
            self._event("payment_intent.payment_failed", intent)

    # refunds and transfers

    def _refund(self, params: dict) -> dict:
        intent = self._get(params.get("payment_intent", ""), "payment_intent")
        if intent["status"] != "succeeded":
            raise StripeError(
                400,
                "invalid_request_error",
                "This PaymentIntent does not have a successful charge to refund.",
                "charge_not_refundable",
            )
        charge = self.objects[intent["latest_charge"]]
        left = charge["amount_captured"] - charge["amount_refunded"]
        amount = _int(params, "amount", required=False) or left
        if not 0 < amount <= left:
            raise StripeError(
                400,
                "invalid_request_error",
                f"Refund amount (€{amount / 100:.2f}) is greater than unrefunded amount on charge "
                f"(€{left / 100:.2f})",
                "amount_too_large",
                "amount",
            )
        refund_id = self._id("re")
        refund = {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "charge": charge["id"],
            "created": int(time.time()),
            "currency": "eur",
            "metadata": params.get("metadata") or {},
            "payment_intent": intent["id"],
            "reason": params.get("reason"),
            "status": "succeeded",
        }
        self.objects[refund_id] = refund
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount_captured"]
        self._event("refund.created", refund)
        self._event("charge.refunded", charge)
        return refund

    def _transfer(self, params: dict) -> dict:
        amount = _int(params, "amount")
        account = self.objects.get(params.get("destination", ""))
        if account is None or account["object"] != "account":
            raise _missing("account", params.get("destination", ""))
        if account["capabilities"].get("transfers") != "active":
            raise StripeError(
                400,
                "invalid_request_error",
                "Your destination account needs to have at least one of the following "
                "capabilities enabled: transfers, crypto_transfers, legacy_payments",
                "insufficient_capabilities_for_transfer",
                "destination",
            )
        source = params.get("source_transaction")
        if source:
            charge = self._get(source, "charge")
            sent = sum(
                obj["amount"]
                for obj in self.objects.values()
                if obj["object"] == "transfer" and obj.get("source_transaction") == source
            )
            if not charge["captured"] or amount > charge["amount_captured"] - sent:
                raise StripeError(
                    400,
                    "invalid_request_error",
                    "Transfers using this transaction as a source must not exceed the source "
                    "amount.",
                    "transfer_source_balance_parameters_mismatch",
                    "amount",
                )
        transfer_id = self._id("tr")
        transfer = {
            "id": transfer_id,
            "object": "transfer",
            "amount": amount,
            "amount_reversed": 0,
            "created": int(time.time()),
            "currency": "eur",
            "destination": account["id"],
            "metadata": params.get("metadata") or {},
            "reversals": {
                "object": "list",
                "data": [],
                "has_more": False,
                "url": f"/v1/transfers/{transfer_id}/reversals",
            },
            "reversed": False,
            "source_transaction": source,
            "transfer_group": params.get("transfer_group"),
        }
        self.objects[transfer_id] = transfer
        self._event("transfer.created", transfer)
        return transfer

    def _reverse(self, params: dict, transfer_id: str) -> dict:
        transfer = self._get(transfer_id, "transfer")
        left = transfer["amount"] - transfer["amount_reversed"]
        amount = _int(params, "amount", required=False) or left
        if not 0 < amount <= left:
            raise StripeError(
                400,
                "invalid_request_error",
                "Reversal amount exceeds the transfer's remaining amount.",
                "amount_too_large",
                "amount",
            )
        reversal_id = self._id("trr")
        reversal = {
            "id": reversal_id,
            "object": "transfer_reversal",
            "amount": amount,
            "created": int(time.time()),
            "currency": "eur",
            "transfer": transfer_id,
        }
        self.objects[reversal_id] = reversal
        transfer["amount_reversed"] += amount
        transfer["reversed"] = transfer["amount_reversed"] == transfer["amount"]
        transfer["reversals"]["data"].append(reversal)
        self._event("transfer.reversed", transfer)
        return reversal

    # connected accounts

    def _create_account(self, params: dict) -> dict:
        account_id = "acct_" + secrets.token_hex(8)
        account = {
            "id": account_id,
            "object": "account",
            "business_profile": params.get("business_profile") or {},
            "capabilities": {"transfers": "inactive"},
            "charges_enabled": False,
            "controller": params.get("controller") or {},
            "country": params.get("country", "FR"),
            "created": int(time.time()),
            "default_currency": "eur",
            "details_submitted": False,
            "email": params.get("email"),
            "payouts_enabled": False,
            "requirements": {
                "currently_due": ["external_account", "individual.first_name"],
                "disabled_reason": "requirements.past_due",
            },
            "type": "express",
        }
        self.objects[account_id] = account
        return account

    def _get_account(self, params: dict, account_id: str) -> dict:
        return self._get(account_id, "account")

    def _account_link(self, params: dict) -> dict:
        account = self._get(params.get("account", ""), "account")
        if params.get("type") not in ("account_onboarding", "account_update"):
            raise StripeError(
                400, "invalid_request_error", "Invalid type.", "parameter_invalid", "type"
            )
        link_id = secrets.token_urlsafe(12)
        now = int(time.time())
        self.links[link_id] = {
            "account": account["id"],
            "return_url": params.get("return_url"),
            "refresh_url": params.get("refresh_url"),
        }
        return {
            "object": "account_link",
            "created": now,
            "expires_at": now + 300,
            "url": f"{self.url}/connect/onboard/{link_id}",
        }

    def complete_onboarding(self, account_id: str) -> None:
        """The seller filled in Stripe's onboarding: the account may receive transfers."""
        with self.lock:
            account = self.objects[account_id]
            account.update(
                details_submitted=True,
                payouts_enabled=True,
                charges_enabled=False,
                capabilities={"transfers": "active"},
                requirements={"currently_due": [], "disabled_reason": None},
            )
            self._event("account.updated", account)

    def connected_account(self, email: str | None = None) -> str:
        """An account already onboarded (for tests that start after onboarding)."""
        with self.lock:
            account = self._create_account({"email": email})
            self.complete_onboarding(account["id"])
            return account["id"]


# --- the HTTP side ---------------------------------------------------------------------------


PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font:16px system-ui,sans-serif;margin:0 auto;max-width:30rem;padding:1rem}}
button,a.button{{display:block;width:100%;box-sizing:border-box;margin:.5rem 0;padding:.8rem;
font:inherit;text-align:center}}
table{{width:100%;border-collapse:collapse}}td{{padding:.3rem 0}}td.num{{text-align:right}}
.error{{color:#a00;font-weight:bold}}</style></head>
<body><main><h1>{title}</h1>{body}</main></body></html>"""


def _euros(cents: int) -> str:
    return f"{cents / 100:.2f}".replace(".", ",")


class _Handler(BaseHTTPRequestHandler):
    owner: StripeStandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _params(self) -> dict:
        query = urlsplit(self.path).query
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        return decode_form(
            parse_qsl(query, keep_blank_values=True) + parse_qsl(body, keep_blank_values=True)
        )

    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Stripe-Version", API_VERSION)
        self.send_header("Request-Id", "req_" + secrets.token_hex(7))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: dict, extra: dict | None = None) -> None:
        self._send(status, json.dumps(data).encode(), "application/json", extra)

    def _page(self, title: str, body: str, status: int = 200) -> None:
        self._send(
            status,
            PAGE.format(title=html.escape(title), body=body).encode(),
            "text/html; charset=utf-8",
        )

    def _redirect(self, url: str) -> None:
        self._send(303, b"", "text/plain", {"Location": url})

    def _handle(self, method: str) -> None:
        path = urlsplit(self.path).path
        params = self._params()
        try:
            if path.startswith("/v1/"):
                headers = {name.lower(): value for name, value in self.headers.items()}
                status, body, extra = self.owner.api(method, path, params, headers)
                self._json(status, body, extra)
            elif path.startswith("/pay/"):
                self._checkout_page(method, path, params)
            elif path.startswith("/connect/onboard/"):
                self._onboarding_page(method, path)
            else:
                self._page("Introuvable", "<p>Page introuvable.</p>", 404)
        except StripeError as error:
            self._json(error.status, error.body())

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def _checkout_page(self, method: str, path: str, params: dict) -> None:
        parts = path.strip("/").split("/")
        session_id = parts[1]
        owner = self.owner
        with owner.lock:
            session = owner.objects.get(session_id)
            if session is None:
                self._page("Introuvable", "<p>Cette page de paiement n'existe pas.</p>", 404)
                return
            if session["status"] == "open" and session["expires_at"] <= time.time():
                owner.expire_session(session_id)
            action = parts[2] if len(parts) > 2 else ""
            if method == "POST" and session["status"] == "open":
                if action == "card":
                    if params.get("card") == "declined":
                        owner.decline(session_id)
                    else:
                        self._page("Authentification 3-D Secure", self._three_d_secure(session))
                        return
                elif action == "3ds":
                    if params.get("outcome") == "ok":
                        self._redirect(owner.pay(session_id))
                        return
                    owner.decline(session_id, "payment_intent_authentication_failure")
            self._page("Paiement sécurisé", self._checkout(session))

    def _checkout(self, session: dict) -> str:
        if session["status"] != "open":
            state = "payée" if session["status"] == "complete" else "expirée"
            return f"<p>Cette page de paiement est {state}.</p>"
        lines = self.owner.links[session["id"]]["lines"]
        rows = "".join(
            f"<tr><td>{html.escape(line['description'])}</td>"
            f"<td class=num>{_euros(line['amount_total'])} €</td></tr>"
            for line in lines
        )
        intent_id = session["payment_intent"]
        error = ""
        if intent_id and self.owner.objects[intent_id]["last_payment_error"]:
            message = self.owner.objects[intent_id]["last_payment_error"]["message"]
            error = f'<p class="error" role="alert">{html.escape(message)}</p>'
        total = _euros(session["amount_total"])
        base = f"/pay/{session['id']}"
        return (
            f"{error}<table><caption>Récapitulatif</caption>{rows}"
            f"<tr><th scope=row>Total</th><td class=num><strong>{total} €</strong></td></tr>"
            "</table>"
            f'<form method="post" action="{base}/card"><input type="hidden" name="card" value="ok">'
            f'<button type="submit">Payer {total} € par carte</button></form>'
            f'<form method="post" action="{base}/card">'
            '<input type="hidden" name="card" value="declined">'
            '<button type="submit">Payer avec une carte refusée (test)</button></form>'
            f'<a class="button" href="{html.escape(session["cancel_url"])}">Retour au site</a>'
        )

    def _three_d_secure(self, session: dict) -> str:
        base = f"/pay/{session['id']}/3ds"
        return (
            "<p>Votre banque vous demande de confirmer ce paiement.</p>"
            f'<form method="post" action="{base}"><input type="hidden" name="outcome" value="ok">'
            '<button type="submit">Confirmer dans l\'application de ma banque</button></form>'
            f'<form method="post" action="{base}"><input type="hidden" name="outcome" value="fail">'
            '<button type="submit">Échec de l\'authentification</button></form>'
        )

    def _onboarding_page(self, method: str, path: str) -> None:
        link = self.owner.links.get(path.rsplit("/", 1)[-1])
        if link is None:
            self._page("Lien expiré", "<p>Ce lien a expiré.</p>", 404)
            return
        if method == "POST":
            self.owner.complete_onboarding(link["account"])
            self._redirect(link["return_url"])
            return
        self._page(
            "Compte de versement",
            "<p>Renseignez votre entreprise et votre IBAN pour recevoir vos ventes.</p>"
            f'<form method="post" action="{html.escape(path)}"><button type="submit">'
            "Envoyer mes informations</button></form>"
            f'<a class="button" href="{html.escape(link["refresh_url"])}">Plus tard</a>',
        )


@pytest.fixture
def stripe_standin(settings):
    """Online payment configured against a fresh local stand-in for Stripe."""
    standin = StripeStandIn().start()
    settings.STRIPE_SECRET_KEY = standin.api_key
    settings.STRIPE_WEBHOOK_SECRET = standin.webhook_secret
    settings.STRIPE_API_BASE = standin.url
    settings.PAYMENTS_NETWORK_RETRIES = 0
    yield standin
    standin.stop()
