from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StatusChange(models.Model):
    """One move of a declared state machine (``hub.workflow``): the one history of statuses.

    Written by ``hub.workflow.transition`` in the same transaction as the new status, for every
    model whose workflow an app registered (order parts, orders, deliveries, stops, rounds,
    bookings, event registrations)."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("type d'objet"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("identifiant de l'objet"))
    subject = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("champ"), max_length=40, default="status")
    from_status = models.CharField(_("de"), max_length=40)
    to_status = models.CharField(_("vers"), max_length=40)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    why = models.CharField(_("motif"), max_length=300, blank=True)
    source = models.CharField(_("origine"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id} {self.from_status} → {self.to_status}"

    def _label(self, value: str) -> str:
        model = self.content_type.model_class()
        if model is None:
            return value
        field = model._meta.get_field(self.field)
        choices = dict(field.flatchoices) if isinstance(field, models.Field) else {}
        return str(choices.get(value, value))

    @property
    def from_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)
