"""The dispatch board: a day's slots, deliveries to plan, rounds; every change through HTMX
(the board is re-rendered in place and the outcome read out) or a plain form post."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from delivery import services
from delivery.forms import DayForm, ReplanForm, ReturnForm, RoundForm
from delivery.models import Delivery, DeliverySlot, ProposalKind, ProposalStatus, Round
from delivery.services import live
from delivery.views.access import dispatch_required, figures_required
from delivery.views.live import live_source
from hub.services import Conflict, elide

MOVES = {"monter": -1, "descendre": 1}


def _day(request) -> date:
    form = DayForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["date"]
    return timezone.localdate()


def _board_url(day: date) -> str:
    return reverse("delivery:board") + f"?date={day:%Y-%m-%d}"


def _round_form(column, day: date, board) -> RoundForm:
    initial = {"day": day, "start": "09:00", "end": "12:00"}
    if column.slot is not None:
        start, end = services.default_window(column.slot)
        initial.update(
            slot=column.slot.pk,
            start=timezone.localtime(start).strftime("%H:%M"),
            end=timezone.localtime(end).strftime("%H:%M"),
        )
    return RoundForm(
        initial=initial,
        auto_id=f"id_{column.key}_%s",
        couriers=board.couriers,
        bikes=board.bikes,
    )


def _render_board(request, day: date, outcome: str = "", error: bool = False, **extra):
    board = services.board_for_day(day)
    for column in board.columns:
        column.round_form = _round_form(column, day, board)
    context = {
        "board": board,
        "day": day,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "day_form": DayForm(initial={"date": day}),
        "outcome": outcome,
        "outcome_is_error": error,
        "routing_outage": services.routing_outage(),
        "map_data": services.board_map(board),
        "proposals": services.open_proposals(day),
        **extra,
    }
    template = "delivery/board/_board.html" if request.htmx else "delivery/board/board.html"
    return render(request, template, context)


@dispatch_required
def board_page(request):
    if request.htmx:
        return _render_board(request, _day(request))
    source = live_source(
        "delivery:board_stream", [live.BOARD], settings.DELIVERY_BOARD_POLL_SECONDS
    )
    return _render_board(request, _day(request), live=source)


def _act(request, day: date, action, success):
    """Run a board action; answer HTMX with the board and its outcome, others with a redirect."""
    try:
        result = action()
    except (Conflict, ValidationError) as problem:
        text = problem.message if isinstance(problem, Conflict) else " ".join(problem.messages)
        if request.htmx:
            return _render_board(request, day, text, error=True)
        messages.error(request, text)
        return redirect(_board_url(day))
    text = success(result) if callable(success) else success
    if request.htmx:
        return _render_board(request, day, text)
    messages.success(request, text)
    return redirect(_board_url(day))


@dispatch_required
@require_POST
def round_create(request):
    form = RoundForm(request.POST)
    day = _day(request)
    if not form.is_valid():
        if form.cleaned_data.get("day"):
            day = form.cleaned_data["day"]
        errors = [str(e) for errs in form.errors.values() for e in errs]
        return _act(request, day, _raise(" ".join(errors)), "")
    day = form.cleaned_data["day"]
    start, end = form.window()
    return _act(
        request,
        day,
        lambda: services.create_round(
            request.user,
            form.cleaned_data["courier"],
            form.cleaned_data["bike"],
            start,
            end,
            form.cleaned_data.get("slot"),
        ),
        lambda round_: _("Tournée %(of_name)s créée.") % {"of_name": elide("de", round_.courier)},
    )


def _raise(message: str):
    def action():
        raise ValidationError(message)

    return action


def _round(pk) -> Round:
    return get_object_or_404(Round.objects.select_related("courier__user"), pk=pk)


@dispatch_required
@require_POST
def round_add(request, pk):
    round_ = _round(pk)
    ids = request.POST.getlist("deliveries")
    return _act(
        request,
        round_.date,
        lambda: services.add_deliveries(round_.pk, ids, request.user),
        ngettext(
            "%(count)d livraison ajoutée à la tournée %(of_name)s.",
            "%(count)d livraisons ajoutées à la tournée %(of_name)s.",
            len(ids),
        )
        % {"count": len(ids), "of_name": elide("de", round_.courier)},
    )


@dispatch_required
@require_POST
def round_add_from_slot(request):
    """The « add to round » form of a slot: the round is chosen in the form."""
    round_id = request.POST.get("round")
    round_ = Round.objects.select_related("courier__user").filter(pk=_int(round_id)).first()
    if round_ is None:
        return _act(request, _day(request), _raise(_("Choisissez une tournée.")), "")
    return round_add(request, round_.pk)


@dispatch_required
@require_POST
def round_remove(request, pk, delivery_pk):
    round_ = _round(pk)
    return _act(
        request,
        round_.date,
        lambda: services.remove_delivery(round_.pk, delivery_pk, request.user),
        _("Livraison retirée de la tournée ; elle est de nouveau à planifier."),
    )


@dispatch_required
@require_POST
def stop_move(request, pk, stop_pk, direction):
    if direction not in MOVES:
        raise Http404
    round_ = _round(pk)
    offset = MOVES[direction]
    return _act(
        request,
        round_.date,
        lambda: services.move_stop(round_.pk, stop_pk, offset, request.user),
        _("Ordre des arrêts modifié."),
    )


def _optimised(result) -> str:
    text = _("Optimisation : %(rounds)d tournée(s), %(km)s km, %(duration)s.") % {
        "rounds": len(result.rounds),
        "km": formats.number_format(result.distance_m / 1000, 1),
        "duration": _duration(result.duration_s),
    }
    if result.unplaced:
        text += " " + _("Non placées : %(list)s.") % {
            "list": " ; ".join(f"{d.order_number} ({reason})" for d, reason in result.unplaced)
        }
    return text


def _duration(seconds: int) -> str:
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h {minutes:02d}" if hours else f"{minutes} min"


def _start(kind: str, target_id: int, user):
    """The action starting a proposal; one the broker would not take is answered as an error
    (the board shows it failed, with its reason)."""

    def action():
        proposal = services.start_proposal(kind, target_id, user)
        if proposal.status == ProposalStatus.FAILED:
            raise Conflict(proposal.error)
        return proposal

    return action


def _started(proposal) -> str:
    if proposal.is_computing:
        return _("Calcul du plan lancé : il s'affiche ici dès qu'il est prêt.")
    return _("Plan proposé : vérifiez-le, puis appliquez-le ou abandonnez-le.")


@dispatch_required
@require_POST
def round_optimise(request, pk):
    """« Optimiser »: a worker computes the proposed plan; the board shows it when ready."""
    round_ = _round(pk)
    return _act(
        request,
        round_.date,
        _start(ProposalKind.ROUND, round_.pk, request.user),
        _started,
    )


@dispatch_required
@require_POST
def round_replan(request, pk):
    """« Re-planifier la suite »: a worker re-optimises a started round's remaining stops from
    where its courier is (a proposal)."""
    round_ = _round(pk)
    return _act(
        request,
        round_.date,
        _start(ProposalKind.REPLAN, round_.pk, request.user),
        _started,
    )


@dispatch_required
@require_POST
def slot_dispatch(request, slot_pk):
    """« Répartir »: a worker spreads the slot over the rounds and free couriers (a proposal)."""
    slot = get_object_or_404(DeliverySlot, pk=slot_pk)
    return _act(
        request,
        slot.date,
        _start(ProposalKind.SLOT, slot.pk, request.user),
        _started,
    )


def _proposal(pk):
    proposal = services.get_proposal(pk)
    if proposal is None:
        raise Http404
    return proposal


@dispatch_required
def proposal_panel(request, pk):
    """One proposal, polled by the board while it is computed (without HTMX: the board)."""
    proposal = _proposal(pk)
    if not request.htmx:
        return redirect(_board_url(proposal.date) + f"#proposal-{proposal.pk}")
    return render(request, "delivery/board/_proposal.html", {"proposal": proposal})


@dispatch_required
@require_POST
def proposal_apply(request, pk):
    proposal = _proposal(pk)
    return _act(
        request,
        proposal.date,
        lambda: services.apply_proposal(proposal.pk, request.user),
        _optimised,
    )


@dispatch_required
@require_POST
def proposal_abandon(request, pk):
    proposal = _proposal(pk)
    return _act(
        request,
        proposal.date,
        lambda: services.abandon_proposal(proposal.pk, request.user),
        _("Plan proposé abandonné : les tournées restent telles quelles."),
    )


@dispatch_required
@require_POST
def round_publish(request, pk):
    round_ = _round(pk)
    return _act(
        request,
        round_.date,
        lambda: services.publish_round(round_.pk, request.user),
        _("Tournée publiée : %(name)s est prévenu·e par e-mail.") % {"name": round_.courier},
    )


@dispatch_required
@require_POST
def round_delete(request, pk):
    round_ = _round(pk)
    return _act(
        request,
        round_.date,
        lambda: services.delete_round(round_.pk, request.user),
        _("Tournée supprimée ; ses livraisons sont de nouveau à planifier."),
    )


@dispatch_required
def route_sheet(request, pk):
    round_ = get_object_or_404(
        Round.objects.select_related("courier__user", "bike").prefetch_related(
            "stops__delivery__pickups", "stops__pickup"
        ),
        pk=pk,
    )
    stops = sorted(round_.stops.all(), key=lambda s: (s.sequence, s.pk))
    context = {"round": round_, "stops": stops, "map_data": services.round_map(stops)}
    return render(request, "delivery/board/route_sheet.html", context)


@dispatch_required
def failures_panel(request):
    """The failures list alone, polled by the board so that a new failure shows at once."""
    return render(
        request, "delivery/board/_failures.html", {"failures": services.failures_to_handle()}
    )


def _delivery(pk) -> Delivery:
    delivery = services.delivery_with_history(pk)
    if delivery is None:
        raise Http404
    return delivery


@dispatch_required
def delivery_detail(request, pk, replan_form=None, return_form=None, status=200):
    delivery = _delivery(pk)
    context = {
        "delivery": delivery,
        "replan_form": replan_form or ReplanForm(slots=services.replannable_slots(delivery)),
        "return_form": return_form or ReturnForm(),
    }
    return render(request, "delivery/board/delivery_detail.html", context, status=status)


@dispatch_required
@require_POST
def delivery_replan(request, pk):
    delivery = _delivery(pk)
    form = ReplanForm(request.POST, slots=services.replannable_slots(delivery))
    if form.is_valid():
        point = form.cleaned_data["relay_point"]
        try:
            services.replan_delivery(
                delivery.pk, form.cleaned_data["slot"].pk, request.user, point.pk if point else None
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except Conflict as conflict:
            form.add_error(None, conflict.message)
        else:
            messages.success(
                request,
                _("Livraison %(number)s reprogrammée ; le client est prévenu.")
                % {"number": delivery.order_number},
            )
            return redirect("delivery:delivery_detail", delivery.pk)
    return delivery_detail(request, pk, replan_form=form, status=400)


@dispatch_required
@require_POST
def delivery_return(request, pk):
    delivery = _delivery(pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_to_shops(delivery.pk, request.user, form.cleaned_data["reason"])
        except Conflict as conflict:
            form.add_error(None, conflict.message)
        else:
            messages.success(
                request,
                _("Colis de %(number)s à rapporter aux commerces ; le client est prévenu.")
                % {"number": delivery.order_number},
            )
            return redirect("delivery:delivery_detail", delivery.pk)
    return delivery_detail(request, pk, return_form=form, status=400)


@figures_required
def proof_photo(request, pk):
    """The delivery photo, kept out of public media, for staff only."""
    delivery = get_object_or_404(Delivery, pk=pk)
    if not delivery.proof_photo:
        raise Http404
    return FileResponse(delivery.proof_photo.open("rb"), content_type=delivery.proof_content_type)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
