from django.conf import settings

from hub.registry import registry


def navigation(request):
    return {
        "page_cache_seconds": settings.PUBLIC_PAGE_CACHE_SECONDS,
        "main_nav": sorted(registry.nav, key=lambda entry: entry.order),
        "account_links": lambda: _account_links(request.user),
    }


def _account_links(user):
    if not user.is_authenticated:
        return []
    links = sorted(registry.account_links, key=lambda link: link.order)
    return [link for link in links if link.visible is None or link.visible(user)]
