"""The hub's pages; ``anima.urls`` reads ``healthz`` and the error handlers from here."""

from hub.views.core import (
    healthz,
    home,
    page_not_found,
    server_error,
    structure_detail,
    structure_list,
)

__all__ = [
    "healthz",
    "home",
    "page_not_found",
    "server_error",
    "structure_detail",
    "structure_list",
]
