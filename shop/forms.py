from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret as stdnum_siret

import delivery.services as delivery
from hub.services import PhoneFormField, validate_image
from shop.models import Label, Merchant, PaymentMethod, Product, SupportRequest, validate_siret


class MerchantApplicationForm(forms.ModelForm):
    siret = forms.CharField(
        label=_("SIRET"),
        max_length=20,
        help_text=_("14 chiffres, sur votre extrait Kbis ou l'avis de situation Insee."),
    )

    class Meta:
        model = Merchant
        fields = [
            "name",
            "siret",
            "category",
            "address",
            "phone",
            "email",
            "description",
            "opening_hours",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "address": _("Numéro, rue et ville, comme sur votre devanture."),
        }

    def clean_siret(self):
        validate_siret(self.cleaned_data["siret"])
        return stdnum_siret.compact(self.cleaned_data["siret"])


def photo_upload_field(widget: type[forms.ClearableFileInput]) -> forms.FileField:
    """A product photo's upload: a FileField checked by validate_image alone (Django's
    ImageField would answer its own vaguer message first for an image above the pixel budget),
    stored by ``shop.services`` (metadata stripped, renditions)."""
    return forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG ou WebP, 10 Mo au plus. Les données de l'appareil sont retirées."),
        validators=[validate_image],
        widget=widget(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class ProductForm(forms.ModelForm):
    labels_choice = forms.MultipleChoiceField(
        label=_("Labels"),
        choices=Label.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    made_to_order = forms.BooleanField(label=_("Fait à la commande (pas de stock)"), required=False)
    photo_upload = photo_upload_field(forms.ClearableFileInput)

    class Meta:
        model = Product
        fields = [
            "name",
            "description",
            "category",
            "price",
            "vat_rate",
            "unit",
            "stock",
            "weight_grams",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        localized_fields = ["price"]
        help_texts = {
            "stock": _(
                "Le nombre d'articles à vendre. Pour un produit fait à la commande, cochez la "
                "case ci-dessous : le stock est alors ignoré."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The box right under the stock it replaces.
        order = list(self.fields)
        order.remove("made_to_order")
        order.insert(order.index("stock") + 1, "made_to_order")
        self.order_fields(order)
        self.fields["labels_choice"].initial = self.instance.label_list
        self.fields["made_to_order"].initial = self.instance.pk and self.instance.stock is None

    def clean(self):
        data = super().clean()
        if data.get("made_to_order"):
            data["stock"] = None
        elif data.get("stock") is None and "stock" not in self.errors:
            self.add_error("stock", _("Indiquez le stock, ou cochez « Fait à la commande »."))
        return data

    def save(self, commit=True):
        product = super().save(commit=False)
        product.stock = self.cleaned_data["stock"]
        product.label_list = self.cleaned_data["labels_choice"]
        if commit:
            product.save()
        return product


class ProductAdminForm(forms.ModelForm):
    """The admin's product form (``ProductAdmin`` gives its model and leaves ``photo`` out): the
    photo is an upload checked as in the shop's form, never written to the model by the form;
    ``ProductAdmin.save_model`` gives it to the service."""

    photo_upload = photo_upload_field(AdminFileWidget)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Shown as « Actuellement » with its « Effacer » box, as the admin shows a file field.
        if self.instance.photo:
            self.initial["photo_upload"] = self.instance.photo


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Quantité"), min_value=0, max_value=settings.SHOP_MAX_LINE_QUANTITY
    )


class CheckoutForm(forms.Form):
    fulfilment = forms.ChoiceField(
        label=_("Livraison ou retrait"),
        choices=delivery.FulfilmentMode.choices,
        widget=forms.RadioSelect,
    )
    address = forms.CharField(
        label=_("Adresse de livraison"),
        required=False,
        max_length=250,
        help_text=_("Numéro, rue et ville. Nous livrons à vélo-cargo dans un rayon de 3 km."),
    )
    # Plain values checked by the checkout service, which names a slot filled meanwhile.
    relay_point = forms.CharField(label=_("Point relais"), required=False, widget=forms.Select)
    slot = forms.CharField(label=_("Créneau de livraison"), required=False, widget=forms.Select)
    phone = PhoneFormField(
        label=_("Téléphone"),
        required=False,
        help_text=_("Pour que le coursier puisse vous joindre."),
    )
    news_by_sms = forms.BooleanField(
        label=_("Me prévenir par SMS"),
        required=False,
        # Opt-in (CNIL): texting needs the shopper's own tick, never a pre-ticked box.
        help_text=_(
            "Quand le coursier part en tournée, puis quand votre livraison est la prochaine "
            "(sur un numéro de mobile). L'e-mail vous prévient dans tous les cas."
        ),
    )
    payment = forms.ChoiceField(
        label=_("Paiement à la remise"),
        choices=PaymentMethod.on_delivery,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Instructions (digicode, étage…)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, relay_points=(), slots=(), online=False, **kwargs):
        super().__init__(*args, **kwargs)
        if online:
            self.fields["payment"].label = _("Paiement")
            self.fields["payment"].choices = [
                (PaymentMethod.ONLINE, _("Payer en ligne par carte (page de paiement sécurisée)"))
            ] + PaymentMethod.on_delivery()
        self.fields["relay_point"].widget.choices = [("", _("— Choisir —"))] + [
            (point.pk, f"{point.name} — {point.address} ({point.opening_hours})")
            for point in relay_points
        ]
        self.fields["slot"].widget.choices = [("", _("— Choisir —"))] + [
            (
                slot.pk,
                _("%(slot)s (%(n)d place(s))")
                % {"slot": delivery.slot_label(slot), "n": slot.remaining},
            )
            for slot in slots
        ]


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        help_text=_("Le client le lit dans son e-mail et sur sa commande."),
        max_length=250,
        error_messages={"required": _("Indiquez le motif du refus au client.")},
    )


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail de son compte"))


class SupportRequestForm(forms.ModelForm):
    class Meta:
        model = SupportRequest
        fields = ["kind", "subject", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Votre message"), widget=forms.Textarea(attrs={"rows": 3}))


class CsvImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier CSV"))


class ReviewRefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus (envoyé au demandeur)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )
