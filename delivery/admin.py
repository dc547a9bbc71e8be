from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from delivery.models import (
    CargoBike,
    Courier,
    CourierShift,
    Delivery,
    DeliveryEvent,
    DeliverySlot,
    DeliveryZone,
    FeeRule,
    KnownPosition,
    Pickup,
    PlanProposal,
    RelayPoint,
    RelayPointHours,
    Round,
    ShopNotice,
    SlotTemplate,
    Stop,
)
from delivery.services import relay_notices
from hub.services import StatusChangeInline, admin_export


@admin.action(description=_("Exporter la sélection (CSV)"))
def export_csv(modeladmin, request, queryset):
    """The selected rows with the list's columns, in the hub's CSV convention."""
    return admin_export(modeladmin, queryset)


@admin.register(DeliveryZone)
class DeliveryZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "center_latitude", "center_longitude", "radius_km", "updated_at"]

    def has_add_permission(self, request):
        # One zone is in force: staff change it rather than add a second one.
        return super().has_add_permission(request) and not DeliveryZone.objects.exists()


@admin.register(KnownPosition)
class KnownPositionAdmin(admin.ModelAdmin):
    list_display = ["label", "latitude", "longitude", "source", "updated_at"]
    list_filter = ["source"]
    search_fields = ["label", "address_key"]
    readonly_fields = ["address_key"]
    actions = [export_csv]


class RelayPointHoursInline(admin.TabularInline):
    model = RelayPointHours
    extra = 0


@admin.register(RelayPoint)
class RelayPointAdmin(admin.ModelAdmin):
    inlines = [RelayPointHoursInline]
    list_display = ["name", "address", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "address"]
    actions = [export_csv]


@admin.register(SlotTemplate)
class SlotTemplateAdmin(admin.ModelAdmin):
    list_display = ["weekday", "start_time", "end_time", "capacity", "cutoff_hours", "is_active"]
    list_filter = ["weekday", "is_active"]
    list_editable = ["capacity", "cutoff_hours", "is_active"]
    actions = [export_csv]


@admin.register(DeliverySlot)
class DeliverySlotAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date", "capacity", "reserved", "cutoff", "is_active"]
    list_filter = ["is_active", "date", "template"]
    date_hierarchy = "date"
    readonly_fields = ["reserved"]
    actions = [export_csv, "close_slots", "open_slots"]

    @admin.action(description=_("Fermer les créneaux sélectionnés aux nouvelles commandes"))
    def close_slots(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(request, _("%(count)d créneau(x) fermé(s).") % {"count": count})

    @admin.action(description=_("Rouvrir les créneaux sélectionnés"))
    def open_slots(self, request, queryset):
        count = queryset.update(is_active=True)
        self.message_user(
            request, _("%(count)d créneau(x) rouvert(s).") % {"count": count}, messages.SUCCESS
        )


@admin.register(FeeRule)
class FeeRuleAdmin(admin.ModelAdmin):
    list_display = ["mode", "fee", "free_above"]
    actions = [export_csv]


@admin.register(CargoBike)
class CargoBikeAdmin(admin.ModelAdmin):
    list_display = ["name", "payload_kg", "electric", "status"]
    list_filter = ["status", "electric"]
    search_fields = ["name"]
    list_editable = ["status"]
    actions = [export_csv]


class ShiftInline(admin.TabularInline):
    model = CourierShift
    extra = 1


@admin.register(Courier)
class CourierAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user_email", "phone", "max_round_minutes", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "phone"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    inlines = [ShiftInline]
    actions = [export_csv]

    @admin.display(description=_("e-mail"), ordering="user__email")
    def user_email(self, courier):
        return courier.user.email


@admin.register(CourierShift)
class CourierShiftAdmin(admin.ModelAdmin):
    list_display = ["courier", "weekday", "start_time", "end_time"]
    list_filter = ["weekday"]
    search_fields = ["courier__user__email", "courier__user__last_name"]
    list_select_related = ["courier__user"]
    actions = [export_csv]


class StopInline(admin.TabularInline):
    model = Stop
    extra = 0
    fields = ["sequence", "kind", "delivery", "pickup", "planned_at", "state", "done_at"]
    readonly_fields = fields
    can_delete = False
    ordering = ["sequence"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    """Rounds are planned on the board; here staff read them and export them."""

    list_display = ["__str__", "date", "courier", "bike", "status", "distance_m", "duration_s"]
    list_filter = ["status", "date", "courier", "bike"]
    date_hierarchy = "date"
    list_select_related = ["courier__user", "bike"]
    readonly_fields = [
        "date",
        "slot",
        "start",
        "end",
        "courier",
        "bike",
        "status",
        "distance_m",
        "duration_s",
        "optimised_at",
        "published_at",
        "started_at",
        "finished_at",
    ]
    inlines = [StopInline, StatusChangeInline]
    actions = [export_csv]

    def has_add_permission(self, request):
        return False


@admin.register(Stop)
class StopAdmin(admin.ModelAdmin):
    list_display = ["__str__", "round", "kind", "state", "planned_at", "done_at", "failure_reason"]
    list_filter = ["kind", "state", "failure_reason"]
    search_fields = ["delivery__order_number"]
    list_select_related = ["round__courier__user", "delivery"]
    readonly_fields = [
        "round",
        "delivery",
        "pickup",
        "kind",
        "sequence",
        "planned_at",
        "load_grams",
        "state",
        "done_at",
        "failure_reason",
    ]
    inlines = [StatusChangeInline]
    actions = [export_csv]

    def has_add_permission(self, request):
        return False


class PickupInline(admin.TabularInline):
    model = Pickup
    extra = 0
    fields = ["shop_name", "address", "latitude", "longitude", "weight_grams", "status"]
    readonly_fields = ["shop_name", "address", "weight_grams", "status"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = DeliveryEvent
    extra = 0
    fields = ["occurred_at", "kind", "message", "actor_label", "source", "recorded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Dispatch corrects a position by hand here; everything else follows the round."""

    list_display = [
        "order_number",
        "status",
        "slot",
        "round",
        "weight_grams",
        "failures",
        "updated_at",
    ]
    list_filter = ["status", "failure_reason", "at_hub"]
    search_fields = ["order_number", "contact_name", "address"]
    date_hierarchy = "created_at"
    list_select_related = ["slot", "round__courier__user"]
    fields = [
        "order_number",
        "status",
        "slot",
        "relay_point",
        "address",
        "latitude",
        "longitude",
        "contact_name",
        "contact_phone",
        "instructions",
        "weight_grams",
        "payment_due",
        "payment_collected",
        "round",
        "at_hub",
        "recipient_name",
        "delivered_at",
        "failure_reason",
        "failure_note",
        "failures",
    ]
    readonly_fields = [f for f in fields if f not in ("latitude", "longitude")]
    inlines = [PickupInline, EventInline, StatusChangeInline]
    actions = [export_csv]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Pickup)
class PickupAdmin(admin.ModelAdmin):
    list_display = ["__str__", "shop_name", "status", "weight_grams", "picked_up_at"]
    list_filter = ["status"]
    search_fields = ["delivery__order_number", "shop_name"]
    list_select_related = ["delivery"]
    fields = ["delivery", "shop_name", "address", "latitude", "longitude", "weight_grams", "status"]
    readonly_fields = ["delivery", "shop_name", "address", "weight_grams", "status"]
    inlines = [StatusChangeInline]
    actions = [export_csv]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(admin.ModelAdmin):
    list_display = ["delivery", "occurred_at", "kind", "message", "actor_label", "source"]
    list_filter = ["kind", "source"]
    search_fields = ["delivery__order_number", "message", "actor_label"]
    date_hierarchy = "occurred_at"
    list_select_related = ["delivery"]
    readonly_fields = [
        "delivery",
        "kind",
        "message",
        "actor",
        "actor_label",
        "source",
        "occurred_at",
        "recorded_at",
    ]
    actions = [export_csv]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(description=_("Retransmettre maintenant à la boutique"))
def relay_now(modeladmin, request, queryset):
    """Try the selected deliveries' pending notices at once (handled ones are left alone)."""
    relayed = sum(
        relay_notices(delivery_id)
        for delivery_id in sorted(set(queryset.values_list("delivery_id", flat=True)))
    )
    modeladmin.message_user(
        request, _("%(count)d avis transmis à la boutique.") % {"count": relayed}, messages.INFO
    )


class PendingFilter(admin.SimpleListFilter):
    title = _("état")
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return [("1", _("En attente")), ("0", _("Traité"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(handled_at__isnull=self.value() == "1")
        return queryset


@admin.register(ShopNotice)
class ShopNoticeAdmin(admin.ModelAdmin):
    list_display = ["delivery", "kind", "created_at", "handled_at", "attempts", "last_error"]
    list_filter = [PendingFilter, "kind"]
    search_fields = ["delivery__order_number"]
    date_hierarchy = "created_at"
    list_select_related = ["delivery"]
    readonly_fields = [
        "delivery",
        "kind",
        "payload",
        "created_at",
        "handled_at",
        "attempts",
        "last_attempt_at",
        "last_error",
    ]
    actions = [relay_now, export_csv]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlanProposal)
class PlanProposalAdmin(admin.ModelAdmin):
    """Plans proposed by the solver: read only (dispatch applies them on the board)."""

    list_display = ["date", "kind", "round", "slot", "status", "created_by", "created_at"]
    list_filter = ["status", "kind", "date"]
    list_select_related = ["round__courier__user", "slot", "created_by"]
    date_hierarchy = "date"
    inlines = [StatusChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
