import csv

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from delivery.models import (
    DeliverySlot,
    DeliveryZone,
    FeeRule,
    KnownPosition,
    RelayPoint,
    SlotTemplate,
)


def export_csv(modeladmin, request, queryset):
    """Download the selected rows with the columns shown in the list."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = modeladmin.model._meta.model_name
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    fields = [field for field in modeladmin.list_display if isinstance(field, str)]
    writer.writerow(fields)
    for obj in queryset:
        writer.writerow([_display(obj, field) for field in fields])
    return response


export_csv.short_description = _("Exporter la sélection (CSV)")


def _display(obj, field):
    getter = getattr(obj, f"get_{field}_display", None)
    value = getter() if getter else getattr(obj, field, "")
    return value() if callable(value) else value


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


@admin.register(RelayPoint)
class RelayPointAdmin(admin.ModelAdmin):
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
