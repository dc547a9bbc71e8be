"""Expected arrival times at a round's stops (the window the shopper reads is in
``arrival_window``).

A plan sets each stop's expected time to its planned one (``optimisation``, ``planning``).
Each stop the courier records then moves the times of the stops still to make: they are ridden
in order from the recorded stop, leaving it at the recorded time (the action is recorded as
the parcel is loaded or handed over), with the travel times the solver uses, the solver's
setup and parcel times, drop-offs waiting for their slot to open, and the round's break if it
is still to come.

The travel times may come from a routing service: they are asked after the courier's action
has committed, outside any lock, and written only if the round's stops have not changed
meanwhile (a newer action then recomputes them).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from delivery import routing
from delivery.models import Round, Stop, StopKind, StopState
from delivery.services.planning import solver_options, stop_leg


def _round_stops(round_id: int) -> list[Stop]:
    return list(
        Stop.objects.filter(round_id=round_id)
        .exclude(state=StopState.CANCELLED)
        .select_related("round", "delivery__slot", "pickup")
        .order_by("sequence", "pk")
    )


def _fingerprint(stops: list[Stop]) -> list[tuple[int, str, int, datetime | None]]:
    return [(s.pk, s.state, s.sequence, s.done_at) for s in stops]


def _point(stop: Stop) -> routing.Point:
    if stop.kind == StopKind.PICKUP and stop.pickup is not None:
        return routing.Point(float(stop.pickup.latitude), float(stop.pickup.longitude))
    return routing.Point(float(stop.delivery.latitude), float(stop.delivery.longitude))


def _pending_break(round_: Round, stops: list[Stop], todo: list[Stop]) -> tuple[int, int] | None:
    """The planned break, if no stop planned after it is recorded yet: (index of the first
    stop to make after it, seconds)."""
    if round_.break_at is None or not round_.break_minutes:
        return None
    after = [s for s in stops if s.planned_at and s.planned_at > round_.break_at]
    if any(s.state != StopState.TODO for s in after):
        return None
    index = next((i for i, s in enumerate(todo) if s in after), None)
    return None if index is None else (index, round_.break_minutes * 60)


def refresh_expected_arrivals(round_id: int) -> None:
    """Recompute the expected times of the stops still to make from the courier's last
    recorded stop (run after the action recording it has committed)."""
    stops = _round_stops(round_id)
    recorded = [
        (s.done_at, s.sequence, s)
        for s in stops
        if s.state != StopState.TODO and s.done_at is not None
    ]
    todo = [s for s in stops if s.state == StopState.TODO]
    if not recorded or not todo:
        return
    left_at, _sequence, last = max(recorded, key=lambda r: (r[0], r[1]))
    legs = [stop_leg(s, left_at) for s in todo]
    pause = _pending_break(last.round, stops, todo)
    arrivals = routing.arrivals_from(_point(last), legs, solver_options(), pause)
    for stop, seconds in zip(todo, arrivals, strict=True):
        stop.expected_at = left_at + timedelta(seconds=seconds)
    with transaction.atomic():
        Round.objects.select_for_update().filter(pk=round_id).first()
        if _fingerprint(_round_stops(round_id)) != _fingerprint(stops):
            return
        Stop.objects.bulk_update(todo, ["expected_at"])
