"""Who displayed, changed or exported which insertion record, and when."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insertion.choices import AccessAction
from insertion.models.people import Beneficiary


class AccessLog(models.Model):
    """One access to personal insertion data; written by ``insertion.audit``, never edited."""

    at = models.DateTimeField(_("le"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    user_email = models.EmailField(_("e-mail de l'auteur·rice"))
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("dossier"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    record = models.CharField(_("élément"), max_length=200, blank=True)
    detail = models.CharField(_("détail"), max_length=500, blank=True)
    path = models.CharField(_("adresse"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("accès aux dossiers d'insertion")
        verbose_name_plural = _("journal des accès aux dossiers d'insertion")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["at"]), models.Index(fields=["beneficiary", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_email} {self.get_action_display()}"
