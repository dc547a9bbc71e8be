"""API of the spaces: resources, availability, and a person's own bookings."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from coworking import services
from coworking.models import Booking, Rate, Resource
from hub.services import (
    StrictCharField,
    StrictModelSerializer,
    api_error_responses,
    idempotent_response,
)

MAX_AVAILABILITY_DAYS = 31


class RateSerializer(StrictModelSerializer):
    class Meta:
        model = Rate
        fields = ["tier", "hourly", "half_day", "day"]


class ResourceSerializer(StrictModelSerializer):
    space = StrictCharField(source="space.name")
    rates = RateSerializer(many=True)

    class Meta:
        model = Resource
        fields = [
            "id",
            "name",
            "kind",
            "space",
            "capacity",
            "slot_minutes",
            "booking_mode",
            "rates",
        ]


class AvailabilitySlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    free = serializers.IntegerField()
    capacity = serializers.IntegerField()


class BookingSerializer(StrictModelSerializer):
    resource_name = StrictCharField(source="resource.name")
    paid_by = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "reference",
            "resource",
            "resource_name",
            "start",
            "end",
            "status",
            "price",
            "amount_due",
            "paid_by",
            "created_at",
        ]

    def get_paid_by(self, booking) -> str:
        """ "agreement" (Atelier 8, free), "pass", or the rate tier ("standard", "solidarity")."""
        if booking.agreement_id:
            return "agreement"
        if booking.pass_used_id:
            return "pass"
        return booking.tier


class BookingRequestSerializer(serializers.Serializer):
    resource = serializers.PrimaryKeyRelatedField(queryset=Resource.objects.bookable())
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


def _field_errors(name: str, fields: list[str]):
    return inline_serializer(
        name,
        {
            **{
                field: serializers.ListField(child=StrictCharField(), required=False)
                for field in fields
            },
            # A message or a list of messages (parse errors, errors not tied to a field).
            "detail": serializers.JSONField(required=False),
        },
    )


DETAIL = inline_serializer("CoworkingDetail", {"detail": StrictCharField()})
CONFLICT = inline_serializer(
    "CoworkingConflict",
    {"detail": StrictCharField(), "field": StrictCharField(required=False)},
)


class ResourceList(generics.ListAPIView):
    """Resources that can be booked online, with their rates."""

    permission_classes = [AllowAny]
    serializer_class = ResourceSerializer
    queryset = (
        Resource.objects.bookable()
        .select_related("space")
        .prefetch_related(Prefetch("rates", queryset=Rate.objects.order_by("tier")))
    )


class AvailabilityView(APIView):
    """Free places of a resource for each slot between two dates (31 days at most)."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="Premier jour (défaut : aujourd'hui)"
            ),
            OpenApiParameter(
                "to", OpenApiTypes.DATE, description="Dernier jour inclus (défaut : +6 jours)"
            ),
        ],
        responses={
            200: AvailabilitySlotSerializer(many=True),
            400: _field_errors("AvailabilityError", ["from", "to"]),
            404: DETAIL,
        },
    )
    def get(self, request, pk):
        resource = get_object_or_404(Resource.objects.bookable().select_related("space"), pk=pk)
        first, last = self._range(request)
        slots = services.availability(resource, first, last)
        return Response(AvailabilitySlotSerializer(slots, many=True).data)

    def _range(self, request) -> tuple[date, date]:
        today = timezone.localdate()
        errors = {}
        try:
            first = (
                date.fromisoformat(request.query_params["from"])
                if request.query_params.get("from")
                else today
            )
        except ValueError:
            errors["from"] = [_("Date attendue au format AAAA-MM-JJ.")]
            first = today
        try:
            last = (
                date.fromisoformat(request.query_params["to"])
                if request.query_params.get("to")
                else first + timedelta(days=6)
            )
        except ValueError:
            errors["to"] = [_("Date attendue au format AAAA-MM-JJ.")]
            last = first
        if not errors and last < first:
            errors["to"] = [_("La fin précède le début.")]
        if not errors and (last - first).days >= MAX_AVAILABILITY_DAYS:
            errors["to"] = [
                _("Au plus %(days)s jours à la fois.") % {"days": MAX_AVAILABILITY_DAYS}
            ]
        if errors:
            raise ValidationError(errors)
        return first, last


class BookingListCreate(generics.ListAPIView):
    """The signed-in person's bookings; POST books (``Idempotency-Key`` supported)."""

    serializer_class = BookingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Booking.objects.none()
        return (
            Booking.objects.filter(user=self.request.user)
            .select_related("resource")
            .order_by("-start")
        )

    @extend_schema(
        request=BookingRequestSerializer,
        responses={
            **api_error_responses(401, 403),
            201: BookingSerializer,
            400: _field_errors("BookingError", ["resource", "start", "end"]),
            409: CONFLICT,
        },
    )
    def post(self, request):
        def handle():
            payload = BookingRequestSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            data = payload.validated_data
            booking = services.book(request.user, data["resource"], data["start"], data["end"])
            return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

        return idempotent_response(request, "coworking.book", handle)


class BookingCancel(APIView):
    """Cancel one of one's bookings (free before the space's delay, charged after it)."""

    @extend_schema(
        request=None,
        responses={
            **api_error_responses(401, 403),
            200: BookingSerializer,
            404: DETAIL,
            409: CONFLICT,
        },
    )
    def post(self, request, pk):
        booking = get_object_or_404(
            Booking.objects.select_related("resource__space"), pk=pk, user=request.user
        )
        cancelled = services.cancel_booking(booking, by=request.user)
        return Response(BookingSerializer(cancelled).data)
