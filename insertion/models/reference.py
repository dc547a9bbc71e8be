"""Reference lists that staff edit: priority neighbourhoods and the ASP exit reasons."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from insertion.choices import ExitCategory


class PriorityNeighbourhood(models.Model):
    """A QPV (quartier prioritaire de la politique de la ville) where beneficiaries may live."""

    name = models.CharField(_("nom"), max_length=120)
    city = models.CharField(_("commune"), max_length=120, default="Calais")
    code = models.CharField(_("code QPV"), max_length=20, blank=True)
    active = models.BooleanField(
        _("en vigueur"), default=True, help_text=_("Décochez un quartier sorti de la liste.")
    )

    class Meta:
        verbose_name = _("quartier prioritaire (QPV)")
        verbose_name_plural = _("quartiers prioritaires (QPV)")
        ordering = ["city", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "name"],
                name="insertion_qpv_unique_name",
                violation_error_message=_("Ce quartier est déjà dans la liste."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.city})"


class ExitReason(models.Model):
    """One reason of the ASP list, in one of the five ASP categories.

    Public sources give only part of the ASP's list: it ships as initial data and ``direction``
    edits reasons and their category in the admin.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("motif"), max_length=200)
    category = models.CharField(_("catégorie"), max_length=20, choices=ExitCategory.choices)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    active = models.BooleanField(_("proposé"), default=True)

    class Meta:
        verbose_name = _("motif de sortie")
        verbose_name_plural = _("motifs de sortie (liste ASP)")
        ordering = ["order", "label"]

    def __str__(self):
        return f"{self.label} — {self.get_category_display()}"
