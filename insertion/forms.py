"""Counsellors' forms: they parse input; the rules are in the services they feed."""

from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.services import Role
from insertion.choices import (
    BarrierStatus,
    EarlyEndGround,
    EarlyEndInitiative,
    FollowUpSituation,
)
from insertion.early_end import EarlyEnd
from insertion.models import (
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


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field when it has one, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class DateInputs:
    """Native date pickers for every date field (no JavaScript needed)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BeneficiaryForm(DateInputs, forms.ModelForm):
    account_email = forms.EmailField(
        label=_("Compte utilisateur lié (e-mail)"),
        required=False,
        help_text=_(
            "Par exemple le compte de coursier·e de la personne. Ce compte ne verra "
            "jamais ce dossier."
        ),
    )

    class Meta:
        model = Beneficiary
        fields = [
            "last_name",
            "first_name",
            "birth_date",
            "sex",
            "email",
            "phone",
            "address",
            "postal_code",
            "city",
            "qpv",
            "counsellor",
            "prescriber",
            "prescriber_name",
            "france_travail_registered",
            "unemployment_months",
            "labour_status",
            "rsa",
            "ass",
            "aah",
            "rqth",
            "education_level",
            "third_country_national",
            "foreign_background",
            "minority",
            "homeless",
            "rural_area",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].required = True
        self.fields["qpv"].queryset = PriorityNeighbourhood.objects.filter(active=True)
        self.fields["qpv"].empty_label = _("Hors quartier prioritaire")
        self.fields["counsellor"].queryset = (
            get_user_model().objects.filter(groups__name=Role.CIP, is_active=True).distinct()
        )
        if self.instance.user_id:
            self.fields["account_email"].initial = self.instance.user.email
        for name in ("email", "phone", "address", "postal_code", "city"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_account_email(self):
        email = self.cleaned_data["account_email"].strip().lower()
        if not email:
            return None
        user = get_user_model().objects.filter(email=email).first()
        if user is None:
            raise ValidationError(_("Aucun compte n'utilise cette adresse."))
        taken = Beneficiary.objects.filter(user=user).exclude(pk=self.instance.pk).exists()
        if taken:
            raise ValidationError(_("Ce compte est déjà lié à un autre dossier."))
        return user

    def _post_clean(self):
        if "account_email" in self.cleaned_data:
            self.instance.user = self.cleaned_data["account_email"]
        super()._post_clean()

    def add_error(self, field, error):
        # The model's rule about linked accounts belongs to the e-mail field of this form.
        if field == "user":
            field = "account_email"
        elif isinstance(error, ValidationError) and "user" in getattr(error, "error_dict", {}):
            error.error_dict["account_email"] = error.error_dict.pop("user")
        super().add_error(field, error)


class PassForm(DateInputs, forms.ModelForm):
    class Meta:
        model = PassIae
        fields = ["number", "start_date"]


class SuspensionForm(DateInputs, forms.ModelForm):
    class Meta:
        model = PassSuspension
        fields = ["start_date", "end_date", "reason"]


class ExtensionForm(DateInputs, forms.ModelForm):
    new_end_date = forms.DateField(label=_("Nouvelle date de fin du PASS"))

    class Meta:
        model = PassExtension
        fields = ["requested_on", "new_end_date", "reason", "training", "details"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_on"].initial = timezone.localdate()
        self.fields["training"].queryset = Training.objects.filter(
            beneficiary=self.instance.pass_iae.beneficiary
        )
        self.fields["training"].help_text = _("Pour le motif « achever une formation ».")


class ContractForm(DateInputs, forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "workshop",
            "post",
            "start_date",
            "end_date",
            "weekly_hours",
            "hours_justification",
            "sentence_adjustment",
        ]
        widgets = {"hours_justification": forms.Textarea(attrs={"rows": 3})}


class RenewalForm(DateInputs, forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "workshop",
            "post",
            "start_date",
            "end_date",
            "weekly_hours",
            "hours_justification",
            "ground",
            "ground_details",
            "training",
        ]
        widgets = {
            "hours_justification": forms.Textarea(attrs={"rows": 3}),
            "ground_details": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "ground": _("Seulement si le total dépasse 24 mois de CDDI."),
            "training": _("Pour le motif « achever une formation »."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training"].queryset = Training.objects.filter(
            beneficiary=self.instance.beneficiary
        )


class InterviewForm(DateInputs, forms.ModelForm):
    class Meta:
        model = Interview
        fields = ["date", "kind", "summary", "next_steps"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }


class BarrierForm(DateInputs, forms.ModelForm):
    class Meta:
        model = Barrier
        fields = ["category", "identified_on", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class BarrierMoveForm(DateInputs, forms.Form):
    status = forms.ChoiceField(label=_("Nouvel état"))
    lifted_on = forms.DateField(label=_("Levé le"), required=False)

    def __init__(self, *args, barrier: Barrier, **kwargs):
        from insertion.followup import BARRIER_NEXT

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status.value, status.label)
            for status in BarrierStatus
            if status in BARRIER_NEXT[BarrierStatus(barrier.status)]
        ]
        self.fields["lifted_on"].help_text = _("Obligatoire pour un frein levé.")


class BarrierActionForm(DateInputs, forms.ModelForm):
    class Meta:
        model = BarrierAction
        fields = ["date", "description", "support", "partner"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TrainingForm(DateInputs, forms.ModelForm):
    class Meta:
        model = Training
        fields = ["title", "provider", "start_date", "end_date", "hours", "qualifying"]


class ImmersionForm(DateInputs, forms.ModelForm):
    class Meta:
        model = Immersion
        fields = ["host", "start_date", "end_date", "goal", "outcome"]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 3})}


class ExitForm(DateInputs, forms.ModelForm):
    early_end_ground = forms.ChoiceField(
        label=_("Motif de la fin anticipée du contrat"),
        choices=[("", _("Pas de fin anticipée")), *EarlyEndGround.choices],
        required=False,
        help_text=_(
            "Si la sortie a lieu avant la fin prévue du contrat ou d'un avenant déjà signé. "
            "Les avenants qui commencent après la sortie tombent."
        ),
    )
    early_end_initiative = forms.ChoiceField(
        label=_("Fin anticipée décidée par"),
        choices=[("", "---------"), *EarlyEndInitiative.choices],
        required=False,
    )
    early_end_details = forms.CharField(
        label=_("Précisions sur la fin anticipée"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Pour un motif à confirmer : la réponse de la DDETS (date, interlocuteur·rice)."
        ),
    )

    class Meta:
        model = Exit
        fields = [
            "date",
            "reason",
            "destination",
            "notes",
            "result_job_searching",
            "result_training",
            "result_qualification",
            "result_employed",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def early_end(self) -> EarlyEnd | None:
        """The early end the counsellor gave, if any."""
        data = self.cleaned_data
        if not data.get("early_end_ground"):
            return None
        return EarlyEnd(
            data["early_end_ground"], data["early_end_initiative"], data["early_end_details"]
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reasons = ExitReason.objects.filter(active=True)
        self.fields["reason"].queryset = reasons
        grouped: dict[str, list] = {}
        for reason in reasons:
            grouped.setdefault(reason.get_category_display(), []).append((reason.pk, reason.label))
        self.fields["reason"].choices = [("", "---------"), *grouped.items()]


class FollowupForm(DateInputs, forms.Form):
    followup_on = forms.DateField(label=_("Suivi fait le"))
    followup_situation = forms.ChoiceField(
        label=_("Situation six mois après la sortie"), choices=FollowUpSituation.choices
    )


class MonthField(forms.DateField):
    """A month picker (« 2026-03 ») giving the first day of that month."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]


class PeriodForm(forms.Form):
    first_month = MonthField(label=_("Du mois"))
    last_month = MonthField(label=_("au mois (inclus)"))

    def clean(self):
        data = super().clean()
        first, last = data.get("first_month"), data.get("last_month")
        if first and last and last < first:
            raise ValidationError(_("Le dernier mois suit le premier."))
        return data

    @staticmethod
    def default_initial(today: date) -> dict:
        return {"first_month": date(today.year, 1, 1), "last_month": today.replace(day=1)}
