"""Forms of the agenda pages: filters, registration, and the organisers' event form."""

from datetime import timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.agenda.registrations import max_seats_per_registration
from hub.models import Audience, Event, EventKind, Recurrence


class AgendaFilter(django_filters.FilterSet):
    """Filters of /agenda/ and of the iCal feed."""

    type = django_filters.ChoiceFilter(
        field_name="kind", choices=EventKind.choices, label=_("Type"), empty_label=_("Tous")
    )
    public = django_filters.ChoiceFilter(
        field_name="audience", choices=Audience.choices, label=_("Public"), empty_label=_("Tous")
    )
    du = django_filters.DateFilter(
        field_name="start",
        lookup_expr="date__gte",
        label=_("À partir du"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    au = django_filters.DateFilter(
        field_name="start",
        lookup_expr="date__lte",
        label=_("Jusqu'au"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Event
        fields = []


class RegistrationForm(forms.Form):
    """Two taps for a signed-in person (seats, then the button); name and e-mail otherwise."""

    seats = forms.TypedChoiceField(label=_("Nombre de places"), coerce=int)
    name = forms.CharField(
        label=_("Votre nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        help_text=_("Vous recevrez un lien pour confirmer, puis pour annuler si besoin."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, event: Event, user, **kwargs):
        super().__init__(*args, **kwargs)
        limit = max(min(max_seats_per_registration(), event.capacity), 1)
        self.fields["seats"].choices = [(n, str(n)) for n in range(1, limit + 1)]
        self.fields["seats"].initial = 1
        if user.is_authenticated:
            del self.fields["name"]
            del self.fields["email"]


class DateTimeInput(forms.DateTimeInput):
    """``<input type="datetime-local">``, which wants « 2026-03-05T18:00 »."""

    input_type = "datetime-local"

    def format_value(self, value):
        if isinstance(value, str) or value is None:
            return value
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    """What an organiser fills in; the room and the repetition are handled by the services."""

    room = forms.ChoiceField(label=_("Salle du pôle"), required=False)
    repeat = forms.ChoiceField(
        label=_("Répéter"),
        required=False,
        choices=[("", _("Non, une seule date")), *Recurrence.choices],
    )
    repeat_until = forms.DateField(
        label=_("Répéter jusqu'au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Un an au plus."),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "structure",
            "audience",
            "start",
            "end",
            "room",
            "place",
            "capacity",
            "price",
            "registration_opens_at",
            "registration_closes_at",
            "description",
            "accessibility",
            "picture",
        ]
        widgets = {
            "start": DateTimeInput(),
            "end": DateTimeInput(),
            "registration_opens_at": DateTimeInput(),
            "registration_closes_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "accessibility": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, structures, rooms: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures
        self.fields["room"].choices = [("", _("Aucune : lieu libre ci-dessous")), *rooms]
        self.fields["room"].initial = self.instance.room_key
        if not rooms:
            del self.fields["room"]
        if self.instance.pk:
            # A date of a series is changed on its own; repeating applies to new events only.
            del self.fields["repeat"]
            del self.fields["repeat_until"]

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("room"):
            self.add_error("place", _("Indiquez un lieu ou choisissez une salle."))
        if data.get("repeat"):
            until, start = data.get("repeat_until"), data.get("start")
            if not until:
                self.add_error("repeat_until", _("Indiquez la date de la dernière séance."))
            elif start and not (
                timezone.localdate(start) < until <= timezone.localdate(start) + timedelta(366)
            ):
                self.add_error(
                    "repeat_until", _("Choisissez une date après la première et dans l'année.")
                )
        return data

    def _post_clean(self):
        # The room is not a model field: keep the "place or room" constraint satisfied for the
        # model validation; the services set the real room.
        if self.cleaned_data.get("room"):
            self.instance.room_key = self.cleaned_data["room"]
        elif "room" in self.fields:
            self.instance.room_key = ""
        super()._post_clean()


class CancelEventForm(forms.Form):
    following = forms.BooleanField(
        label=_("Annuler aussi les dates suivantes de la série"), required=False
    )
