"""Staff administration of spaces, bookings, passes, leases and Atelier 8."""

from datetime import timedelta

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from coworking import services
from coworking.models import (
    Application,
    Booking,
    Closure,
    Coworker,
    LeaseDocument,
    OccupancyAgreement,
    OpeningHours,
    Pass,
    PassOffer,
    PassPurchase,
    ProofStatus,
    Rate,
    Resource,
    SolidarityProof,
    Space,
    StudioLease,
    StudioRequest,
)
from hub.services import Conflict, StatusChangeInline, admin_export


@admin.action(description=_("Exporter la sélection (CSV)"))
def export_csv(modeladmin, request, queryset):
    """The selected rows with the columns of ``export_fields``, in the hub's CSV convention."""
    return admin_export(modeladmin, queryset, modeladmin.export_fields)


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "free_cancellation_hours",
        "late_cancellation_percent",
        "is_published",
    ]
    list_filter = ["kind", "is_published"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline]


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ["space", "weekday", "opens", "closes"]
    list_filter = ["space", "weekday"]


class RateInline(admin.TabularInline):
    model = Rate
    extra = 0


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "space",
        "kind",
        "capacity",
        "slot_minutes",
        "booking_mode",
        "event_room",
        "is_active",
    ]
    list_filter = ["space", "kind", "booking_mode", "event_room", "is_active"]
    search_fields = ["name", "description"]
    readonly_fields = ["calendar_link"]
    inlines = [RateInline]

    @admin.display(description=_("planning"))
    def calendar_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("coworking:staff_resource", args=[obj.pk]),
            _("Voir le planning"),
        )


@admin.register(Rate)
class RateAdmin(admin.ModelAdmin):
    list_display = ["resource", "tier", "hourly", "half_day", "day"]
    list_filter = ["tier", "resource__space"]
    search_fields = ["resource__name"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["reason", "space", "start_date", "end_date"]
    list_filter = ["space"]
    search_fields = ["reason"]
    date_hierarchy = "start_date"


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = [
        "resource",
        "start",
        "end",
        "user",
        "title",
        "status",
        "source",
        "amount_due",
        "paid_online",
    ]
    list_filter = ["status", "source", "tier", "paid_online", "resource__space", "resource"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "title", "reference"]
    date_hierarchy = "start"
    list_select_related = ["resource", "user"]
    actions = ["cancel_selected", export_csv]
    export_fields = [
        "reference",
        "resource__name",
        "start",
        "end",
        "user__email",
        "title",
        "status",
        "source",
        "tier",
        "price",
        "amount_due",
        "paid_online",
    ]
    readonly_fields = [f.name for f in Booking._meta.fields]
    inlines = [StatusChangeInline]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Annuler les réservations sélectionnées"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        done = 0
        for booking in queryset.select_related("resource__space"):
            try:
                services.cancel_booking(booking, by=request.user)
                done += 1
            except Conflict as error:
                self.message_user(request, f"{booking} : {error.message}", messages.WARNING)
        self.message_user(request, _("%(count)s réservation(s) annulée(s).") % {"count": done})


@admin.register(Coworker)
class CoworkerAdmin(admin.ModelAdmin):
    list_display = ["user", "tier", "tier_decided_at"]
    list_filter = ["tier"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    fields = ["user", "tier", "tier_decided_at"]
    readonly_fields = ["user", "tier_decided_at"]

    def has_add_permission(self, request):
        return False


@admin.register(SolidarityProof)
class SolidarityProofAdmin(admin.ModelAdmin):
    list_display = ["user", "category", "status", "uploaded_at", "decided_at"]
    list_filter = ["status", "category"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    fields = [
        "user",
        "category",
        "document",
        "status",
        "staff_comment",
        "uploaded_at",
        "decided_at",
        "decided_by",
    ]
    readonly_fields = [
        "user",
        "category",
        "document",
        "status",
        "uploaded_at",
        "decided_at",
        "decided_by",
    ]
    inlines = [StatusChangeInline]
    actions = ["approve", "refuse"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("justificatif"))
    def document(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("coworking:proof_file", args=[obj.pk]),
            _("Ouvrir le justificatif"),
        )

    def _decide(self, request, queryset, approve):
        for proof in queryset.filter(status=ProofStatus.PENDING):
            services.decide_proof(proof, approve, request.user)
        self.message_user(request, _("Décision enregistrée et envoyée par e-mail."))

    @admin.action(description=_("Accepter : appliquer le tarif solidaire"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("Refuser"), permissions=["change"])
    def refuse(self, request, queryset):
        self._decide(request, queryset, False)


@admin.register(Pass)
class PassAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "credits", "valid_from", "valid_until", "price"]
    list_filter = ["kind"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    date_hierarchy = "valid_from"
    autocomplete_fields = ["user"]
    readonly_fields = ["days_left"]
    actions = [export_csv]
    export_fields = [
        "user__email",
        "kind",
        "credits",
        "valid_from",
        "valid_until",
        "price",
        "created_at",
    ]

    @admin.display(description=_("journées restantes"))
    def days_left(self, obj):
        if not obj.pk:
            return "—"
        left = services.credits_left(obj)
        return _("illimité") if left is None else left


@admin.register(PassOffer)
class PassOfferAdmin(admin.ModelAdmin):
    list_display = ["kind", "space", "credits", "validity_days", "price", "solidarity_price"]
    list_filter = ["space", "kind", "sold_online"]


@admin.register(PassPurchase)
class PassPurchaseAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "offer", "tier", "price", "status"]
    list_filter = ["status", "offer"]
    search_fields = ["user__email", "user__last_name"]
    list_select_related = ["user", "offer__space"]
    readonly_fields = ["user", "offer", "tier", "price", "status", "pass_created", "created_at"]
    inlines = [StatusChangeInline]
    actions = [export_csv]
    export_fields = ["created_at", "user__email", "offer__kind", "tier", "price", "status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EndingSoonFilter(admin.SimpleListFilter):
    title = _("fin")
    parameter_name = "fin"

    def lookups(self, request, model_admin):
        return [
            ("1mois", _("dans le mois")),
            ("2mois", _("dans les deux mois")),
            ("passee", _("terminé")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() in ("1mois", "2mois"):
            days = 30 if self.value() == "1mois" else 61
            return queryset.filter(end_date__gte=today, end_date__lte=today + timedelta(days=days))
        if self.value() == "passee":
            return queryset.filter(end_date__lt=today)
        return queryset


@admin.register(LeaseDocument)
class LeaseDocumentAdmin(admin.ModelAdmin):
    """Documents the tenant finds in their account (« Mes réservations »)."""

    list_display = ["title", "lease", "uploaded_at"]
    list_select_related = ["lease__studio", "lease__tenant", "lease__tenant_structure"]
    search_fields = ["title", "lease__studio__name", "lease__tenant__email"]
    fields = ["lease", "title", "file", "uploaded_at"]
    readonly_fields = ["uploaded_at"]


@admin.register(StudioRequest)
class StudioRequestAdmin(admin.ModelAdmin):
    list_display = ["requester", "studio", "wanted_from", "created_at", "answered"]
    list_filter = ["answered", "studio"]
    search_fields = ["requester__email", "requester__last_name", "activity"]
    list_select_related = ["requester", "studio"]
    readonly_fields = ["requester", "studio", "activity", "wanted_from", "phone", "created_at"]
    fields = [*readonly_fields, "answered"]

    def has_add_permission(self, request):
        return False


@admin.register(StudioLease)
class StudioLeaseAdmin(admin.ModelAdmin):
    list_display = ["studio", "tenant_label", "start_date", "end_date", "monthly_rent", "deposit"]
    list_filter = [EndingSoonFilter, "studio"]
    search_fields = ["studio__name", "tenant__email", "tenant__last_name", "tenant_structure__name"]
    list_select_related = ["studio", "tenant", "tenant_structure"]
    autocomplete_fields = ["tenant"]
    date_hierarchy = "end_date"
    actions = [export_csv]
    export_fields = [
        "studio__name",
        "tenant__email",
        "tenant_structure__name",
        "start_date",
        "end_date",
        "monthly_rent",
        "deposit",
    ]

    @admin.display(description=_("locataire"))
    def tenant_label(self, obj):
        return obj.tenant_name


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["project_title", "applicant", "status", "committee_date", "submitted_at"]
    list_filter = ["status", "wants_desk", "wants_storage", "wants_workshop"]
    search_fields = ["project_title", "applicant__email", "applicant__last_name"]
    list_select_related = ["applicant"]
    date_hierarchy = "submitted_at"
    readonly_fields = [
        "applicant",
        "status",
        "review_link",
        "history",
        "submitted_at",
        "updated_at",
    ]
    inlines = [StatusChangeInline]
    fields = [
        "review_link",
        "applicant",
        "project_title",
        "project",
        "needs",
        "wants_desk",
        "wants_storage",
        "wants_workshop",
        "job_seeker_since",
        "job_seeker_id",
        "availability",
        "status",
        "committee_date",
        "internal_notes",
        "history",
        "submitted_at",
        "updated_at",
    ]
    actions = [export_csv]
    export_fields = [
        "project_title",
        "applicant__email",
        "status",
        "committee_date",
        "submitted_at",
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("examen"))
    def review_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("coworking:staff_application", args=[obj.pk]),
            _("Examiner, accepter ou refuser"),
        )

    @admin.display(description=_("historique"))
    def history(self, obj):
        return format_html_join(
            "",
            "<p>{} — {} {}</p>",
            (
                (f"{c.changed_at:%d/%m/%Y}", c.get_status_display(), c.comment)
                for c in obj.changes.all()
            ),
        )


@admin.register(OccupancyAgreement)
class OccupancyAgreementAdmin(admin.ModelAdmin):
    list_display = ["holder", "resource", "start_date", "end_date", "renewals", "terminated_on"]
    list_filter = [EndingSoonFilter, "resource"]
    search_fields = ["holder__email", "holder__last_name", "application__project_title"]
    list_select_related = ["holder", "resource"]
    readonly_fields = ["application", "holder", "renewals"]
    actions = ["renew_six_months", export_csv]
    export_fields = [
        "holder__email",
        "resource__name",
        "start_date",
        "end_date",
        "renewals",
        "terminated_on",
    ]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Renouveler de six mois"), permissions=["change"])
    def renew_six_months(self, request, queryset):
        for agreement in queryset:
            try:
                services.renew_agreement(agreement, 6)
            except Conflict as error:
                self.message_user(request, f"{agreement} : {error.message}", messages.WARNING)
        self.message_user(request, _("Conventions renouvelées ; les titulaires sont prévenus."))
