"""Catalogue pages kept whole under the catalogue's version (``shop.catalogue_version``).

The version is read first, before any row, together with the page kept at the page's address
(one ``get_many``): a page kept at that version is served without a query; otherwise the page
is rendered from rows at least as new as the version and kept with it. Any write to what these
pages show bumps the version after its commit, so a page kept from older rows carries a
version that is no longer the current one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.conf import settings
from django.http import HttpRequest

from hub.services import CachedPage, View, kept_whole, page_key
from shop.catalogue_version import read_with_version
from shop.services.basket import basket_count

# In place of the basket's count in a page kept whole, filled per visitor.
BASKET_COUNT_MARKER = "anima-whole-page-basket-count"


def catalogue_page(request: HttpRequest, name: str, address: Sequence[object]) -> CachedPage:
    """Catalogue page ``name`` for this request, found by its path and ``address`` (the
    normalised parameters it reads) and served if kept at the current version (both read in
    one round trip); never kept while the version cannot be read."""
    key = page_key(f"shop.{name}", (request.path, *address))
    version, found = read_with_version(key)
    return CachedPage(request, key, version, found, settings.SHOP_PAGE_CACHE_SECONDS)


def catalogue_whole_page(name: str) -> Callable[[View], View]:
    """Catalogue page ``name`` kept whole, layout included, per audience, under the catalogue
    version (``hub.whole_pages``); the shop menu's basket count is filled per visitor."""
    return kept_whole(
        f"shop.{name}",
        lambda: settings.SHOP_PAGE_CACHE_SECONDS,
        read_with_version,
        fill=_basket_count,
    )


def _basket_count(request: HttpRequest) -> dict[str, str]:
    session = getattr(request, "session", None)
    return {BASKET_COUNT_MARKER: str(basket_count(request.user, session))}
