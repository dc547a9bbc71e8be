"""What the maps of rounds draw (board, courier page, route sheet): plain data the page carries
in a ``json_script`` block, built from the stops already loaded for the list (no query here).

A map is a picture of the ordered list beside it: each round is a colour (``--route-N`` in
delivery.css, colour-blind safe), its visits numbered as in the list, its path hub → visits →
hub in straight segments (the order, not the streets); deliveries not yet in a round are
separate markers; on the courier page the next stop stands out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _

from delivery.models import Stop, StopKind, StopState

if TYPE_CHECKING:  # board imports this module for the colours
    from delivery.services.board import Board

ROUTE_COLOURS = 7  # --route-0 … --route-6 in delivery.css


def _tiles() -> dict[str, Any] | None:
    if not settings.MAP_TILES_URL:
        return None
    return {"url": settings.MAP_TILES_URL, "max_zoom": settings.MAP_TILES_MAX_ZOOM}


def attribution() -> dict[str, Any] | None:
    """The tile provider's credit shown under each map (None without tiles)."""
    if not settings.MAP_TILES_URL:
        return None
    return {"text": settings.MAP_TILES_ATTRIBUTION, "url": settings.MAP_TILES_ATTRIBUTION_URL}


def _point(stop: Stop) -> list[float]:
    if stop.kind == StopKind.PICKUP and stop.pickup is not None:
        return [float(stop.pickup.latitude), float(stop.pickup.longitude)]
    return [float(stop.delivery.latitude), float(stop.delivery.longitude)]


def _label(visit: list[Stop]) -> str:
    first, last = visit[0].sequence, visit[-1].sequence
    return str(first) if first == last else f"{first}–{last}"


def _visits(stops: list[Stop]) -> list[list[Stop]]:
    """Stops in riding order, those of one visit together (as the lists show them)."""
    visits: list[list[Stop]] = []
    for stop in stops:
        if visits and visits[-1][0].visit == stop.visit and stop.visit:
            visits[-1].append(stop)
        else:
            visits.append([stop])
    return visits


def route_layer(stops: list[Stop], colour: int, next_stop: Stop | None = None) -> dict[str, Any]:
    """One round on the map: its visits as numbered markers and its path from and to the hub."""
    hub = list(settings.DELIVERY_HUB_POSITION)
    shown = [s for s in stops if s.state != StopState.CANCELLED]
    markers = [
        {
            "at": _point(visit[0]),
            "label": _label(visit),
            "pickup": visit[0].kind == StopKind.PICKUP,
            "done": all(s.state != StopState.TODO for s in visit),
            "next": next_stop is not None and next_stop in visit,
        }
        for visit in _visits(shown)
    ]
    return {
        "colour": colour % ROUTE_COLOURS,
        "path": [hub, *(m["at"] for m in markers), hub],
        "stops": markers,
    }


def next_stop(stops: list[Stop]) -> Stop | None:
    return next((s for s in stops if s.state == StopState.TODO), None)


def _map(
    routes: list[dict[str, Any]], unplanned: list[list[float]] | None = None
) -> dict[str, Any]:
    return {
        "tiles": _tiles(),
        "attribution": attribution(),
        "hub": {"at": list(settings.DELIVERY_HUB_POSITION), "label": _("Pôle")},
        "routes": routes,
        "unplanned": unplanned or [],
    }


def board_map(board: Board) -> dict[str, Any]:
    """The day on the board: every round in its colour, the deliveries still to plan."""
    routes = [
        route_layer(card.stops, card.colour) for column in board.columns for card in column.rounds
    ]
    unplanned = [
        [float(d.latitude), float(d.longitude)]
        for column in board.columns
        for d in column.unplanned
        if d.latitude is not None and d.longitude is not None
    ]
    return _map(routes, unplanned)


def round_map(stops: list[Stop], highlight_next: bool = False) -> dict[str, Any]:
    """One round (the courier's, with the next stop standing out; the route sheet's)."""
    following = next_stop(stops) if highlight_next else None
    return _map([route_layer(stops, 0, following)])
