"""Field-level history in the admin (django-simple-history), guarded like the record itself.

A model declares ``history = HistoricalRecords(excluded_fields=[…])``; its admin inherits
``FieldHistoryAdmin``: the admin's « Historique » page lists who changed which field, when.
"""

from datetime import date, datetime
from typing import Any

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper


def changed_by(instance: Any, user: Any) -> None:
    """Name ``user`` as the author of ``instance``'s next history row (a request's signed-in
    user is taken by default; this also covers tasks and services called with their actor)."""
    instance._history_user = user


class FrenchValues(HistoricalRecordContextHelper):
    """Changes as staff read them: choice labels, French dates, « — » for nothing."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return "—"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, datetime):
            return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if isinstance(value, date):
            return formats.date_format(value, "DATE_FORMAT")
        return super().prepare_delta_change_value(change, value)


class FieldHistoryAdmin(SimpleHistoryAdmin):
    """History for whoever may see the record here, never for anyone else; read-only.

    django-simple-history falls back to the newest historical copy when the record is not in
    the admin's queryset: here a record this admin hides (e.g. a person's own insertion record)
    has no history either, and a version is shown, never saved back.
    """

    def visible_object(self, request, object_id):
        """The record, if this user may see it in this admin; 403 or 404 otherwise."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self.visible_object(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.visible_object(request, object_id)
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return FrenchValues(self.model, historical_record)

    def render_history_view(self, request, template, context, **kwargs):
        # A TemplateResponse keeps its context for the admins that log what was shown.
        return TemplateResponse(request, template, context, **kwargs)
