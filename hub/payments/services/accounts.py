"""Sellers' payout accounts at the provider: onboarding and state."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from hub.exceptions import Conflict
from hub.models.payments import PayoutAccount
from hub.payments import provider
from hub.payments.services.checkout import online_payment_available


def payout_account(payee: str) -> PayoutAccount | None:
    """A seller's payout account, if it started connecting one."""
    return PayoutAccount.objects.filter(payee=payee).first()


def active_payees(payees: Iterable[str]) -> set[str]:
    """Which of these sellers can be paid online now."""
    accounts = PayoutAccount.objects.filter(payee__in=list(payees))
    return {account.payee for account in accounts if account.is_active}


def onboarding_url(payee: str, label: str, email: str, return_url: str, refresh_url: str) -> str:
    """The provider's page where a seller connects (or completes) its payout account."""
    if not online_payment_available():
        raise Conflict(_("Le paiement en ligne n'est pas proposé."))
    with transaction.atomic():
        account = PayoutAccount.objects.select_for_update().filter(payee=payee).first()
        if account is None:
            state = provider.create_account(email=email, label=label, key=f"anima-account-{payee}")
            account = PayoutAccount.objects.create(
                payee=payee, label=label[:150], provider_id=state.id
            )
    return provider.onboarding_link(account.provider_id, return_url, refresh_url)


def refresh_payout_account(payee: str) -> PayoutAccount | None:
    """Read the account's state from the provider (after onboarding, or on its webhook)."""
    account = payout_account(payee)
    if account is None:
        return None
    return refresh_account(account.provider_id)


def refresh_account(provider_id: str) -> PayoutAccount | None:
    account = PayoutAccount.objects.filter(provider_id=provider_id).first()
    if account is None:
        return None
    state = provider.retrieve_account(provider_id)
    account.details_submitted = state.details_submitted
    account.payouts_enabled = state.payouts_enabled
    account.transfers_enabled = state.transfers_enabled
    account.save()
    return account
