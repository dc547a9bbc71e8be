"""Public delivery API: relay points, open slots, « do you deliver here? », tracking."""

import django_filters
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from delivery import services
from delivery.api.serializers import TrackingSerializer
from delivery.models import DeliverySlot, RelayPoint
from hub.services import (
    IdFilter,
    IsoDateFilter,
    StrictCharField,
    StrictModelSerializer,
    api_error_responses,
)


class DeliveryErrorSerializer(serializers.Serializer):
    detail = StrictCharField()


NOT_FOUND = OpenApiResponse(DeliveryErrorSerializer, description="Page introuvable.")


class RelayPointSerializer(StrictModelSerializer):
    class Meta:
        model = RelayPoint
        fields = ["id", "name", "address", "opening_hours", "instructions", "latitude", "longitude"]


class DeliverySlotSerializer(StrictModelSerializer):
    remaining = serializers.IntegerField(read_only=True)

    class Meta:
        model = DeliverySlot
        fields = ["id", "date", "start", "end", "cutoff", "remaining"]


class AddressRequestSerializer(serializers.Serializer):
    address = StrictCharField(max_length=250)


class AddressAnswerSerializer(serializers.Serializer):
    deliverable = serializers.BooleanField()
    distance_km = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    label = StrictCharField(allow_blank=True)
    message = StrictCharField(allow_blank=True)


class RelayPointList(generics.ListAPIView):
    """Active relay points (public)."""

    permission_classes = [AllowAny]
    serializer_class = RelayPointSerializer

    def get_queryset(self):
        return services.active_relay_points()

    @extend_schema(responses={200: RelayPointSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SlotFilter(django_filters.FilterSet):
    date = IsoDateFilter(field_name="date")
    relay_point = IdFilter(
        method="open_at",
        label=gettext_lazy("Point relais : seulement les créneaux où il est ouvert"),
    )

    class Meta:
        model = DeliverySlot
        fields = ["date", "relay_point"]

    def open_at(self, queryset, name, value):
        # An unknown or closed relay point is open for no slot.
        point = RelayPoint.objects.filter(is_active=True, pk=value).first()
        return services.within_opening_hours(queryset, point) if point else queryset.none()


class SlotList(generics.ListAPIView):
    """Delivery slots still open to orders (public), optionally on one date (YYYY-MM-DD) and
    for one relay point (only the slots it is open for)."""

    permission_classes = [AllowAny]
    serializer_class = DeliverySlotSerializer
    filterset_class = SlotFilter

    def get_queryset(self):
        return services.bookable_slots()

    @extend_schema(
        responses={
            200: DeliverySlotSerializer(many=True),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Date mal formée."),
            404: NOT_FOUND,
        }
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CheckAddress(APIView):
    """Whether an address lies in the cargo-bike zone (public; nothing is stored)."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=AddressRequestSerializer,
        responses={
            200: AddressAnswerSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Adresse manquante."),
        },
    )
    def post(self, request):
        payload = AddressRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = services.check_address(payload.validated_data["address"])
        return Response(
            AddressAnswerSerializer(
                {
                    "deliverable": result.deliverable,
                    "distance_km": result.distance_km,
                    "label": result.label,
                    "message": result.message,
                }
            ).data
        )


class Track(APIView):
    """Where a delivery stands, behind its unguessable tracking link (public, nothing personal)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: TrackingSerializer, **api_error_responses(404)}, auth=[])
    def get(self, request, token):
        tracking = services.tracking_by_token(token)
        if tracking is None:
            raise Http404(_("Lien de suivi inconnu."))
        return Response(TrackingSerializer(tracking).data)
