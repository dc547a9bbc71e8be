"""The dispatch API: a day's deliveries, rounds created, changed, optimised and published."""

import django_filters
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from delivery import services
from delivery.api.serializers import (
    DeliverySerializer,
    OptimisationSerializer,
    ProposalSerializer,
    RoundChangeSerializer,
    RoundCreateSerializer,
    RoundSerializer,
)
from delivery.models import Delivery, DeliveryStatus, PlanProposal, ProposalKind, Round, Stop
from hub.services import IsoDateFilter, Role, StrictBooleanFilter, api_error_responses, has_role


class IsDispatcher(BasePermission):
    message = _("Réservé à la régulation des livraisons.")

    def has_permission(self, request, view):
        return has_role(request.user, Role.DISPATCH)


def _default_day(request, queryset, lookup: str):
    """Without a ``date`` parameter, the lists show today."""
    if "date" in request.query_params:
        return queryset
    return queryset.filter(**{lookup: timezone.localdate()})


class DeliveryFilter(django_filters.FilterSet):
    date = IsoDateFilter(field_name="slot__date", help_text="AAAA-MM-JJ (par défaut : aujourd'hui)")
    status = django_filters.ChoiceFilter(choices=DeliveryStatus.choices)
    unplanned = StrictBooleanFilter(field_name="round", lookup_expr="isnull")

    class Meta:
        model = Delivery
        fields = ["date", "status", "unplanned"]


class DeliveryList(generics.ListAPIView):
    """Deliveries of a date (by their slot), with their pickups; filter by status or unplanned."""

    permission_classes = [IsDispatcher]
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Delivery.objects.none()
        deliveries = (
            Delivery.objects.select_related("slot")
            .prefetch_related("pickups")
            .order_by("slot__start", "pk")
        )
        return _default_day(self.request, deliveries, "slot__date")

    @extend_schema(
        responses={200: DeliverySerializer(many=True), **api_error_responses(400, 401, 403, 404)}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def rounds_with_stops():
    return Round.objects.select_related("courier__user", "bike").prefetch_related(
        Prefetch("stops", queryset=Stop.objects.select_related("delivery", "pickup"))
    )


class RoundFilter(django_filters.FilterSet):
    date = IsoDateFilter(help_text="AAAA-MM-JJ (par défaut : aujourd'hui)")

    class Meta:
        model = Round
        fields = ["date"]


class RoundListCreate(generics.ListAPIView):
    """Rounds of a date with their stops; POST creates one (courier, bike, window)."""

    permission_classes = [IsDispatcher]
    serializer_class = RoundSerializer
    filterset_class = RoundFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Round.objects.none()
        rounds = rounds_with_stops().order_by("start", "pk")
        return _default_day(self.request, rounds, "date")

    @extend_schema(
        responses={200: RoundSerializer(many=True), **api_error_responses(400, 401, 403, 404)}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=RoundCreateSerializer,
        responses={201: RoundSerializer, **api_error_responses(400, 401, 403, 409)},
    )
    def post(self, request):
        payload = RoundCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        round_ = services.create_round(
            request.user,
            data["courier"],
            data["bike"],
            data["start"],
            data["end"],
            data.get("slot"),
        )
        return Response(
            RoundSerializer(rounds_with_stops().get(pk=round_.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class RoundDetail(APIView):
    """A round: read it, change it (until it starts), or delete it (not yet published)."""

    permission_classes = [IsDispatcher]

    @extend_schema(responses={200: RoundSerializer, **api_error_responses(401, 403, 404)})
    def get(self, request, pk):
        return Response(RoundSerializer(get_object_or_404(rounds_with_stops(), pk=pk)).data)

    @extend_schema(
        request=RoundChangeSerializer,
        responses={200: RoundSerializer, **api_error_responses(400, 401, 403, 404, 409)},
    )
    def patch(self, request, pk):
        get_object_or_404(Round, pk=pk)
        payload = RoundChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        with transaction.atomic():
            if {"courier", "bike", "start", "end"} & set(data):
                services.change_round(
                    pk,
                    request.user,
                    data.get("courier"),
                    data.get("bike"),
                    data.get("start"),
                    data.get("end"),
                )
            for delivery_id in data.get("remove", []):
                services.remove_delivery(pk, delivery_id, request.user)
            if data.get("add"):
                services.add_deliveries(pk, data["add"], request.user)
            if data.get("stop_order"):
                services.reorder_stops(pk, data["stop_order"], request.user)
        return Response(RoundSerializer(rounds_with_stops().get(pk=pk)).data)

    @extend_schema(responses={204: None, **api_error_responses(401, 403, 404, 409)})
    def delete(self, request, pk):
        get_object_or_404(Round, pk=pk)
        services.delete_round(pk, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _optimisation(result) -> dict:
    rounds = rounds_with_stops().filter(pk__in=[r.pk for r in result.rounds])
    return OptimisationSerializer(
        {
            "distance_m": result.distance_m,
            "duration_s": result.duration_s,
            "rounds": rounds,
            "unplaced": [
                {"delivery": d.pk, "order_number": d.order_number, "reason": reason}
                for d, reason in result.unplaced
            ],
        }
    ).data


class RoundOptimise(APIView):
    """Ask the solver to order the round's stops: a worker computes a proposal (202); poll it,
    then apply it. Nothing changes in the round until the proposal is applied."""

    permission_classes = [IsDispatcher]

    @extend_schema(
        request=None,
        responses={202: ProposalSerializer, **api_error_responses(401, 403, 404, 409)},
    )
    def post(self, request, pk):
        get_object_or_404(Round, pk=pk)
        proposal = services.start_proposal(ProposalKind.ROUND, pk, request.user)
        proposal.refresh_from_db()
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_202_ACCEPTED)


class ProposalDetail(APIView):
    """A proposed plan: its status while computed, then the plan."""

    permission_classes = [IsDispatcher]

    @extend_schema(responses={200: ProposalSerializer, **api_error_responses(401, 403, 404)})
    def get(self, request, pk):
        return Response(ProposalSerializer(get_object_or_404(PlanProposal, pk=pk)).data)


class ProposalApply(APIView):
    """Write a ready plan into the rounds, once; 409 if the deliveries changed since it was
    computed (the proposal is then refused) or if it was already applied."""

    permission_classes = [IsDispatcher]

    @extend_schema(
        request=None,
        responses={200: OptimisationSerializer, **api_error_responses(401, 403, 404, 409)},
    )
    def post(self, request, pk):
        get_object_or_404(PlanProposal, pk=pk)
        return Response(_optimisation(services.apply_proposal(pk, request.user)))


class ProposalAbandon(APIView):
    """Drop a proposal: nothing changes in the rounds."""

    permission_classes = [IsDispatcher]

    @extend_schema(
        request=None, responses={200: ProposalSerializer, **api_error_responses(401, 403, 404, 409)}
    )
    def post(self, request, pk):
        get_object_or_404(PlanProposal, pk=pk)
        return Response(ProposalSerializer(services.abandon_proposal(pk, request.user)).data)


class RoundPublish(APIView):
    """Send the round to its courier (e-mail; it shows on their phone)."""

    permission_classes = [IsDispatcher]

    @extend_schema(
        request=None, responses={200: RoundSerializer, **api_error_responses(401, 403, 404, 409)}
    )
    def post(self, request, pk):
        get_object_or_404(Round, pk=pk)
        services.publish_round(pk, request.user)
        return Response(RoundSerializer(rounds_with_stops().get(pk=pk)).data)
