"""iCalendar feeds (RFC 5545) of a person's bookings and of a resource's planning."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from coworking.models import Booking, Resource

PAST_DAYS = 60


def _calendar(name: str, bookings, summary) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Anima Calais//Espaces//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for booking in bookings:
        event = Event()
        event.add("uid", f"{booking.reference}@anima-calais.fr")
        event.add("dtstamp", booking.created_at)
        event.add("dtstart", booking.start)
        event.add("dtend", booking.end)
        event.add("summary", summary(booking))
        event.add(
            "location", f"{booking.resource.name}, {booking.resource.space.name}, Anima Calais"
        )
        calendar.add_component(event)
    return calendar.to_ical()


def _recent(queryset):
    since = timezone.now() - timedelta(days=PAST_DAYS)
    return queryset.active().filter(end__gte=since).select_related("resource__space", "user")


def person_feed(user) -> bytes:
    """The person's confirmed bookings of the last two months and to come."""
    bookings = _recent(Booking.objects.filter(user=user))
    return _calendar(
        _("Mes réservations — Anima"),
        bookings,
        lambda b: f"{b.resource.name} ({b.resource.space.name})",
    )


def resource_feed(resource: Resource) -> bytes:
    """The planning of one resource with who booked it, for the coworking team."""
    bookings = _recent(Booking.objects.filter(resource=resource))
    return _calendar(
        f"{resource.name} — {resource.space.name}",
        bookings,
        lambda b: b.title or b.user.get_full_name() or b.user.email,
    )
