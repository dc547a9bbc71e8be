"""Outgoing text messages (SMS), stored like e-mails and sent by a task after commit."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SmsStatus(models.TextChoices):
    PENDING = "pending", _("À envoyer")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Refusé par l'opérateur")


class OutgoingSms(models.Model):
    """A text message rendered by an app and sent once by a task (``hub.sms``).

    Like ``OutgoingEmail``: a send claims the row first, ``dedupe_key`` makes a job run twice
    store one message; a refusal that retrying cannot change (number invalid, key refused)
    leaves it failed with the provider's code, for staff to see in the admin.
    """

    to = models.CharField(_("destinataire"), max_length=20)
    body = models.CharField(_("texte"), max_length=640)
    sender = models.CharField(_("expéditeur"), max_length=11)
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=SmsStatus.choices, default=SmsStatus.PENDING
    )
    provider = models.CharField(_("opérateur"), max_length=20, blank=True)
    provider_id = models.CharField(_("référence chez l'opérateur"), max_length=100, blank=True)
    error = models.CharField(_("erreur"), max_length=250, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("envoi commencé le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)

    class Meta:
        verbose_name = _("SMS envoyé")
        verbose_name_plural = _("SMS envoyés")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="sms_sent_has_time"
            )
        ]

    def __str__(self):
        return f"{masked(self.to)}: {self.body[:40]}"


def masked(number: str) -> str:
    """« +336******78 »: enough to tell numbers apart in logs and lists, not to call one."""
    if len(number) <= 6:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 6) + number[-2:]
