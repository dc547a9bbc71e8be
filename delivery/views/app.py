"""The courier app's installable shell: its web app manifest and its service worker, both
under /coursier/ so that the worker's scope is the courier pages. Neither holds personal data:
they are served to anyone (the browser fetches the manifest without cookies)."""

import hashlib
import json
import os
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

THEME_COLOUR = "#0f5c4d"
BACKGROUND_COLOUR = "#ffffff"
ICONS = (
    ("delivery/icons/courier-192.png", "192x192", "any"),
    ("delivery/icons/courier-512.png", "512x512", "any"),
    ("delivery/icons/courier-maskable-512.png", "512x512", "maskable"),
)
# Loaded by the worker, in this order (each Workbox module needs core).
WORKBOX = tuple(
    f"vendor/workbox/workbox-{name}.prod.js"
    for name in ("core", "routing", "strategies", "cacheable-response", "expiration", "precaching")
)
QUEUE_SCRIPT = "delivery/courier_queue.js"
# What the round page loads: kept by the worker so that the page opens with no network.
PAGE_ASSETS = (
    "css/anima.css",
    "delivery/delivery.css",
    "vendor/leaflet/leaflet.css",
    "vendor/htmx.min.js",
    "js/anima.js",
    QUEUE_SCRIPT,
    "delivery/live.js",
    "delivery/courier.js",
    "delivery/courier_push.js",
    "vendor/leaflet/leaflet.js",
    "delivery/maps.js",
    "img/favicon.svg",
    "img/logo.svg",
    *(path for path, _size, _purpose in ICONS),
)


@lru_cache(maxsize=64)
def _digest(found: str, mtime: float) -> str:
    with open(found, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()[:16]


def _file_revision(path: str) -> str | None:
    """The file's content decides: a changed script is fetched again by installed workers."""
    found = finders.find(path)
    if not found:
        return None
    return _digest(found, os.path.getmtime(found))


def _tiles_host() -> str:
    if not settings.MAP_TILES_URL:
        return ""
    return urlsplit(settings.MAP_TILES_URL.replace("{s}.", "")).netloc


def _tiles_origin() -> str:
    """The tiles' origin as the CSP names it (``*.`` for the ``{s}`` sub-domains)."""
    tiles = urlsplit((settings.MAP_TILES_URL or "").replace("{s}.", "*."))
    return f"{tiles.scheme}://{tiles.netloc}"


@require_GET
def manifest(request):
    courier_page = reverse("delivery:courier")
    data = {
        "id": courier_page,
        "name": _("Anima Calais — Ma tournée"),
        "short_name": _("Ma tournée"),
        "description": _(
            "La tournée du jour des coursiers à vélo-cargo d'Anima, même sans réseau."
        ),
        "lang": "fr",
        "dir": "ltr",
        "start_url": courier_page,
        "scope": courier_page,
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static(path), "sizes": size, "type": "image/png", "purpose": purpose}
            for path, size, purpose in ICONS
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def service_worker(request):
    config = {
        "workbox": [static(path) for path in WORKBOX],
        "queue": static(QUEUE_SCRIPT),
        "precache": [
            {"url": static(path), "revision": _file_revision(path)} for path in PAGE_ASSETS
        ],
        "page": reverse("delivery:courier"),
        "icon": static(ICONS[0][0]),
        "tiles": _tiles_host(),
    }
    # json.dumps escapes nothing a script could mistake: the worker is JavaScript, not HTML.
    body = render_to_string(
        "delivery/courier/service_worker.js", {"config": json.dumps(config, indent=2)}
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # Browsers check the worker for updates at each visit; nothing in between keeps a copy.
    response["Cache-Control"] = "no-cache"
    if settings.MAP_TILES_URL:
        # The worker fetches the tiles it keeps: its CSP's connect-src must name their origin
        # (the pages load them as images, under img-src).
        # django-csp reads this attribute (what its csp_update decorator sets).
        response._csp_update = {"connect-src": [_tiles_origin()]}  # type: ignore[attr-defined]
    return response
