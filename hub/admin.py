from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.agenda.scheduling import cancel_event
from hub.csv_export import csv_response
from hub.exceptions import Conflict
from hub.models import (
    Event,
    EventSeries,
    EventStatus,
    Heartbeat,
    OutgoingEmail,
    OutgoingSms,
    Registration,
    Structure,
    StructureOrganiser,
    User,
    masked,
)
from hub.sms import masked_numbers
from hub.workflow_admin import StatusChangeInline


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name", "phone"]}),
        (_("Rôles"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Permissions individuelles"), {"fields": ["user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only a superuser can make a superuser or hand out permissions one by one.
            fields += ["is_superuser", "user_permissions"]
        return fields


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "iae_club_member", "is_published"]
    list_filter = ["kind", "iae_club_member", "is_published"]
    search_fields = ["name", "summary", "description"]
    prepopulated_fields = {"slug": ["name"]}
    # A website typed without its scheme is taken as https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "created_at", "sent_at", "attempts"]
    list_filter = ["sent_at"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutgoingSms)
class OutgoingSmsAdmin(admin.ModelAdmin):
    list_display = [
        "body",
        "shown_to",
        "status",
        "created_at",
        "sent_at",
        "attempts",
        "shown_error",
    ]
    list_filter = ["status", "provider"]
    search_fields = ["body", "provider_id"]
    date_hierarchy = "created_at"
    exclude = ["to", "error"]
    readonly_fields = ["shown_to", "shown_error"]
    inlines = [StatusChangeInline]

    @admin.display(description=_("destinataire"))
    def shown_to(self, obj):
        return masked(obj.to)

    @admin.display(description=_("erreur"))
    def shown_error(self, obj):
        # Errors stored before masking (or by a future path that forgets it) stay masked here.
        return masked_numbers(obj.error)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["component", "seen_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _registration_rows(registrations):
    for registration in registrations.select_related("event"):
        yield [
            registration.event.title,
            registration.event.start,
            registration.name,
            registration.email,
            registration.seats,
            registration.get_status_display(),
            {True: _("présent·e"), False: _("absent·e"), None: ""}[registration.attended],
        ]


REGISTRATION_HEADER = [
    _("Événement"),
    _("Date"),
    _("Nom"),
    _("E-mail"),
    _("Places"),
    _("Statut"),
    _("Présence"),
]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Events are created and moved from the organisers' pages, which book rooms and tell
    participants; here staff browse, correct texts, export and cancel."""

    list_display = ["title", "kind", "structure", "start", "seats", "status"]
    list_filter = ["status", "kind", "audience", "structure", "start"]
    inlines = [StatusChangeInline]
    search_fields = ["title", "description", "place", "room_label"]
    date_hierarchy = "start"
    list_select_related = ["structure"]
    readonly_fields = [
        "structure",
        "series",
        "start",
        "end",
        "capacity",
        "confirmed_seats",
        "room_label",
        "room_booking",
        "status",
        "created_by",
        "created_at",
        "updated_at",
    ]
    exclude = ["room_key"]
    actions = ["export_registrations", "cancel_events"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("places"))
    def seats(self, event):
        return f"{event.confirmed_seats} / {event.capacity}"

    @admin.action(description=_("Exporter les inscriptions (CSV)"), permissions=["view"])
    def export_registrations(self, request, queryset):
        registrations = Registration.objects.filter(event__in=queryset).order_by(
            "event__start", "queued_at", "pk"
        )
        return csv_response(
            "inscriptions.csv", REGISTRATION_HEADER, _registration_rows(registrations)
        )

    @admin.action(description=_("Annuler et prévenir les inscrit·es"), permissions=["change"])
    def cancel_events(self, request, queryset):
        cancelled = 0
        for event in queryset.filter(status=EventStatus.PUBLISHED):
            try:
                cancelled += len(cancel_event(event, by=request.user))
            except (Conflict, PermissionDenied) as error:
                self.message_user(request, f"{event} : {error}", messages.ERROR)
        self.message_user(request, _("%(count)s événement(s) annulé(s).") % {"count": cancelled})


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Seats and the waiting list change only through the registration services."""

    list_display = ["name", "email", "event", "seats", "status", "attended", "created_at"]
    list_filter = ["status", "attended", "event__kind"]
    search_fields = ["name", "email", "event__title"]
    list_select_related = ["event"]
    date_hierarchy = "created_at"
    actions = ["export"]
    inlines = [StatusChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Exporter (CSV)"), permissions=["view"])
    def export(self, request, queryset):
        return csv_response("inscriptions.csv", REGISTRATION_HEADER, _registration_rows(queryset))


@admin.register(EventSeries)
class EventSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "structure", "frequency", "until", "created_at"]
    list_filter = ["frequency", "structure"]
    search_fields = ["title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrganiserForm(forms.ModelForm):
    """The person is found by e-mail: the animation team does not browse the user list."""

    email = forms.EmailField(label=_("Adresse e-mail du compte"))

    class Meta:
        model = StructureOrganiser
        fields = ["structure"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["email"].initial = self.instance.user.email

    def clean_email(self):
        user = User.objects.filter(email__iexact=self.cleaned_data["email"], is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("Aucun compte avec cette adresse : la personne doit d'abord créer son compte.")
            )
        self.instance.user = user
        return user.email

    def validate_unique(self):
        try:
            self.instance.validate_constraints()
        except forms.ValidationError:
            self.add_error("email", _("Cette personne organise déjà pour cette structure."))


@admin.register(StructureOrganiser)
class StructureOrganiserAdmin(admin.ModelAdmin):
    form = OrganiserForm
    list_display = ["user", "structure", "authorised_by", "authorised_at"]
    list_filter = ["structure"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "structure__name"]
    list_select_related = ["user", "structure", "authorised_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.authorised_by = request.user
        super().save_model(request, obj, form, change)


from hub.payments import admin as payments_admin  # noqa: E402, F401 - registers the payment views
