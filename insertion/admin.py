"""Insertion records in the admin, for ``cip`` and ``direction`` only.

Every list, display, change, deletion and export of a person's record is written to the access
log. Contracts, PASS IAE and exits are read-only here: they are recorded from the counsellor's
pages, where the legal rules and their side effects (end dates, hours, frozen exit data) apply.
"""

from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from hub.services import FieldHistoryAdmin, StatusChangeInline
from insertion.audit import log_access, log_many
from insertion.choices import AccessAction
from insertion.contracts import refresh_person_dates
from insertion.exports import csv_response
from insertion.models import (
    AccessLog,
    Barrier,
    BarrierAction,
    Beneficiary,
    Contract,
    Exit,
    ExitReason,
    Immersion,
    Interview,
    PassExtension,
    PassIae,
    PassSuspension,
    PriorityNeighbourhood,
    Training,
)


class LoggedPaginator(Paginator):
    """Pages whose records are written to the access log as they are shown."""

    def __init__(self, *args, log, **kwargs):
        super().__init__(*args, **kwargs)
        self.log = log

    def page(self, number):
        page = super().page(number)
        self.log(page.object_list)
        return page


class RecordAdmin(admin.ModelAdmin):
    """Admin of a model holding a person's data, reached through ``person_path``."""

    person_path = "beneficiary"
    read_only = False

    def _person_id(self, obj):
        target = obj
        for part in self.person_path.split("__") if self.person_path else []:
            target = getattr(target, part)
        return target.pk

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        own = f"{self.person_path}__user" if self.person_path else "user"
        # An account linked to a record (a courier in insertion) never sees it.
        return queryset.exclude(**{own: request.user})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "beneficiary":
            kwargs["queryset"] = Beneficiary.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return not self.read_only and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        if self.read_only:
            return False
        if (
            obj is not None
            and Beneficiary.objects.filter(
                pk=self._person_id(obj), anonymised_at__isnull=False
            ).exists()
        ):
            return False
        return super().has_change_permission(request, obj)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            log_many(
                request.user,
                AccessAction.LIST,
                [self._person_id(obj) for obj in changelist.result_list],
                record=self.model._meta.verbose_name_plural,
                detail=str(_("Administration")),
                path=request.get_full_path(),
            )
        return response

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # The admin's autocomplete (a search box on any form pointing to a record) pages its
        # results through here: each name it shows is a display of the record, logged as such.
        if not _is_autocomplete(request):
            return super().get_paginator(
                request, queryset, per_page, orphans, allow_empty_first_page
            )

        def log(shown):
            log_many(
                request.user,
                AccessAction.LIST,
                [self._person_id(obj) for obj in shown],
                record=self.model._meta.verbose_name_plural,
                detail=str(_("Recherche dans l'administration (autocomplétion)")),
                path=request.get_full_path(),
            )

        return LoggedPaginator(queryset, per_page, orphans, allow_empty_first_page, log=log)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = response.context_data.get("original")
            if obj is not None:
                self._log(request, AccessAction.VIEW, obj)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        obj = getattr(response, "context_data", {}).get("object")
        if obj is not None:
            self._log(request, AccessAction.VIEW, obj, detail=str(_("Historique")))
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Only admins with a field history have this view (FieldHistoryAdmin): one version.
        response = super().history_form_view(request, object_id, version_id, extra_context)
        obj = getattr(response, "context_data", {}).get("original")
        if obj is not None:
            detail = _("Historique, version n° %(version)s") % {"version": version_id}
            self._log(request, AccessAction.VIEW, obj, detail=str(detail))
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = AccessAction.CHANGE if change else AccessAction.CREATE
        self._log(request, action, obj, detail=", ".join(form.changed_data))

    def delete_model(self, request, obj):
        self._log(request, AccessAction.DELETE, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._log(request, AccessAction.DELETE, obj)
        super().delete_queryset(request, queryset)

    def _log(self, request, action, obj, detail=""):
        log_access(
            request.user,
            action,
            self._person_id(obj),
            record=f"{obj._meta.verbose_name} n° {obj.pk}",
            detail=detail,
            path=request.get_full_path(),
        )

    @admin.action(description=_("Exporter la sélection (CSV)"))
    def export_csv(self, request, queryset):
        fields = list(self.model._meta.concrete_fields)
        rows = [[_display(obj, f) for f in fields] for obj in queryset]
        log_many(
            request.user,
            AccessAction.EXPORT,
            [self._person_id(obj) for obj in queryset],
            record=self.model._meta.verbose_name_plural,
            detail=str(_("Export CSV depuis l'administration")),
            path=request.get_full_path(),
        )
        return csv_response(
            f"{self.model._meta.model_name}.csv", [str(f.verbose_name) for f in fields], rows
        )

    actions = ["export_csv"]


def _is_autocomplete(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name == "admin:autocomplete"


def _display(obj, model_field):
    if model_field.choices:
        return getattr(obj, f"get_{model_field.name}_display")()
    if model_field.is_relation:
        related = getattr(obj, model_field.name)
        return str(related) if related is not None else ""
    return getattr(obj, model_field.attname)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class ContractInline(ReadOnlyInline):
    model = Contract
    fk_name = "beneficiary"
    fields = ["kind", "workshop", "post", "start_date", "end_date", "ended_on", "weekly_hours"]


class PassInline(ReadOnlyInline):
    model = PassIae
    fields = ["number", "start_date", "end_date"]


class ExitInline(ReadOnlyInline):
    model = Exit
    fields = ["date", "reason", "destination", "followup_on", "followup_situation"]


class ExitRecordedFilter(admin.EmptyFieldListFilter):
    """« Sortie du parcours : vide / non vide » (the reverse relation has no French name)."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = _("sortie du parcours")


@admin.register(Beneficiary)
class BeneficiaryAdmin(RecordAdmin):
    person_path = ""
    list_display = ["__str__", "counsellor", "entry_date", "qpv", "anonymised_at"]
    list_filter = [
        "counsellor",
        "qpv",
        "sex",
        "education_level",
        "prescriber",
        "rqth",
        "rsa",
        ("anonymised_at", admin.EmptyFieldListFilter),
        ("exit", ExitRecordedFilter),
    ]
    list_select_related = ["counsellor", "qpv"]
    search_fields = ["last_name", "first_name", "email", "passes__number"]
    date_hierarchy = "entry_date"
    readonly_fields = ["entry_date", "age_at_entry", "created_at", "updated_at", "anonymised_at"]
    raw_id_fields = ["user"]
    inlines = [PassInline, ContractInline, ExitInline]
    fieldsets = [
        (
            _("Identité"),
            {"fields": ["last_name", "first_name", "birth_date", "sex", "email", "phone"]},
        ),
        (_("Adresse"), {"fields": ["address", "postal_code", "city", "qpv"]}),
        (_("Accompagnement"), {"fields": ["counsellor", "prescriber", "prescriber_name", "user"]}),
        (
            _("Situation à l'entrée"),
            {
                "fields": [
                    "france_travail_registered",
                    "unemployment_months",
                    "labour_status",
                    "rsa",
                    "ass",
                    "aah",
                    "rqth",
                    "education_level",
                ]
            },
        ),
        (
            _("Données FSE+"),
            {
                "fields": [
                    "third_country_national",
                    "foreign_background",
                    "minority",
                    "homeless",
                    "rural_area",
                ]
            },
        ),
        (
            _("Parcours"),
            {"fields": ["entry_date", "age_at_entry", "created_at", "updated_at", "anonymised_at"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_person_dates(obj)


@admin.register(PassIae)
class PassIaeAdmin(RecordAdmin):
    read_only = True
    list_display = ["number", "beneficiary", "start_date", "end_date"]
    list_filter = ["start_date", "end_date"]
    list_select_related = ["beneficiary"]
    search_fields = ["number", "beneficiary__last_name", "beneficiary__first_name"]
    date_hierarchy = "end_date"


@admin.register(PassSuspension)
class PassSuspensionAdmin(RecordAdmin):
    person_path = "pass_iae__beneficiary"
    read_only = True
    list_display = ["pass_iae", "reason", "start_date", "end_date"]
    list_filter = ["reason"]
    list_select_related = ["pass_iae__beneficiary"]
    search_fields = ["pass_iae__number"]


@admin.register(PassExtension)
class PassExtensionAdmin(RecordAdmin):
    person_path = "pass_iae__beneficiary"
    read_only = True
    list_display = ["pass_iae", "reason", "requested_on", "days"]
    list_filter = ["reason"]
    list_select_related = ["pass_iae__beneficiary"]
    search_fields = ["pass_iae__number"]


@admin.register(Contract)
class ContractAdmin(RecordAdmin, FieldHistoryAdmin):
    """Read-only; its « Historique » lists each change of a contract field, who made it and when
    (free texts left out, history deleted at anonymisation: ``insertion.retention``)."""

    read_only = True
    list_display = [
        "beneficiary",
        "kind",
        "workshop",
        "post",
        "start_date",
        "end_date",
        "ended_on",
        "weekly_hours",
    ]
    list_filter = ["workshop", "kind", "ground", "end_date"]
    list_select_related = ["beneficiary"]
    search_fields = ["beneficiary__last_name", "beneficiary__first_name", "post"]
    date_hierarchy = "start_date"


@admin.register(Interview)
class InterviewAdmin(RecordAdmin):
    list_display = ["beneficiary", "date", "kind", "counsellor"]
    list_filter = ["kind", "counsellor", "date"]
    list_select_related = ["beneficiary", "counsellor"]
    search_fields = ["beneficiary__last_name", "beneficiary__first_name"]
    date_hierarchy = "date"


class BarrierActionInline(admin.TabularInline):
    model = BarrierAction
    extra = 0
    fields = ["date", "description", "support", "partner"]


@admin.register(Barrier)
class BarrierAdmin(RecordAdmin):
    list_display = ["beneficiary", "category", "status", "identified_on", "lifted_on"]
    list_filter = ["category", "status", "identified_on"]
    list_select_related = ["beneficiary"]
    search_fields = ["beneficiary__last_name", "beneficiary__first_name"]
    # The status moves on the follow-up page (``move_barrier``), through its workflow.
    readonly_fields = ["status"]
    inlines = [BarrierActionInline, StatusChangeInline]


@admin.register(BarrierAction)
class BarrierActionAdmin(RecordAdmin):
    person_path = "barrier__beneficiary"
    list_display = ["barrier", "date", "support", "partner"]
    list_filter = ["support", "barrier__category"]
    list_select_related = ["barrier__beneficiary"]
    search_fields = ["partner", "barrier__beneficiary__last_name"]


@admin.register(Training)
class TrainingAdmin(RecordAdmin):
    list_display = ["beneficiary", "title", "provider", "start_date", "end_date", "qualifying"]
    list_filter = ["qualifying", "start_date"]
    list_select_related = ["beneficiary"]
    search_fields = ["title", "provider", "beneficiary__last_name"]


@admin.register(Immersion)
class ImmersionAdmin(RecordAdmin):
    list_display = ["beneficiary", "host", "start_date", "end_date", "goal"]
    list_filter = ["goal", "start_date"]
    list_select_related = ["beneficiary"]
    search_fields = ["host", "beneficiary__last_name"]


@admin.register(Exit)
class ExitAdmin(RecordAdmin):
    read_only = True
    list_display = ["beneficiary", "date", "reason", "over_three_months", "followup_situation"]
    list_filter = ["reason__category", "reason", "over_three_months", "date"]
    list_select_related = ["beneficiary", "reason"]
    search_fields = ["beneficiary__last_name", "destination"]
    date_hierarchy = "date"


@admin.register(ExitReason)
class ExitReasonAdmin(admin.ModelAdmin):
    list_display = ["label", "category", "order", "active"]
    list_filter = ["category", "active"]
    search_fields = ["label", "code"]
    prepopulated_fields = {"code": ["label"]}


@admin.register(PriorityNeighbourhood)
class PriorityNeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "code", "active"]
    list_filter = ["city", "active"]
    search_fields = ["name", "code"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """The access log, read-only: nobody edits or deletes it from here."""

    list_display = ["at", "user_email", "action", "record_number", "record", "detail"]
    list_filter = ["action", "at"]
    search_fields = ["user_email", "record", "detail"]
    date_hierarchy = "at"
    fields = ["at", "user_email", "action", "record_number", "record", "detail", "path"]
    readonly_fields = fields

    @admin.display(description=_("dossier n°"), ordering="beneficiary_id")
    def record_number(self, obj):
        return obj.beneficiary_id or ""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
