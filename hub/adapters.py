"""allauth's account adapter: rate limits per client, logins refused while their limit is blind."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anima.cache import shared_cache_available
from hub.client_address import client_address

LOGIN_UNAVAILABLE = _(
    "La connexion est momentanément indisponible. Réessayez dans quelques minutes."
)


class AccountAdapter(DefaultAccountAdapter):
    """allauth's rate limits count per client, not per reverse proxy (TRUSTED_PROXIES)."""

    def get_client_ip(self, request) -> str:
        return client_address(request)

    def render_mail(self, template_prefix, email, context, headers=None):
        # Sent from a no-reply address: replies reach the hub's team.
        message = super().render_mail(template_prefix, email, context, headers)
        message.reply_to = [settings.SUPPORT_EMAIL]
        return message

    def pre_authenticate(self, request, **credentials):
        # The failed-login limit lives in the cache: without it, password guessing would be
        # unlimited, so logins fail closed (reads, which it does not protect, stay open).
        if not shared_cache_available():
            raise ValidationError(LOGIN_UNAVAILABLE, code="cache_unavailable")
        super().pre_authenticate(request, **credentials)
