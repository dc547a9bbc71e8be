"""Forms of the dispatch board and of the courier's page (parsing only: rules are services)."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delivery.models import (
    BikeStatus,
    CargoBike,
    Courier,
    DeliverySlot,
    FailureReason,
    RelayPoint,
)
from delivery.services.zone import slot_label


class DayForm(forms.Form):
    date = forms.DateField(
        label=_("Jour"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class RoundForm(forms.Form):
    """A new round: courier, bike, day and window (times of day)."""

    courier = forms.TypedChoiceField(label=_("Coursier·e"), coerce=int)
    bike = forms.TypedChoiceField(label=_("Vélo-cargo"), coerce=int)
    day = forms.DateField(widget=forms.HiddenInput)
    slot = forms.IntegerField(required=False, widget=forms.HiddenInput)
    start = forms.TimeField(
        label=_("Départ du pôle"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        label=_("Retour au pôle"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args, couriers=None, bikes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if couriers is None:
            couriers = Courier.objects.active().select_related("user")
        if bikes is None:
            bikes = CargoBike.objects.filter(status=BikeStatus.IN_SERVICE)
        self.fields["courier"].choices = [(c.pk, str(c)) for c in couriers]
        self.fields["bike"].choices = [(b.pk, f"{b.name} ({b.payload_kg:g} kg)") for b in bikes]

    def window(self) -> tuple[datetime, datetime]:
        day = self.cleaned_data["day"]
        tz = timezone.get_current_timezone()
        return (
            timezone.make_aware(datetime.combine(day, self.cleaned_data["start"]), tz),
            timezone.make_aware(datetime.combine(day, self.cleaned_data["end"]), tz),
        )


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, slot):
        return _("%(slot)s (%(count)d place(s) libre(s))") % {
            "slot": slot_label(slot),
            "count": slot.remaining,
        }


class ReplanForm(forms.Form):
    # Nothing preselected: dispatch picks the new window on purpose (the shopper is told).
    slot = SlotChoiceField(
        label=_("Nouveau créneau"),
        queryset=DeliverySlot.objects.none(),
        empty_label=_("Choisissez un créneau à venir"),
        error_messages={
            "required": _("Choisissez un créneau à venir de la liste."),
            "invalid_choice": _("Choisissez un créneau à venir de la liste."),
        },
    )
    relay_point = forms.ModelChoiceField(
        label=_("Livrer plutôt à un point relais (facultatif)"),
        queryset=RelayPoint.objects.filter(is_active=True),
        required=False,
        empty_label=_("Même adresse qu'avant"),
    )

    def __init__(self, *args, slots=None, **kwargs):
        super().__init__(*args, **kwargs)
        if slots is not None:
            self.fields["slot"].queryset = slots


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Motif (dit au client)"), max_length=250, required=False)


class DeliverForm(forms.Form):
    recipient = forms.CharField(label=_("Remise à (nom)"), max_length=150)
    payment_collected = forms.BooleanField(label=_("Paiement encaissé"), required=False)
    photo = forms.ImageField(label=_("Photo (facultatif)"), required=False)


class FailForm(forms.Form):
    reason = forms.ChoiceField(label=_("Motif"), choices=FailureReason.choices)
    note = forms.CharField(
        label=_("Précisions"),
        max_length=250,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("Mois"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
