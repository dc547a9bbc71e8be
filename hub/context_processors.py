from django.conf import settings

from hub.account_menu import account_links
from hub.fragments import CSRF_MARKER
from hub.registry import registry
from hub.whole_pages import keeping_whole_page


def _account_menu(user) -> tuple:
    """What the account menu shows besides the e-mail: the names of its links and the staff
    flag (the layout keeps one rendering of the menu per such set, ``{% memo %}``)."""
    return (*(link.url_name for link in account_links(user)), user.is_staff)


def navigation(request):
    return {
        "page_cache_seconds": settings.PUBLIC_PAGE_CACHE_SECONDS,
        "main_nav": sorted(registry.nav, key=lambda entry: entry.order),
        "account_links": lambda: account_links(request.user),
        "account_menu": lambda: _account_menu(request.user),
    }


def visitor(request):
    """The forms of a page rendered for every visitor without a session carry a marker that
    each visitor's own token replaces (``hub.whole_pages``); Django's own token otherwise."""
    return {"csrf_token": CSRF_MARKER} if keeping_whole_page(request) else {}
