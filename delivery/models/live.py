"""What the dispatch board and the couriers' pages hear as it happens (server-sent events)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LiveEvent(models.Model):
    """One piece of news for the pages listening on ``channel`` (« board » for dispatch,
    « courier:<id> » for one courier). Written in the transaction of the change it reports, so
    nobody hears of a change that was rolled back; its id is the stream's ``Last-Event-ID``."""

    channel = models.CharField(_("canal"), max_length=40)
    kind = models.CharField(_("nature"), max_length=20)
    data = models.JSONField(_("données"), default=dict, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("nouvelle en direct")
        verbose_name_plural = _("nouvelles en direct")
        indexes = [models.Index(fields=["channel", "id"], name="delivery_live_channel_id")]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk} {self.kind}"
