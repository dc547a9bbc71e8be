"""Catalogue pages kept whole under the catalogue's version (``shop.catalogue_version``).

The version is read first, before any row: a page is then found by its address alone and
served without a query, or rendered from rows at least as new as the version it is kept
under. Any write to what these pages show bumps the version after its commit, so a page kept
from older rows is kept under a version no one reads any more.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.http import HttpRequest

from hub.services import CachedPage, page_key
from shop.catalogue_version import catalogue_version


def catalogue_page(request: HttpRequest, name: str, address: Sequence[object]) -> CachedPage:
    """Catalogue page ``name`` for this request, found by its path and ``address`` (the
    normalised parameters it reads); never kept while the version cannot be read."""
    version = catalogue_version()
    key = None
    if version is not None:
        key = page_key(f"shop.{name}", version, (request.path, *address))
    return CachedPage(request, key, settings.SHOP_PAGE_CACHE_SECONDS)
