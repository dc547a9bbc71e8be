"""The courier's API: today's round, and the three actions at a stop.

Each action accepts an ``Idempotency-Key`` header (the phone makes one per action, keeps it
with the action while offline): a replay returns the first answer and changes nothing.
Another courier's stop is a 404; an action out of order is a 409 with a message.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from delivery import services
from delivery.api.serializers import (
    ActionSerializer,
    DeliverRequestSerializer,
    FailRequestSerializer,
    RoundSerializer,
    StopSerializer,
)
from delivery.models import Stop
from hub.services import (
    ApiFormParser,
    ApiJSONParser,
    ApiMultiPartParser,
    api_error_responses,
    idempotent_response,
)

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Clé unique par action, générée par le téléphone : un renvoi rend la "
    "première réponse sans rien refaire.",
)


class IsCourier(BasePermission):
    message = _("Réservé aux coursiers.")

    def has_permission(self, request, view):
        return services.is_courier(request.user)


class TodayRound(APIView):
    """The signed-in courier's round of today (the first unfinished one), stops in order."""

    permission_classes = [IsCourier]

    @extend_schema(responses={200: RoundSerializer, **api_error_responses(401, 403, 404)})
    def get(self, request):
        round_ = services.current_round(services.courier_of(request.user))
        if round_ is None:
            raise Http404(_("Pas de tournée publiée pour vous aujourd'hui."))
        return Response(RoundSerializer(round_).data)


class StopAction(APIView):
    permission_classes = [IsCourier]
    parser_classes = [ApiJSONParser, ApiMultiPartParser, ApiFormParser]
    action = ""
    payload_class = ActionSerializer

    def post(self, request, pk):
        def handle():
            try:
                services.courier_stop(request.user, pk)
            except Stop.DoesNotExist:
                raise Http404(_("Cet arrêt n'est pas dans vos tournées.")) from None
            payload = self.payload_class(data=request.data)
            payload.is_valid(raise_exception=True)
            self.perform(request, pk, payload.validated_data)
            stop = services.courier_stop(request.user, pk)
            return Response(StopSerializer(stop).data)

        return idempotent_response(request, f"delivery.stop.{pk}.{self.action}", handle)


RESPONSES = {200: StopSerializer, **api_error_responses(400, 401, 403, 404, 409)}


class PickupAction(StopAction):
    """« Récupéré » : the shop's part is on the bike."""

    action = "pickup"

    @extend_schema(request=ActionSerializer, responses=RESPONSES, parameters=[IDEMPOTENCY_KEY])
    def post(self, request, pk):
        return super().post(request, pk)

    def perform(self, request, pk, data):
        services.record_pickup(request.user, pk, data.get("recorded_at"))


class VisitPickupAction(APIView):
    """« Récupéré » for the whole visit of this stop: every parcel the shop has ready (the
    others stay to do). Answers the stops of the visit."""

    permission_classes = [IsCourier]
    # The courier page sends every action as multipart form data (FormData).
    parser_classes = [ApiJSONParser, ApiMultiPartParser, ApiFormParser]

    @extend_schema(
        request=ActionSerializer,
        responses={200: StopSerializer(many=True), **api_error_responses(400, 401, 403, 404, 409)},
        parameters=[IDEMPOTENCY_KEY],
    )
    def post(self, request, pk):
        def handle():
            try:
                stop = services.courier_stop(request.user, pk)
            except Stop.DoesNotExist:
                raise Http404(_("Cet arrêt n'est pas dans vos tournées.")) from None
            payload = ActionSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            services.record_visit_pickup(
                request.user, pk, payload.validated_data.get("recorded_at")
            )
            stops = services.visit_stops(request.user, stop)
            return Response(StopSerializer(stops, many=True).data)

        return idempotent_response(request, f"delivery.stop.{pk}.visit-pickup", handle)


class DeliverAction(StopAction):
    """« Livré » : the recipient's name, the payment if due, an optional photo (multipart)."""

    action = "deliver"
    payload_class = DeliverRequestSerializer

    @extend_schema(
        request={
            "application/json": DeliverRequestSerializer,
            "multipart/form-data": DeliverRequestSerializer,
        },
        responses=RESPONSES,
        parameters=[IDEMPOTENCY_KEY],
    )
    def post(self, request, pk):
        return super().post(request, pk)

    def perform(self, request, pk, data):
        services.record_delivery(
            request.user,
            pk,
            data["recipient"],
            data["payment_collected"],
            data.get("photo"),
            data.get("recorded_at"),
        )


class FailAction(StopAction):
    """« Échec » : why the drop-off could not be made (a note is needed for « autre »)."""

    action = "fail"
    payload_class = FailRequestSerializer

    @extend_schema(request=FailRequestSerializer, responses=RESPONSES, parameters=[IDEMPOTENCY_KEY])
    def post(self, request, pk):
        return super().post(request, pk)

    def perform(self, request, pk, data):
        services.record_failure(
            request.user, pk, data["reason"], data.get("note", ""), data.get("recorded_at")
        )
