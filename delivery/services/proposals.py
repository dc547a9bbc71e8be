"""« Optimiser » and « Répartir » off the request path: a proposal is queued, a worker reads a
snapshot of the rounds and deliveries (no lock), solves outside any transaction and stores the
plan; dispatch applies it atomically, and only if nothing it was computed from has changed.

The snapshot's fingerprint covers each delivery in scope (status, slot, round, position,
weight, last change) with its pickups (status, ready time, weight), the rounds in scope and the
free couriers and bikes a slot would use. Applying locks the rounds then the deliveries (the
order every dispatch change takes), takes the fingerprint again and refuses the plan if it
differs: a delivery added, cancelled, re-slotted, picked up… since the computation.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anima.celery import enqueue
from delivery import routing
from delivery.models import (
    Delivery,
    DeliverySlot,
    DeliveryStatus,
    PlanProposal,
    ProposalKind,
    ProposalStatus,
    Round,
    RoundStatus,
)
from delivery.services import live
from delivery.services.optimisation import (
    HUB_KEY,
    Optimisation,
    Problem,
    apply_plan,
    available_bikes,
    available_couriers,
    build_bike,
    build_job,
    build_started_problem,
    courier_position,
    plannable,
)
from delivery.services.planning import (
    check_editable,
    default_window,
    lock_deliveries,
    lock_round,
    solver_options,
)
from hub.services import Conflict, transition

logger = logging.getLogger(__name__)

NEW_KEY = "new-{}"
# The worker's moves in the proposals' status history.
SOURCE = "delivery.compute_proposal"
# A task the broker would not take, in the same history.
ENQUEUE_SOURCE = "delivery.start_proposal"


def changed_message() -> str:
    return _(
        "Les livraisons ont changé depuis le calcul (ajoutée, annulée, changée de créneau, "
        "récupérée…) ou un coursier n'est plus libre : le plan proposé n'est pas appliqué. "
        "Relancez l'optimisation."
    )


@dataclass
class Scope:
    """What a plan is computed from and applied to: rounds (those still to create have no
    primary key), the deliveries to place, and the fingerprint of it all."""

    rounds: list[Round]
    deliveries: dict[int, Delivery]
    # A started round re-planned from its courier's last recorded stop (point, time).
    position: tuple[routing.Point, datetime] | None = None
    fingerprint: str = ""
    keys: dict[str, Round] = field(default_factory=dict)

    def __post_init__(self) -> None:
        new = 0
        for round_ in self.rounds:
            if round_.pk:
                self.keys[str(round_.pk)] = round_
            else:
                self.keys[NEW_KEY.format(new)] = round_
                new += 1
        self.fingerprint = _fingerprint(self)


def _fingerprint(scope: Scope) -> str:
    rounds = [
        [
            key,
            round_.status,
            round_.courier_id,
            round_.bike_id,
            round_.start.isoformat(),
            round_.end.isoformat(),
        ]
        for key, round_ in sorted(scope.keys.items())
    ]
    deliveries = [
        [
            d.pk,
            d.status,
            d.slot_id,
            d.round_id,
            d.at_hub,
            d.weight_grams,
            str(d.latitude),
            str(d.longitude),
            d.updated_at.isoformat(),
            [
                [p.pk, p.status, p.ready_at.isoformat() if p.ready_at else "", p.weight_grams]
                for p in sorted(d.pickups.all(), key=lambda p: p.pk)
            ],
        ]
        for d in sorted(scope.deliveries.values(), key=lambda d: d.pk)
    ]
    position = (
        [scope.position[0].lat, scope.position[0].lon, scope.position[1].isoformat()]
        if scope.position
        else None
    )
    text = json.dumps([rounds, deliveries, position], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


# --- Scopes: read without locks (to compute), or locked (to apply) ----------------------------


def _round_scope(round_id: int, lock: bool) -> Scope:
    if lock:
        round_ = lock_round(round_id)
    else:
        round_ = Round.objects.select_related("courier__user", "bike").get(pk=round_id)
    check_editable(round_)
    ids = list(round_.deliveries.values_list("pk", flat=True))
    if lock:
        lock_deliveries(ids)
    deliveries = {d.pk: d for d in plannable(Delivery.objects.filter(pk__in=ids))}
    return Scope([round_], deliveries)


def _replan_scope(round_id: int, lock: bool) -> Scope:
    """A started round's deliveries still open, from where its courier is (a round not
    started yet is simply optimised)."""
    if lock:
        round_ = lock_round(round_id)
    else:
        round_ = Round.objects.select_related("courier__user", "bike").get(pk=round_id)
    if round_.status == RoundStatus.FINISHED:
        raise Conflict(_("Cette tournée est terminée : plus rien ne peut y être changé."))
    position = courier_position(round_)
    if position is None:
        return _round_scope(round_id, lock)
    ids = list(
        round_.deliveries.filter(status__in=DeliveryStatus.open()).values_list("pk", flat=True)
    )
    if lock:
        lock_deliveries(ids)
    deliveries = {
        d.pk: d
        for d in Delivery.objects.filter(pk__in=ids)
        .select_related("slot")
        .prefetch_related("pickups")
    }
    return Scope([round_], deliveries, position)


def _slot_scope(slot_id: int, lock: bool) -> Scope:
    slot = DeliverySlot.objects.filter(pk=slot_id).first()
    if slot is None:
        raise ValidationError({"slot": _("Choisissez un créneau de la liste.")})
    draft_ids = list(
        Round.objects.filter(slot=slot, status=RoundStatus.DRAFT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if lock:
        drafts = [lock_round(pk) for pk in draft_ids]
    else:
        drafts = list(
            Round.objects.filter(pk__in=draft_ids)
            .select_related("courier__user", "bike")
            .order_by("pk")
        )
    ids = list(
        plannable(
            Delivery.objects.filter(slot=slot).filter(
                Q(round__isnull=True) | Q(round__in=[r.pk for r in drafts])
            )
        ).values_list("pk", flat=True)
    )
    if lock:
        lock_deliveries(ids)
    deliveries = {d.pk: d for d in plannable(Delivery.objects.filter(pk__in=ids))}
    if not deliveries:
        raise Conflict(_("Aucune livraison à répartir sur ce créneau."))
    rounds = drafts + _rounds_to_create(slot)
    if not rounds:
        raise Conflict(
            _("Aucun coursier ni vélo libre sur ce créneau : créez une tournée à la main.")
        )
    return Scope(rounds, deliveries)


def _rounds_to_create(slot: DeliverySlot) -> list[Round]:
    """One round (not saved) for each free courier, each on a free bike, the largest first."""
    start, end = default_window(slot)
    couriers = available_couriers(slot, start, end)
    bikes = available_bikes(start, end)
    return [
        Round(
            date=timezone.localtime(begin).date(),
            slot=slot,
            start=begin,
            end=finish,
            courier=courier,
            bike=bike,
        )
        for (courier, begin, finish), bike in zip(couriers, bikes, strict=False)
    ]


def _scope(kind: str, target_id: int, lock: bool = False) -> Scope:
    if kind == ProposalKind.ROUND:
        return _round_scope(target_id, lock)
    if kind == ProposalKind.REPLAN:
        return _replan_scope(target_id, lock)
    return _slot_scope(target_id, lock)


def _problem(scope: Scope) -> Problem:
    if scope.position:
        return build_started_problem(scope.rounds[0], scope.deliveries)
    options = solver_options()
    day = scope.rounds[0].date
    bikes = [replace(build_bike(round_), key=key) for key, round_ in scope.keys.items()]
    jobs = [build_job(d, day, options) for d in scope.deliveries.values()]
    return Problem(scope.rounds, scope.deliveries, jobs, bikes, options)


# --- Computing (the worker, or a direct call) -------------------------------------------------


def compute(kind: str, target_id: int) -> tuple[Scope, dict[str, Any]]:
    """Read the scope without locks and solve it outside any transaction: the scope and the
    plan as stored in a proposal."""
    scope = _scope(kind, target_id)
    problem = _problem(scope)
    plan = routing.solve(problem.jobs, problem.bikes, problem.options)
    fell_back = bool(getattr(problem.options.travel, "fell_back", False))
    return scope, _plan_to_json(scope, plan, fell_back)


def _plan_to_json(scope: Scope, plan: routing.Plan, fell_back: bool) -> dict[str, Any]:
    """The plan with what the board shows of it (names, order numbers, places), so that a
    proposal is shown without reading the rounds and deliveries again."""
    pickups = {str(p.pk): p.shop_name for d in scope.deliveries.values() for p in d.pickups.all()}
    routes = {route.bike_key: route for route in plan.routes}
    rounds = []
    for key, round_ in scope.keys.items():
        route = routes.get(key)
        rounds.append(
            {
                "key": key,
                "round": round_.pk,
                "courier": round_.courier_id,
                "courier_name": str(round_.courier),
                "bike": round_.bike_id,
                "bike_name": str(round_.bike),
                "start": round_.start.isoformat(),
                "end": round_.end.isoformat(),
                "route": _route_to_json(route, scope, pickups) if route else None,
            }
        )
    return {
        "rounds": rounds,
        "unplaced": [
            {
                "delivery": int(u.job_key),
                "order_number": scope.deliveries[int(u.job_key)].order_number,
                "reason": u.reason,
            }
            for u in plan.unplaced
        ],
        "distance_m": plan.distance_m,
        "duration_s": plan.duration_s,
        "straight_lines": fell_back,
    }


def _route_to_json(route: routing.Route, scope: Scope, pickups: dict[str, str]) -> dict[str, Any]:
    return {
        "distance_m": route.distance_m,
        "duration_s": route.duration_s,
        "start_s": route.start_s,
        "ride_s": route.ride_s,
        "breaks": [list(b) for b in route.breaks],
        "stops": [
            {
                "job": stop.job_key,
                "kind": stop.kind,
                "pickup": stop.pickup_key,
                "lat": stop.point.lat,
                "lon": stop.point.lon,
                "arrival_s": stop.arrival_s,
                "load_g": stop.load_g,
                "visit": stop.visit,
                "order_number": scope.deliveries[int(stop.job_key)].order_number,
                "place": _place(stop, scope.deliveries[int(stop.job_key)], pickups),
            }
            for stop in route.stops
        ],
    }


def _place(stop: routing.Stop, delivery: Delivery, pickups: dict[str, str]) -> str:
    if stop.kind == "dropoff":
        return delivery.address
    if stop.pickup_key == HUB_KEY:
        return _("Pôle (colis en attente)")
    return pickups[str(stop.pickup_key)]


def _plan_from_json(data: dict[str, Any], keys: dict[str, str]) -> routing.Plan:
    """The stored plan as solver output again, its bikes renamed to the rounds' keys."""
    routes = []
    for entry in data["rounds"]:
        route = entry["route"]
        if not route:
            continue
        routes.append(
            routing.Route(
                keys[entry["key"]],
                [
                    routing.Stop(
                        s["job"],
                        s["kind"],
                        s["pickup"],
                        routing.Point(s["lat"], s["lon"]),
                        s["arrival_s"],
                        s["load_g"],
                        s["visit"],
                    )
                    for s in route["stops"]
                ],
                route["distance_m"],
                route["duration_s"],
                route["start_s"],
                [tuple(b) for b in route["breaks"]],
                route["ride_s"],
            )
        )
    unplaced = [routing.Unplaced(str(u["delivery"]), u["reason"]) for u in data["unplaced"]]
    return routing.Plan(routes, unplaced)


# --- Applying ---------------------------------------------------------------------------------


def apply_checked(
    kind: str, target_id: int, fingerprint: str, plan: dict[str, Any], actor: Any
) -> Optimisation:
    """Apply a computed plan under the rounds' and deliveries' locks if its scope is unchanged
    (Conflict otherwise). New rounds are created for the free couriers the plan uses."""
    scope = _scope(kind, target_id, lock=True)
    if scope.fingerprint != fingerprint:
        raise Conflict(changed_message())
    used = {entry["key"] for entry in plan["rounds"] if entry["route"]}
    keys = {}
    rounds = []
    for key, round_ in scope.keys.items():
        if round_.pk is None:
            if key not in used:
                continue
            _create(round_)
        keys[key] = str(round_.pk)
        rounds.append(round_)
    return apply_plan(_applied_problem(scope, rounds), _plan_from_json(plan, keys), actor)


def _applied_problem(scope: Scope, rounds: list[Round]) -> Problem:
    """What ``apply_plan`` needs of the problem: no solver input, except, for a started round,
    which parcels are on the bike."""
    options = solver_options()
    if not scope.position:
        return Problem(rounds, scope.deliveries, [], [], options)
    day = rounds[0].date
    jobs = [build_job(d, day, options, started=True) for d in scope.deliveries.values()]
    return Problem(rounds, scope.deliveries, jobs, [], options, started=True)


def _create(round_: Round) -> None:
    try:
        with transaction.atomic():
            round_.save()
    except IntegrityError:
        # The exclusion constraint caught a round created meanwhile for the same courier or bike.
        raise Conflict(changed_message()) from None


def _optimise_now(kind: str, target_id: int, actor: Any) -> Optimisation:
    scope, plan = compute(kind, target_id)
    with transaction.atomic():
        return apply_checked(kind, target_id, scope.fingerprint, plan, actor)


def optimise_round(round_id: int, actor: Any) -> Optimisation:
    """Order a round's stops with the solver at once (demo data, scripts): solved without
    locks, applied atomically; what cannot fit goes back to the unplanned."""
    return _optimise_now(ProposalKind.ROUND, round_id, actor)


def replan_started_round(round_id: int, actor: Any) -> Optimisation:
    """Re-optimise the stops still to make of a started round at once, from the courier's
    last recorded stop, with what is on the bike (a round not started yet is simply
    optimised): solved without locks, applied atomically."""
    return _optimise_now(ProposalKind.REPLAN, round_id, actor)


def dispatch_slot(slot_id: int, actor: Any) -> Optimisation:
    """Spread a slot's deliveries over its rounds in preparation and the free couriers and
    bikes at once (new rounds for those the plan uses): solved without locks, applied
    atomically."""
    return _optimise_now(ProposalKind.SLOT, slot_id, actor)


# --- Proposals --------------------------------------------------------------------------------


def start_proposal(kind: str, target_id: int, actor: Any) -> PlanProposal:
    """Queue « Optimiser » (a round) or « Répartir » (a slot): checked at once (a round already
    started, a slot with nothing to place…), computed by a worker after commit. A proposal
    already being computed for the same round or slot is returned instead of a second one."""
    scope = _scope(kind, target_id)
    target: dict[str, Any] = (
        {"slot_id": target_id} if kind == ProposalKind.SLOT else {"round": scope.rounds[0]}
    )
    with transaction.atomic():
        running = (
            PlanProposal.objects.select_for_update()
            .filter(kind=kind, status__in=ProposalStatus.computing(), **target)
            .first()
        )
        if running is not None:
            return running
        proposal = PlanProposal.objects.create(
            kind=kind,
            date=_slot_day(target_id) if kind == ProposalKind.SLOT else scope.rounds[0].date,
            created_by=actor if getattr(actor, "pk", None) else None,
            **target,
        )
        transaction.on_commit(lambda: _enqueue(proposal))
    return proposal


def _enqueue(proposal: PlanProposal) -> None:
    """Hand the committed proposal to the workers; a broker that does not take it fails the
    proposal at once with a reason dispatch reads on the board (it may ask again)."""
    from delivery.tasks import compute_plan_proposal

    if not enqueue(compute_plan_proposal, proposal.pk):
        _not_queued(proposal)


def not_queued_message() -> str:
    return _(
        "Le calcul du plan n'a pas pu être lancé : le service de calcul ne répond pas. "
        "Relancez-le dans un instant ; si l'échec se répète, planifiez à la main."
    )


def _not_queued(proposal: PlanProposal) -> None:
    """Queued -> failed, under the row's lock and if it is still queued, for a task the broker
    refused (``proposal``, as it was created, is moved)."""
    error = not_queued_message()
    with transaction.atomic():
        queued = PlanProposal.objects.select_for_update().filter(
            pk=proposal.pk, status=ProposalStatus.QUEUED
        )
        if queued.first() is None:  # claimed by a worker or abandoned meanwhile
            return
        proposal.error = error
        proposal.finished_at = timezone.now()
        fields = ["error", "finished_at"]
        transition(proposal, ProposalStatus.FAILED, why=error, source=ENQUEUE_SOURCE, fields=fields)
        live.board_news(live.LiveKind.PROPOSAL, proposal.date, proposal=proposal.pk)


def _slot_day(slot_id: int) -> date:
    return DeliverySlot.objects.values_list("date", flat=True).get(pk=slot_id)


def compute_proposal(proposal_id: int) -> str:
    """The worker's part: mark the proposal running, compute, store the plan or the error.
    Idempotent: a proposal no longer queued or running is left alone."""
    proposal = _start(proposal_id)
    if proposal is None:
        return "skipped"
    try:
        scope, plan = compute(proposal.kind, _target(proposal))
    except Round.DoesNotExist:
        return _finish(proposal_id, error=_("Cette tournée n'existe plus."))
    except Conflict as conflict:
        return _finish(proposal_id, error=conflict.message)
    except ValidationError as error:
        return _finish(proposal_id, error=" ".join(error.messages))
    except Exception:
        logger.exception("Plan proposal %s failed", proposal_id)
        return _finish(
            proposal_id,
            error=_(
                "Le calcul du plan a échoué. Relancez-le ; si l'échec se répète, "
                "planifiez cette tournée à la main."
            ),
        )
    return _finish(proposal_id, plan=plan, fingerprint=scope.fingerprint)


def _start(proposal_id: int) -> PlanProposal | None:
    """Claim a proposal still to compute under its row lock (two workers take turns): queued
    -> running, or running again (a task lost with its worker, retried: no move). None when it
    is no longer computing."""
    with transaction.atomic():
        proposal = (
            PlanProposal.objects.select_for_update()
            .filter(pk=proposal_id, status__in=ProposalStatus.computing())
            .first()
        )
        if proposal is None:
            return None
        proposal.started_at = timezone.now()
        if proposal.status == ProposalStatus.QUEUED:
            transition(proposal, ProposalStatus.RUNNING, source=SOURCE, fields=["started_at"])
        else:
            proposal.save(update_fields=["started_at"])
    return proposal


def _target(proposal: PlanProposal) -> int:
    """The round or slot of a proposal (the model's check constraint says which is set)."""
    target = proposal.slot_id if proposal.kind == ProposalKind.SLOT else proposal.round_id
    if target is None:
        raise ValidationError(_("Cette proposition n'a plus de tournée ni de créneau."))
    return target


def _finish(
    proposal_id: int,
    plan: dict[str, Any] | None = None,
    fingerprint: str = "",
    error: str = "",
) -> str:
    """Store the worker's result if the proposal is still running (abandoned meanwhile, or
    finished by another worker: left alone)."""
    status = ProposalStatus.FAILED if error else ProposalStatus.READY
    with transaction.atomic():
        proposal = (
            PlanProposal.objects.select_for_update()
            .filter(pk=proposal_id, status=ProposalStatus.RUNNING)
            .first()
        )
        if proposal is not None:
            proposal.plan = plan or {}
            proposal.fingerprint = fingerprint
            proposal.error = error[:500]
            proposal.finished_at = timezone.now()
            fields = ["plan", "fingerprint", "error", "finished_at"]
            transition(proposal, status, why=error, source=SOURCE, fields=fields)
            live.board_news(live.LiveKind.PROPOSAL, proposal.date, proposal=proposal_id)
    return status


def apply_proposal(proposal_id: int, actor: Any) -> Optimisation:
    """« Appliquer »: the plan written into the rounds, once, atomically; refused (and marked
    so) if the deliveries changed since it was computed."""
    refused = ""
    outcome = ProposalStatus.APPLIED
    with transaction.atomic():
        proposal = _locked(proposal_id)
        if proposal.status == ProposalStatus.APPLIED:
            raise Conflict(_("Ce plan a déjà été appliqué."))
        if proposal.status != ProposalStatus.READY:
            raise Conflict(
                _("Ce plan ne peut pas être appliqué : il est « %(status)s ».")
                % {"status": proposal.get_status_display()}
            )
        try:
            with transaction.atomic():
                result = apply_checked(
                    proposal.kind, _target(proposal), proposal.fingerprint, proposal.plan, actor
                )
        except Conflict as conflict:
            refused = conflict.message
            outcome = ProposalStatus.REFUSED
        proposal.closed_at = timezone.now()
        transition(
            proposal,
            outcome,
            by=actor,
            why=refused,
            source="delivery.apply_proposal",
            fields=["closed_at"],
        )
    if outcome == ProposalStatus.REFUSED:
        raise Conflict(refused)
    return result


def abandon_proposal(proposal_id: int, actor: Any) -> PlanProposal:
    """« Abandonner »: the proposal leaves the board; nothing is changed."""
    with transaction.atomic():
        proposal = _locked(proposal_id)
        if proposal.status == ProposalStatus.APPLIED:
            raise Conflict(_("Ce plan a déjà été appliqué."))
        if proposal.status in ProposalStatus.open():
            proposal.closed_at = timezone.now()
            transition(
                proposal,
                ProposalStatus.ABANDONED,
                by=actor,
                source="delivery.abandon_proposal",
                fields=["closed_at"],
            )
    return proposal


def _locked(proposal_id: int) -> PlanProposal:
    proposal = PlanProposal.objects.select_for_update().filter(pk=proposal_id).first()
    if proposal is None:
        raise ValidationError({"proposal": _("Cette proposition n'existe pas.")})
    return proposal


def open_proposals(day: date) -> list[PlanProposal]:
    """The day's proposals dispatch has not applied or abandoned, newest first."""
    return list(
        PlanProposal.objects.filter(date=day, status__in=ProposalStatus.open())
        .select_related("round__courier__user", "slot")
        .order_by("-created_at", "-pk")
    )


def get_proposal(proposal_id: int) -> PlanProposal | None:
    return (
        PlanProposal.objects.select_related("round__courier__user", "slot")
        .filter(pk=proposal_id)
        .first()
    )
