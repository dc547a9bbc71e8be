"""Staff views of online payments: payments, refunds, payouts and sellers' accounts, read-only,
with filters and CSV exports; ``direction`` may refund (part or all), and each refund is logged."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from hub.csv_export import csv_response
from hub.exceptions import Conflict
from hub.models.payments import (
    OperationStatus,
    PartStatus,
    Payment,
    PaymentPart,
    Payout,
    PayoutAccount,
    Refund,
)
from hub.payments import services
from hub.templatetags.anima import cents
from hub.workflow_admin import StatusChangeInline


def _euros(value: int) -> Decimal:
    """Cents as euros, written « 12,50 » by the CSV helper."""
    return Decimal(value).scaleb(-2)


def euros(field: str, label, sortable: bool = True):
    """An admin column showing the integer cents of ``field`` in euros."""

    @admin.display(description=label, ordering=field if sortable else None)
    def column(self, obj):
        return cents(getattr(obj, field))

    return column


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PartInline(admin.TabularInline):
    model = PaymentPart
    extra = 0
    fields = ["label", "amount_eur", "status", "commission_eur", "fee_eur", "refunded_eur"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    amount_eur = euros("amount", _("montant"))

    commission_eur = euros("commission", _("commission"))

    fee_eur = euros("fee", _("frais"))

    refunded_eur = euros("refunded", _("remboursé"))


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    fields = ["created_at", "part", "amount_eur", "reason", "status", "created_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    amount_eur = euros("amount", _("montant"))


class RefundForm(forms.Form):
    part = forms.ChoiceField(label=_("Part à rembourser"), required=False)
    amount = forms.CharField(
        label=_("Montant (€)"),
        required=False,
        help_text=_("Vide : tout ce qui reste de la part (ou de chaque part)."),
    )
    reason = forms.CharField(label=_("Motif (montré au client)"), max_length=250)

    def __init__(self, *args, payment, **kwargs):
        super().__init__(*args, **kwargs)
        parts = payment.parts.filter(status=PartStatus.CAPTURED).order_by("pk")
        self.fields["part"].choices = [("", _("Toutes les parts débitées"))] + [
            (part.key, f"{part.label} — {cents(part.amount - part.refunded)}") for part in parts
        ]

    def clean_amount(self):
        raw = (self.cleaned_data["amount"] or "").strip().replace(",", ".").replace("€", "")
        if not raw:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise ValidationError(_("Indiquez un montant en euros, par exemple 4,50.")) from None
        if value <= 0 or value != value.quantize(Decimal("0.01")):
            raise ValidationError(_("Indiquez un montant positif, au centime près."))
        return int(value * 100)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "description",
        "purpose",
        "status",
        "amount_eur",
        "captured_eur",
        "released_eur",
        "refunded_eur",
        "fee_eur",
    ]
    list_filter = ["status", "purpose", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["reference", "description", "email", "intent_id", "checkout_id"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "purpose",
        "reference",
        "description",
        "payer",
        "email",
        "status",
        "amount_eur",
        "captured_eur",
        "released_eur",
        "refunded_eur",
        "fee_eur",
        "checkout_id",
        "intent_id",
        "charge_id",
        "capture_before",
        "created_at",
        "authorised_at",
        "settled_at",
        "refund_link",
    ]
    fields = readonly_fields
    inlines = [PartInline, RefundInline, StatusChangeInline]
    actions = ["export"]

    amount_eur = euros("amount", _("autorisé"))

    captured_eur = euros("captured", _("débité"))

    released_eur = euros("released", _("libéré"), sortable=False)

    refunded_eur = euros("refunded", _("remboursé"))

    fee_eur = euros("fee", _("frais"))

    @admin.display(description=_("remboursement"))
    def refund_link(self, payment):
        if payment.captured <= payment.refunded:
            return "—"
        url = reverse("admin:hub_payment_refund", args=[payment.pk])
        return format_html('<a href="{}">{}</a>', url, _t("Rembourser…"))

    @admin.action(description=_("Exporter la sélection (CSV)"))
    def export(self, request, queryset):
        rows = (
            [
                p.created_at,
                p.purpose,
                p.reference,
                p.description,
                p.get_status_display(),
                p.email,
                _euros(p.amount),
                _euros(p.captured),
                _euros(p.released),
                _euros(p.refunded),
                _euros(p.fee),
            ]
            for p in queryset.order_by("created_at", "pk")
        )
        headers = [
            _("Date"),
            _("Objet"),
            _("Référence"),
            _("Libellé"),
            _("État"),
            _("E-mail du payeur"),
            _("Autorisé (€)"),
            _("Débité (€)"),
            _("Libéré (€)"),
            _("Remboursé (€)"),
            _("Frais du prestataire (€)"),
        ]
        return csv_response("paiements.csv", headers, rows)

    def get_urls(self):
        view = self.admin_site.admin_view(self.refund_view)
        return [path("<int:pk>/rembourser/", view, name="hub_payment_refund"), *super().get_urls()]

    def refund_view(self, request, pk):
        """Direction refunds a part or the whole payment; the refund is logged."""
        if not request.user.has_perm("hub.refund_payment"):
            raise PermissionDenied
        payment = get_object_or_404(Payment, pk=pk)
        form = RefundForm(request.POST or None, payment=payment)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                refunds = services.refund_payment(
                    payment,
                    data["reason"],
                    part_key=data["part"] or None,
                    amount=data["amount"],
                    by=request.user,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except Conflict as conflict:
                form.add_error(None, conflict.message)
            else:
                total = sum(item.amount for item in refunds)
                message = _t("Remboursement de %(amount)s demandé : %(reason)s") % {
                    "amount": cents(total),
                    "reason": data["reason"],
                }
                LogEntry.objects.log_actions(
                    request.user.pk,
                    [payment],
                    CHANGE,
                    change_message=message,
                    single_object=True,
                )
                messages.success(request, message)
                return redirect("admin:hub_payment_change", payment.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _t("Rembourser « %(what)s »") % {"what": payment.description},
            "payment": payment,
            "form": form,
        }
        return TemplateResponse(request, "admin/hub/payment_refund.html", context)


@admin.register(PaymentPart)
class PaymentPartAdmin(ReadOnlyAdmin):
    """Each seller's share of each payment: what was charged, kept as commission, its fees."""

    list_display = ["payment", "label", "amount_eur", "status", "commission_eur", "fee_eur"]
    list_filter = ["status", "account", "payment__purpose"]
    search_fields = ["payment__reference", "label"]
    list_select_related = ["payment"]
    inlines = [StatusChangeInline]

    amount_eur = euros("amount", _("montant"))

    commission_eur = euros("commission", _("commission"))

    fee_eur = euros("fee", _("frais"))


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "payment", "part", "amount_eur", "reason", "status", "created_by"]
    list_filter = ["status", ("created_at", admin.DateFieldListFilter), "payment__purpose"]
    search_fields = ["payment__reference", "reason", "provider_id"]
    list_select_related = ["payment", "part", "created_by"]
    actions = ["export"]
    inlines = [StatusChangeInline]

    amount_eur = euros("amount", _("montant"))

    @admin.action(description=_("Exporter la sélection (CSV)"))
    def export(self, request, queryset):
        rows = (
            [
                r.created_at,
                r.done_at,
                r.payment.reference,
                r.part.label if r.part else "",
                _euros(r.amount),
                _euros(r.reversal_amount),
                r.reason,
                r.get_status_display(),
                r.created_by.email if r.created_by else "",
            ]
            for r in queryset.select_related("payment", "part", "created_by").order_by(
                "created_at", "pk"
            )
        )
        headers = [
            _("Demandé le"),
            _("Effectué le"),
            _("Référence"),
            _("Part"),
            _("Montant (€)"),
            _("Repris au commerce (€)"),
            _("Motif"),
            _("État"),
            _("Décidé par"),
        ]
        return csv_response("remboursements.csv", headers, rows)


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "account", "reference", "amount_eur", "reversed_eur", "status"]
    list_filter = ["status", "account", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["part__payment__reference", "account__label", "provider_id"]
    list_select_related = ["account", "part__payment"]
    actions = ["export", "retry"]
    inlines = [StatusChangeInline]

    @admin.display(description=_("référence"))
    def reference(self, payout):
        return payout.part.payment.reference

    amount_eur = euros("amount", _("montant"))

    reversed_eur = euros("reversed", _("repris"))

    @admin.action(description=_("Exporter la sélection (CSV)"))
    def export(self, request, queryset):
        rows = (
            [
                p.created_at,
                p.sent_at,
                p.account.label,
                p.part.payment.reference,
                _euros(p.part.amount),
                _euros(p.part.commission),
                _euros(p.part.fee),
                _euros(p.amount),
                _euros(p.reversed),
                p.get_status_display(),
            ]
            for p in queryset.select_related("account", "part__payment").order_by(
                "created_at", "pk"
            )
        )
        headers = [
            _("Date"),
            _("Transmis le"),
            _("Commerce"),
            _("Référence"),
            _("Part vendue (€)"),
            _("Commission (€)"),
            _("Frais du prestataire (€)"),
            _("Reversé (€)"),
            _("Repris (€)"),
            _("État"),
        ]
        return csv_response("reversements.csv", headers, rows)

    @admin.action(description=_("Relancer les reversements refusés"))
    def retry(self, request, queryset):
        if not request.user.has_perm("hub.refund_payment"):
            raise PermissionDenied
        failed = queryset.filter(status=OperationStatus.FAILED).select_related("part__payment")
        for payout in failed:
            services.retry_payout(payout, by=request.user)
        LogEntry.objects.log_actions(
            request.user.pk,
            list(failed),
            CHANGE,
            change_message=_t("Reversement relancé."),
        )
        messages.success(request, _t("Reversements relancés."))


@admin.register(PayoutAccount)
class PayoutAccountAdmin(ReadOnlyAdmin):
    list_display = [
        "label",
        "payee",
        "details_submitted",
        "transfers_enabled",
        "payouts_enabled",
        "updated_at",
    ]
    list_filter = ["details_submitted", "transfers_enabled", "payouts_enabled"]
    search_fields = ["label", "payee", "provider_id"]
