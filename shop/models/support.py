from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.models.merchants import Merchant


class SupportKind(models.TextChoices):
    SIGNAGE = "signage", _("Enseigne et signalétique")
    FLYERS = "flyers", _("Flyers et affiches")
    SOCIAL = "social", _("Page sur les réseaux sociaux")
    PHOTOS = "photos", _("Photos des produits")
    OTHER = "other", _("Autre besoin")


class SupportStatus(models.TextChoices):
    NEW = "new", _("Reçue")
    IN_PROGRESS = "in_progress", _("En cours")
    WAITING = "waiting", _("En attente de votre réponse")
    DONE = "done", _("Terminée")
    CANCELLED = "cancelled", _("Abandonnée")


class SupportRequest(models.Model):
    """A shop's request for help from ADLC's multimedia workshop."""

    merchant = models.ForeignKey(
        Merchant, verbose_name=_("commerce"), on_delete=models.CASCADE, related_name="support"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("besoin"), max_length=10, choices=SupportKind.choices)
    subject = models.CharField(_("objet"), max_length=150)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("statut"), max_length=12, choices=SupportStatus.choices, default=SupportStatus.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suivi par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"is_staff": True},
    )
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("demande d'accompagnement")
        verbose_name_plural = _("demandes d'accompagnement")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self):
        return self.subject


class SupportComment(models.Model):
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur·rice"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    body = models.TextField(_("message"))
    from_staff = models.BooleanField(_("de l'atelier multimédia"), default=False)
    created_at = models.DateTimeField(_("écrit le"), auto_now_add=True)

    class Meta:
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:50]
