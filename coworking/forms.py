from datetime import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coworking.models import (
    Application,
    ApplicationStatus,
    BookingMode,
    ProofCategory,
    Resource,
)
from coworking.services.atelier8 import APPLICATION_FIELDS
from coworking.services.people import validate_proof_file
from coworking.services.studios import studios
from hub.services import PhoneFormField, french_date
from hub.services import format_money as money


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def parse_moment(value: str) -> datetime | None:
    """An ISO date-time from a link, made aware in Calais time; None when unreadable."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class BookingForm(forms.Form):
    end = forms.ChoiceField(label=_("Jusqu'à"))
    repeat = forms.BooleanField(label=_("Répéter chaque semaine"), required=False)
    until = forms.DateField(label=_("Jusqu'au (inclus)"), required=False, widget=DateInput())
    on_clash = forms.ChoiceField(
        label=_("Si une date est déjà prise"),
        choices=[
            ("skip", _("réserver quand même les autres dates")),
            ("none", _("ne rien réserver")),
        ],
        initial="skip",
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, options=(), allow_repeat=True, online=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end"].choices = [
            (
                end.isoformat(),
                f"{timezone.localtime(end):%H:%M} — {money(price)}",
            )
            for end, price in options
        ]
        if not allow_repeat:
            for name in ("repeat", "until", "on_clash"):
                del self.fields[name]
        if online:
            self.fields["payment"] = forms.ChoiceField(
                label=_("Paiement"),
                choices=[
                    ("online", _("Payer en ligne maintenant, par carte bancaire")),
                    ("on_site", _("Payer sur place (montant porté sur le relevé mensuel)")),
                ],
                initial="online",
                widget=forms.RadioSelect,
            )

    def clean_end(self):
        return parse_moment(self.cleaned_data["end"])

    def clean(self):
        data = super().clean()
        if data.get("repeat") and not data.get("until"):
            self.add_error("until", _("Indiquez jusqu'à quand répéter."))
        if data.get("repeat") and data.get("payment") == "online":
            self.add_error(
                "payment", _("Une réservation répétée chaque semaine se règle sur place.")
            )
        return data

    @property
    def pays_online(self) -> bool:
        return self.cleaned_data.get("payment") == "online"


class StudioRequestForm(forms.Form):
    studio = forms.ModelChoiceField(
        label=_("Atelier souhaité"),
        queryset=Resource.objects.none(),
        required=False,
        empty_label=_("Peu importe, le premier libre"),
    )
    activity = forms.CharField(
        label=_("Votre activité"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce que vous fabriquez ou réparez, et ce dont vous avez besoin."),
        max_length=2000,
    )
    wanted_from = forms.DateField(label=_("À partir du"), widget=DateInput())
    phone = PhoneFormField(label=_("Téléphone (facultatif)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["studio"].queryset = studios()


class ProofForm(forms.Form):
    category = forms.ChoiceField(label=_("Votre situation"), choices=ProofCategory.choices)
    file = forms.FileField(
        label=_("Justificatif"),
        help_text=_(
            "Attestation France Travail, carte d'étudiant·e ou statuts de la structure : "
            "PDF ou photo, 5 Mo au plus. Seule l'équipe des espaces le voit."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}
        ),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        validate_proof_file(file)
        return file


class ApplicationForm(forms.ModelForm):
    certify = forms.BooleanField(
        label=_("Je certifie être inscrit·e comme demandeur·se d'emploi."),
        error_messages={"required": _("Atelier 8 est réservé aux demandeurs d'emploi.")},
    )

    class Meta:
        model = Application
        fields = APPLICATION_FIELDS
        widgets = {
            "job_seeker_since": DateInput(),
            "project": forms.Textarea(attrs={"rows": 5}),
            "needs": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "project": _("Votre activité, à qui elle s'adresse, où vous en êtes."),
            "availability": _("Par exemple : du lundi au jeudi, le matin."),
            "job_seeker_id": _("Facultatif."),
        }

    def clean(self):
        data = super().clean()
        if not (data.get("wants_desk") or data.get("wants_storage") or data.get("wants_workshop")):
            self.add_error(
                "wants_desk", _("Dites ce que vous demandez : un poste, du stockage ou un atelier.")
            )
        return data

    def clean_job_seeker_since(self):
        since = self.cleaned_data["job_seeker_since"]
        if since > timezone.localdate():
            raise forms.ValidationError(_("Cette date est dans le futur."))
        return since


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Nouvel état"),
        choices=[
            (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.UNDER_REVIEW.label),
            (ApplicationStatus.REFUSED, ApplicationStatus.REFUSED.label),
        ],
    )
    committee_date = forms.DateField(label=_("Date du comité"), required=False, widget=DateInput())
    comment = forms.CharField(
        label=_("Message à la personne candidate"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AcceptForm(forms.Form):
    resource = forms.ModelChoiceField(
        label=_("Ressource mise à disposition"),
        queryset=Resource.objects.filter(booking_mode=BookingMode.AGREEMENT, is_active=True),
    )
    start_date = forms.DateField(label=_("Début de la convention"), widget=DateInput())
    end_date = forms.DateField(label=_("Fin de la convention (incluse)"), widget=DateInput())
    comment = forms.CharField(
        label=_("Message à la personne candidate"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault(
            "initial",
            {"start_date": today, "end_date": today + relativedelta(months=6, days=-1)},
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                _("La fin doit suivre le début (%(start)s).") % {"start": french_date(start)},
            )
        return data
