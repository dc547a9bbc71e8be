from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hub.services import (
    Conflict,
    FieldHistoryAdmin,
    Role,
    StatusChangeInline,
    admin_export,
    has_role,
    transition_many,
)
from shop import services
from shop.forms import ProductAdminForm
from shop.models import (
    Merchant,
    MerchantMember,
    MerchantOrder,
    MerchantStatus,
    OpeningPeriod,
    Order,
    OrderEvent,
    OrderLine,
    Product,
    ProductLabel,
    SupportComment,
    SupportRequest,
)


@admin.action(description=_("Exporter la sélection (CSV)"))
def export_csv(modeladmin, request, queryset):
    """The selected rows with the list's columns, in the hub's CSV convention."""
    return admin_export(modeladmin, queryset)


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    extra = 0


class MemberInline(admin.TabularInline):
    model = MerchantMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Merchant)
class MerchantAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "status", "siret", "phone", "commission_rate", "created_at"]
    list_filter = ["status", "category"]
    search_fields = ["name", "siret", "address"]
    readonly_fields = ["applicant", "created_at", "reviewed_at"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MemberInline, OpeningPeriodInline, StatusChangeInline]
    actions = ["approve", "suspend", "reinstate", export_csv]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("status")  # moves by the actions and the moderation pages
        if not has_role(request.user, Role.DIRECTION):
            fields.append("commission_rate")  # the platform's commission is direction's call
        return fields

    def save_model(self, request, obj, form, change):
        moved = "address" in form.changed_data
        placed_by_hand = {"latitude", "longitude"} & set(form.changed_data)
        if moved and not placed_by_hand:
            obj.latitude = obj.longitude = None
        services.place_merchant(obj)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Valider les demandes sélectionnées"))
    def approve(self, request, queryset):
        pending = queryset.filter(status=MerchantStatus.PENDING)
        for merchant in pending:
            services.approve_merchant(merchant, by=request.user)
        self.message_user(
            request,
            _(
                "%(count)d commerce(s) validé(s). Pour refuser avec un motif, utilisez la page "
                "des demandes."
            )
            % {"count": len(pending)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Suspendre (retirer de la boutique)"))
    def suspend(self, request, queryset):
        try:
            count = transition_many(
                queryset.filter(status=MerchantStatus.APPROVED),
                MerchantStatus.SUSPENDED,
                by=request.user,
                why=_("Suspendu par la modération."),
                source="shop.admin.suspend",
            )
        except Conflict as conflict:
            messages.error(request, _("Aucun commerce suspendu. %(why)s") % {"why": conflict})
            return
        self.message_user(request, _("%(count)d commerce(s) suspendu(s).") % {"count": count})

    @admin.action(description=_("Rétablir les commerces suspendus"))
    def reinstate(self, request, queryset):
        try:
            count = transition_many(
                queryset.filter(status=MerchantStatus.SUSPENDED),
                MerchantStatus.APPROVED,
                by=request.user,
                why=_("Rétabli par la modération."),
                source="shop.admin.reinstate",
            )
        except Conflict as conflict:
            messages.error(request, _("Aucun commerce rétabli. %(why)s") % {"why": conflict})
            return
        self.message_user(request, _("%(count)d commerce(s) rétabli(s).") % {"count": count})


class ProductLabelInline(admin.TabularInline):
    model = ProductLabel
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    inlines = [ProductLabelInline]
    list_display = ["name", "merchant", "category", "price", "vat_rate", "stock", "is_active"]
    list_filter = ["is_active", "category", "vat_rate", "merchant"]
    search_fields = ["name", "merchant__name"]
    list_select_related = ["merchant"]
    form = ProductAdminForm
    exclude = ["photo"]  # uploaded through the form's photo_upload, stored by the service
    readonly_fields = ["list_rendition", "detail_rendition", "created_at", "updated_at"]
    actions = ["deactivate", export_csv]

    def save_model(self, request, obj, form, change):
        # A new photo goes through the catalogue service, as a shop's does: checked, without
        # its metadata, with fresh renditions, the replaced files deleted after commit.
        photo = form.cleaned_data["photo_upload"] if "photo_upload" in form.changed_data else None
        services.save_product(obj, photo or None)
        if photo is False:  # « Effacer » ticked
            services.clear_product_photo(obj)

    @admin.display(description=_("Vignette des listes"))
    def list_rendition(self, obj):
        return self._rendition(obj.photo_list)

    @admin.display(description=_("Image de la fiche"))
    def detail_rendition(self, obj):
        return self._rendition(obj.photo_detail)

    @staticmethod
    def _rendition(image):
        if not image:
            return "—"
        return format_html('<img src="{}" alt="" width="240">', image.url)

    @admin.action(description=_("Retirer de la vente"))
    def deactivate(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(request, _("%(count)d produit(s) retiré(s).") % {"count": count})


class LineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    readonly_fields = ["name", "unit", "unit_price", "vat_rate", "quantity", "weight_grams"]
    exclude = ["product"]

    def has_add_permission(self, request, obj=None):
        return False


class PartInline(admin.TabularInline):
    model = MerchantOrder
    extra = 0
    can_delete = False
    fields = ["merchant", "status", "subtotal", "refusal_reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "message"]
    exclude = ["merchant"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(FieldHistoryAdmin):
    list_display = [
        "number",
        "status",
        "fulfilment",
        "slot",
        "total",
        "payment_status",
        "created_at",
    ]
    list_filter = ["status", "fulfilment", "payment_method", "payment_status"]
    search_fields = ["number", "contact_name", "contact_email", "address"]
    date_hierarchy = "created_at"
    list_select_related = ["slot"]
    inlines = [PartInline, EventInline, StatusChangeInline]
    # Dispatch may correct the position by hand and record payment; the rest is the checkout's.
    readonly_fields = [
        "number",
        "shopper",
        "status",
        "fulfilment",
        "address",
        "address_label",
        "relay_point",
        "slot",
        "slot_held",
        "items_total",
        "delivery_fee",
        "total",
        "total_weight_grams",
        "payment_method",
        "created_at",
        "cancelled_at",
        "cancel_reason",
    ]
    actions = [export_csv]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MerchantOrder)
class MerchantOrderAdmin(FieldHistoryAdmin):
    list_display = ["order", "merchant", "status", "subtotal", "created_at"]
    list_filter = ["status", "merchant"]
    search_fields = ["order__number", "merchant__name"]
    list_select_related = ["order", "merchant"]
    readonly_fields = ["order", "merchant", "status", "subtotal", "weight_grams", "refusal_reason"]
    inlines = [LineInline, StatusChangeInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CommentInline(admin.StackedInline):
    model = SupportComment
    extra = 1
    fields = ["body", "from_staff", "author", "created_at"]
    readonly_fields = ["from_staff", "author", "created_at"]


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    list_display = ["subject", "merchant", "kind", "status", "assignee", "updated_at"]
    list_filter = ["status", "kind", "assignee"]
    search_fields = ["subject", "description", "merchant__name"]
    list_select_related = ["merchant", "assignee"]
    readonly_fields = ["merchant", "author", "kind", "subject", "description", "created_at"]
    inlines = [CommentInline]
    actions = [export_csv]

    def has_add_permission(self, request):
        return False

    def save_formset(self, request, form, formset, change):
        # New messages are written by the service, with the status change, in one e-mail.
        form.new_messages = [c.body for c in formset.save(commit=False) if c.pk is None]
        for obj in formset.deleted_objects:
            obj.delete()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.answer_support_request(
            form.instance,
            request.user,
            getattr(form, "new_messages", []),
            status_changed=change and "status" in form.changed_data,
        )


@admin.register(MerchantMember)
class MerchantMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "merchant", "role", "added_at"]
    list_filter = ["role", "merchant"]
    search_fields = ["user__email", "user__last_name", "merchant__name"]
    list_select_related = ["user", "merchant"]
    raw_id_fields = ["user"]
    actions = [export_csv]


@admin.register(SupportComment)
class SupportCommentAdmin(admin.ModelAdmin):
    list_display = ["request", "author", "from_staff", "created_at"]
    list_filter = ["from_staff"]
    search_fields = ["body", "request__subject", "request__merchant__name"]
    list_select_related = ["request", "author"]
    readonly_fields = ["request", "author", "from_staff", "created_at"]

    def has_add_permission(self, request):
        # Comments are written from the request's page, where the shop is told.
        return False
