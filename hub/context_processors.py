from django.conf import settings

from hub.account_menu import account_links, menu_key
from hub.fragments import CSRF_MARKER
from hub.registry import registry
from hub.whole_pages import EMAIL_MARKER, keeping_whole_page


def navigation(request):
    return {
        "page_cache_seconds": settings.PUBLIC_PAGE_CACHE_SECONDS,
        "main_nav": sorted(registry.nav, key=lambda entry: entry.order),
        "account_links": lambda: account_links(request.user),
        "account_menu": lambda: menu_key(request.user),
    }


def visitor(request):
    """A page rendered for its whole audience (``hub.whole_pages``) carries markers that each
    visitor's own token and e-mail replace; Django's token and the user's e-mail otherwise."""
    if keeping_whole_page(request):
        return {"csrf_token": CSRF_MARKER, "member_email": EMAIL_MARKER}
    return {}
