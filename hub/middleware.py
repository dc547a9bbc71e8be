from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.contrib.auth.views import redirect_to_login
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

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

    def process_response(self, request, response):
        # Not Django's: no language in the paths (no redirect to make) and no
        # « Vary: Accept-Language », which would split shared caches by a header the language
        # does not depend on (the cookie decides it: « Vary: Cookie »).
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class TrustedProxyMiddleware:
    """REMOTE_ADDR becomes the client's address (``hub.client_address``) for everything after:
    allauth's rate limits, the per-address caps, Django's logs. The peer stays in META."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META[PEER_KEY] = request.META.get("REMOTE_ADDR", "")
        request.META["REMOTE_ADDR"] = client_address(request)
        return self.get_response(request)


# Set on the request by a logout (any: allauth's page, the admin's).
LOGGED_OUT_FLAG = "_anima_logged_out"
# Named in the header's own syntax: quoted tokens.
CLEAR_SITE_DATA = '"cache", "storage"'


class ClearSiteDataOnLogoutMiddleware:
    """The answer to a logout asks the browser to empty what it keeps for the site: its HTTP
    cache and its storage (Cache Storage, IndexedDB, service workers). A courier's phone keeps
    the round (customers' names, addresses and phones) to open it with no network; it must not
    outlive the session. Cookies stay: the logout has already ended the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, LOGGED_OUT_FLAG, False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


def _mark_logged_out(sender, request=None, **kwargs):
    if request is not None:
        setattr(request, LOGGED_OUT_FLAG, True)


user_logged_out.connect(_mark_logged_out, dispatch_uid="hub.clear_site_data_on_logout")


class HtmxSignInMiddleware:
    """An HTMX request refused for want of a session (it ended, or was signed out elsewhere)
    sends the whole page to the login page, back to the page the person was on.

    HTMX would otherwise follow the redirect itself and swap the login page into the part it
    was refreshing: a dispatch board with a login form where its failures list was."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.htmx and _is_login_redirect(response):
            page = request.htmx.current_url_abs_path
            return HttpResponseClientRedirect(redirect_to_login(page).url if page else response.url)
        return response


def _is_login_redirect(response) -> bool:
    if response.status_code not in (301, 302, 303, 307, 308):
        return False
    return urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)
