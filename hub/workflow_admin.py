"""The status history of an object on its admin page: a read-only generic inline."""

from __future__ import annotations

from django.contrib.admin import display
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _

from hub.models import StatusChange


class StatusChangeInline(GenericTabularInline):
    """Add to a ``ModelAdmin.inlines`` whose model has a registered workflow."""

    model = StatusChange
    ct_field = "content_type"
    ct_fk_field = "object_id"
    fields = ("at", "from_label", "to_label", "by", "why", "source")
    readonly_fields = ("at", "from_label", "to_label", "by", "why", "source")
    extra = 0
    can_delete = False
    ordering = ["at", "pk"]
    verbose_name = _("changement de statut")
    verbose_name_plural = _("historique des statuts")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by", "content_type")

    def has_view_permission(self, request, obj=None):
        # Whoever may see the object's page sees its history (the page itself checked access).
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("de"))
    def from_label(self, change: StatusChange) -> str:
        return change.from_label

    @display(description=_("vers"))
    def to_label(self, change: StatusChange) -> str:
        return change.to_label
