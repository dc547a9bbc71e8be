"""Serializers of the courier, dispatch and tracking API (reading; writes go to services)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from delivery.models import (
    Delivery,
    FailureReason,
    Pickup,
    PlanProposal,
    Round,
    Stop,
    StopKind,
)
from hub.services import StrictCharField, StrictModelSerializer


class StopSerializer(StrictModelSerializer):
    """One stop as the courier sees it: where, who, what, and what to collect. Stops of a
    round with the same ``visit`` are one visit to one place (several parcels at one shop)."""

    order_number = StrictCharField(source="delivery.order_number")
    name = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()
    weight_grams = serializers.SerializerMethodField()
    instructions = serializers.SerializerMethodField()
    payment_due = serializers.SerializerMethodField()
    payment_method = serializers.SerializerMethodField()
    delivery_status = StrictCharField(source="delivery.status")
    round_status = StrictCharField(source="round.status")

    class Meta:
        model = Stop
        fields = [
            "id",
            "sequence",
            "visit",
            "kind",
            "state",
            "planned_at",
            "expected_at",
            "done_at",
            "order_number",
            "name",
            "address",
            "latitude",
            "longitude",
            "phone",
            "items",
            "weight_grams",
            "instructions",
            "payment_due",
            "payment_method",
            "delivery_status",
            "round_status",
        ]

    def _is_pickup(self, stop: Stop) -> bool:
        return stop.kind == StopKind.PICKUP

    def get_name(self, stop: Stop) -> str:
        return stop.pickup.shop_name if self._is_pickup(stop) else stop.delivery.contact_name

    def get_address(self, stop: Stop) -> str:
        return stop.pickup.address if self._is_pickup(stop) else stop.delivery.address

    @extend_schema_field(serializers.DecimalField(max_digits=9, decimal_places=6))
    def get_latitude(self, stop: Stop) -> str:
        return str(stop.pickup.latitude if self._is_pickup(stop) else stop.delivery.latitude)

    @extend_schema_field(serializers.DecimalField(max_digits=9, decimal_places=6))
    def get_longitude(self, stop: Stop) -> str:
        return str(stop.pickup.longitude if self._is_pickup(stop) else stop.delivery.longitude)

    def get_phone(self, stop: Stop) -> str:
        return stop.pickup.phone if self._is_pickup(stop) else stop.delivery.contact_phone

    def get_items(self, stop: Stop) -> list[str]:
        return stop.pickup.item_lines() if self._is_pickup(stop) else []

    def get_weight_grams(self, stop: Stop) -> int:
        return stop.pickup.weight_grams if self._is_pickup(stop) else stop.delivery.weight_grams

    def get_instructions(self, stop: Stop) -> str:
        return "" if self._is_pickup(stop) else stop.delivery.instructions

    @extend_schema_field(serializers.DecimalField(max_digits=9, decimal_places=2))
    def get_payment_due(self, stop: Stop) -> str:
        due = 0 if self._is_pickup(stop) else stop.delivery.payment_due
        return f"{due:.2f}"

    def get_payment_method(self, stop: Stop) -> str:
        return "" if self._is_pickup(stop) else stop.delivery.payment_method


class RoundSerializer(StrictModelSerializer):
    courier = StrictCharField(source="courier.__str__", read_only=True)
    courier_id = serializers.IntegerField(read_only=True)
    bike = StrictCharField(source="bike.name", read_only=True)
    bike_id = serializers.IntegerField(read_only=True)
    payload_grams = serializers.IntegerField(source="bike.payload_grams", read_only=True)
    stops = serializers.SerializerMethodField()

    class Meta:
        model = Round
        fields = [
            "id",
            "date",
            "slot",
            "start",
            "end",
            "status",
            "courier",
            "courier_id",
            "bike",
            "bike_id",
            "payload_grams",
            "distance_m",
            "duration_s",
            "break_at",
            "break_minutes",
            "published_at",
            "stops",
        ]

    @extend_schema_field(StopSerializer(many=True))
    def get_stops(self, round_: Round) -> list:
        stops = list(round_.stops.all())
        for stop in stops:
            stop.round = round_
        return StopSerializer(sorted(stops, key=lambda s: (s.sequence, s.pk)), many=True).data


class PickupSerializer(StrictModelSerializer):
    class Meta:
        model = Pickup
        fields = ["id", "shop_name", "address", "status", "weight_grams"]


class DeliverySerializer(StrictModelSerializer):
    """A delivery as dispatch sees it."""

    slot_start = serializers.DateTimeField(source="slot.start")
    slot_end = serializers.DateTimeField(source="slot.end")
    round = serializers.IntegerField(source="round_id", allow_null=True)
    pickups = PickupSerializer(many=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "order_number",
            "status",
            "slot",
            "slot_start",
            "slot_end",
            "round",
            "address",
            "latitude",
            "longitude",
            "relay_point",
            "contact_name",
            "contact_phone",
            "instructions",
            "weight_grams",
            "payment_due",
            "at_hub",
            "unplaced_reason",
            "failure_reason",
            "failure_note",
            "failures",
            "pickups",
        ]


class ActionSerializer(serializers.Serializer):
    recorded_at = serializers.DateTimeField(
        required=False,
        help_text="Quand l'action a été faite sur le téléphone (action envoyée plus tard).",
    )


class DeliverRequestSerializer(ActionSerializer):
    recipient = StrictCharField(max_length=150)
    payment_collected = serializers.BooleanField(default=False)
    photo = serializers.ImageField(required=False)


class FailRequestSerializer(ActionSerializer):
    reason = serializers.ChoiceField(choices=FailureReason.choices)
    note = StrictCharField(max_length=250, required=False, allow_blank=True, default="")


class RoundCreateSerializer(serializers.Serializer):
    courier = serializers.IntegerField(min_value=1)
    bike = serializers.IntegerField(min_value=1)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    slot = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class RoundChangeSerializer(serializers.Serializer):
    courier = serializers.IntegerField(min_value=1, required=False)
    bike = serializers.IntegerField(min_value=1, required=False)
    start = serializers.DateTimeField(required=False)
    end = serializers.DateTimeField(required=False)
    add = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=200,
        help_text="Livraisons à ajouter en fin de tournée.",
    )
    remove = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=200,
        help_text="Livraisons à retirer de la tournée.",
    )
    stop_order = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=500,
        help_text="Tous les arrêts de la tournée, dans l'ordre voulu.",
    )


class UnplacedSerializer(serializers.Serializer):
    delivery = serializers.IntegerField()
    order_number = StrictCharField()
    reason = StrictCharField()


class OptimisationSerializer(serializers.Serializer):
    distance_m = serializers.IntegerField()
    duration_s = serializers.IntegerField()
    rounds = RoundSerializer(many=True)
    unplaced = UnplacedSerializer(many=True)


class ProposalSerializer(serializers.ModelSerializer):
    """A plan computed off the request path: poll until ``status`` is ``ready`` (or
    ``failed``), then apply or abandon it."""

    status_label = StrictCharField(source="get_status_display", read_only=True)
    plan = serializers.JSONField(
        read_only=True,
        help_text="Rounds (courier, bike, stops in order with arrival in seconds of the day), "
        "unplaced deliveries with their reason, distance_m, duration_s, straight_lines.",
    )

    class Meta:
        model = PlanProposal
        fields = [
            "id",
            "kind",
            "round",
            "slot",
            "date",
            "status",
            "status_label",
            "error",
            "plan",
            "created_at",
            "started_at",
            "finished_at",
            "closed_at",
        ]
        read_only_fields = fields


class StepSerializer(serializers.Serializer):
    label = StrictCharField()
    done = serializers.BooleanField()
    current = serializers.BooleanField()


class TrackingSerializer(serializers.Serializer):
    """Status only: nothing personal."""

    status = StrictCharField()
    label = StrictCharField()
    detail = StrictCharField(allow_blank=True)
    window = StrictCharField()
    stops_before = serializers.IntegerField(allow_null=True)
    arrival_start = serializers.DateTimeField(source="arrival.start", allow_null=True)
    arrival_end = serializers.DateTimeField(source="arrival.end", allow_null=True)
    arrival_late = serializers.BooleanField(source="arrival.late", allow_null=True)
    arrival_label = StrictCharField(allow_blank=True)
    steps = StepSerializer(many=True)
    updated_at = serializers.DateTimeField()
