"""The arrival window told to the shopper on the order page and the public tracking page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

# The window told to the shopper: the expected arrival rounded to the nearest 5 minutes, then
# 10 minutes either side (20 minutes wide), kept inside the slot while the arrival is in it.
ARRIVAL_STEP_MINUTES = 5
ARRIVAL_MARGIN_MINUTES = 10


@dataclass(frozen=True)
class ArrivalWindow:
    start: datetime
    end: datetime
    late: bool  # expected after the slot's end: told as such, never passed off as on time
    slot_end: datetime

    @property
    def label(self) -> str:
        """« entre 14 h 40 et 15 h 00 »."""
        return _("entre %(start)s et %(end)s") % {
            "start": clock(self.start),
            "end": clock(self.end),
        }


def clock(moment: datetime) -> str:
    """« 9 h 05 », in local time."""
    local = timezone.localtime(moment)
    return f"{local.hour} h {local:%M}"


def _rounded(moment: datetime) -> datetime:
    step = ARRIVAL_STEP_MINUTES * 60
    hour = moment.replace(minute=0, second=0, microsecond=0)
    seconds = (moment - hour).total_seconds()
    return hour + timedelta(seconds=step * int(seconds / step + 0.5))


def arrival_window(expected: datetime, slot_start: datetime, slot_end: datetime) -> ArrivalWindow:
    """The window around an expected arrival (rule above). While the arrival is inside the
    slot, the window is moved (not widened) to stay inside it; past the slot's end it is
    centred on the arrival and marked late."""
    centre = _rounded(timezone.localtime(expected))
    margin = timedelta(minutes=ARRIVAL_MARGIN_MINUTES)
    start, end = centre - margin, centre + margin
    if expected > slot_end:
        return ArrivalWindow(start, end, True, slot_end)
    if end > slot_end:
        start, end = max(slot_end - 2 * margin, slot_start), slot_end
    if start < slot_start:
        start, end = slot_start, min(slot_start + 2 * margin, slot_end)
    return ArrivalWindow(start, end, False, slot_end)
