from allauth.account.adapter import DefaultAccountAdapter

from hub.client_address import client_address


class AccountAdapter(DefaultAccountAdapter):
    """allauth's rate limits count per client, not per reverse proxy (TRUSTED_PROXIES)."""

    def get_client_ip(self, request) -> str:
        return client_address(request)
