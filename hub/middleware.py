from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from hub.client_address import PEER_KEY, client_address


class ChosenLanguageMiddleware(LocaleMiddleware):
    """French unless the visitor picked another language with the footer switch.

    The browser's Accept-Language is ignored on purpose: the hub's public is French-speaking and a
    page half in English because of a phone's settings would be worse than a deliberate choice.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        available = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class TrustedProxyMiddleware:
    """REMOTE_ADDR becomes the client's address (``hub.client_address``) for everything after:
    allauth's rate limits, the per-address caps, Django's logs. The peer stays in META."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META[PEER_KEY] = request.META.get("REMOTE_ADDR", "")
        request.META["REMOTE_ADDR"] = client_address(request)
        return self.get_response(request)
