from django.conf import settings

from hub.account_menu import account_links
from hub.registry import registry


def navigation(request):
    return {
        "page_cache_seconds": settings.PUBLIC_PAGE_CACHE_SECONDS,
        "main_nav": sorted(registry.nav, key=lambda entry: entry.order),
        "account_links": lambda: account_links(request.user),
    }
