"""iCalendar (RFC 5545) files: the agenda feed and « ajouter à mon agenda » for one event."""

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from hub.mail import absolute_url
from hub.models import Event, EventStatus


def calendar_file(events: Iterable[Event], name: str) -> bytes:
    """One VEVENT per event; cancelled ones stay, marked CANCELLED, so calendars drop them."""
    calendar = Calendar()
    calendar.add("prodid", "-//Anima Calais//Agenda//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    host = urlsplit(settings.SITE_URL).hostname or "anima-calais.fr"
    for event in events:
        url = absolute_url(event.get_absolute_url())
        entry = CalendarEvent()
        entry.add("uid", f"event-{event.pk}@{host}")
        entry.add("dtstamp", event.updated_at)
        entry.add("last-modified", event.updated_at)
        entry.add("dtstart", event.start)
        entry.add("dtend", event.end)
        entry.add("summary", event.title)
        entry.add("location", event.location)
        entry.add("description", f"{event.description}\n\n{event.structure.name}\n{url}".strip())
        entry.add("url", url)
        entry.add("categories", [event.get_kind_display()])
        cancelled = event.status == EventStatus.CANCELLED
        entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(entry)
    return calendar.to_ical()
