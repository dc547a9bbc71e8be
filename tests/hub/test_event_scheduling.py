"""Creating, moving and cancelling events: rooms booked through the registry, series, rights."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hub.agenda.scheduling import Repeat, cancel_event, create_event, update_event
from hub.exceptions import Conflict
from hub.models import Event, EventSeries, EventStatus, RegistrationStatus
from hub.roles import Role
from tests.hub.event_factories import EventFactory, OrganiserFactory, RegistrationFactory
from tests.hub.factories import StaffFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def animator():
    return StaffFactory(roles=[Role.ANIMATION])


def new_event(**fields) -> Event:
    start = fields.pop("start", timezone.now() + timedelta(days=5))
    values = {
        "title": "Atelier numérique",
        "kind": "digital_workshop",
        "structure": fields.pop("structure", None) or StructureFactory(),
        "place": "",
        "start": start,
        "end": start + timedelta(hours=2),
        "capacity": 12,
        **fields,
    }
    return Event(**values)


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def test_an_event_in_a_room_books_the_room(rooms, animator):
    [event] = create_event(new_event(room_key="salle-galilee"), by=animator)

    assert event.room_label == "Salle Galilée"
    assert event.location == "Salle Galilée"
    assert rooms.bookings[event.room_booking][0] == "salle-galilee"


def test_a_taken_room_refuses_the_event_with_the_bookers_message_and_saves_nothing(rooms, animator):
    start = timezone.now() + timedelta(days=5)
    rooms.book("salle-galilee", start, start + timedelta(hours=3), "Réunion", None)

    with pytest.raises(Conflict, match="déjà réservée sur ce créneau") as error:
        create_event(new_event(room_key="salle-galilee", start=start), by=animator)

    assert error.value.field == "room"
    assert not Event.objects.exists()


def test_an_unknown_room_is_refused(rooms, animator):
    with pytest.raises(ValidationError) as error:
        create_event(new_event(room_key="cave"), by=animator)
    assert "room" in error.value.message_dict


def test_cancelling_an_event_frees_its_room_and_tells_participants(
    rooms, animator, django_capture_on_commit_callbacks
):
    [event] = create_event(new_event(room_key="salle-galilee"), by=animator)
    RegistrationFactory(event=event, email="ana@exemple.fr")
    RegistrationFactory(event=event, email="bruno@exemple.fr", status=RegistrationStatus.WAITING)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_event(event, by=animator)

    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert rooms.bookings == {}
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@exemple.fr", "bruno@exemple.fr"]
    assert mail.outbox[0].subject.startswith("Événement annulé")


def test_moving_an_event_rebooks_its_room_and_tells_participants(
    rooms, animator, django_capture_on_commit_callbacks
):
    [event] = create_event(new_event(room_key="salle-galilee"), by=animator)
    RegistrationFactory(event=event, email="ana@exemple.fr")
    old_reference = event.room_booking

    event.start += timedelta(hours=1)
    event.end += timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        update_event(event, by=animator)

    event.refresh_from_db()
    assert old_reference not in rooms.bookings
    assert rooms.bookings[event.room_booking][1] == event.start
    assert mail.outbox[0].subject.startswith("Changement d'horaire ou de lieu")


def test_moving_into_a_taken_slot_is_refused_and_the_event_keeps_its_date(rooms, animator):
    [event] = create_event(new_event(room_key="salle-galilee"), by=animator)
    original_start = event.start
    rooms.book("atelier-mic", event.start, event.end, "Autre", None)

    event.room_key = "atelier-mic"
    with pytest.raises(Conflict, match="déjà réservée"):
        update_event(event, by=animator)

    event.refresh_from_db()
    assert (event.room_key, event.start) == ("salle-galilee", original_start)


def test_a_capacity_below_the_confirmed_seats_is_refused(animator):
    event = EventFactory(capacity=5)
    RegistrationFactory(event=event, seats=4)

    event.capacity = 3
    with pytest.raises(ValidationError, match="4 places sont déjà confirmées"):
        update_event(event, by=animator)
    assert Event.objects.get(pk=event.pk).capacity == 5


def test_more_seats_go_to_the_waiting_list_in_order(animator, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    first = RegistrationFactory(event=event, status=RegistrationStatus.WAITING, seats=2)
    second = RegistrationFactory(event=event, status=RegistrationStatus.WAITING)

    event.capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        update_event(event, by=animator)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (RegistrationStatus.CONFIRMED, "waiting")
    assert [m.to[0] for m in mail.outbox] == [first.email]


def test_every_first_thursday_makes_one_event_per_month_at_the_same_local_time(rooms, animator):
    first_thursday = date(2030, 1, 3)
    event = new_event(start=at(first_thursday, 18), room_key="salle-galilee")

    created = create_event(event, by=animator, repeat=Repeat("monthly", date(2030, 6, 30)))

    days = [timezone.localtime(e.start).date() for e in created]
    assert days == [date(2030, m, d) for m, d in [(1, 3), (2, 7), (3, 7), (4, 4), (5, 2), (6, 6)]]
    # 18:00 in Calais before and after the switch to summer time.
    assert {timezone.localtime(e.start).hour for e in created} == {18}
    assert len(rooms.bookings) == 6
    series = EventSeries.objects.get()
    assert series.describe() == "chaque premier jeudi du mois"
    assert {e.series_id for e in created} == {series.pk}


def test_a_weekly_series_stops_at_its_last_date(animator):
    monday = date(2030, 1, 7)
    created = create_event(
        new_event(start=at(monday, 10), place="Ferme urbaine"),
        by=animator,
        repeat=Repeat("weekly", date(2030, 1, 28)),
    )
    assert len(created) == 4
    assert EventSeries.objects.get().describe() == "chaque lundi"


def test_a_series_with_one_taken_date_is_refused_whole(rooms, animator):
    taken = at(date(2030, 3, 7), 17)
    rooms.book("salle-galilee", taken, taken + timedelta(hours=4), "Conseil", None)

    with pytest.raises(Conflict, match="7 mars 2030 : Cette salle est déjà réservée"):
        create_event(
            new_event(start=at(date(2030, 1, 3), 18), room_key="salle-galilee"),
            by=animator,
            repeat=Repeat("monthly", date(2030, 6, 30)),
        )

    assert not Event.objects.exists()
    assert not EventSeries.objects.exists()


def test_cancelling_a_date_and_the_following_ones_of_a_series(animator):
    created = create_event(
        new_event(start=at(date(2030, 1, 7), 10), place="Anima"),
        by=animator,
        repeat=Repeat("weekly", date(2030, 1, 28)),
    )

    cancel_event(created[1], by=animator, following=True)

    statuses = list(Event.objects.order_by("start").values_list("status", flat=True))
    assert statuses == ["published", "cancelled", "cancelled", "cancelled"]


def test_a_structure_organiser_creates_events_for_their_structure_only():
    organiser = OrganiserFactory()
    other = StructureFactory()

    created = create_event(
        new_event(structure=organiser.structure, place="Anima"), by=organiser.user
    )
    assert created[0].created_by == organiser.user

    with pytest.raises(PermissionDenied):
        create_event(new_event(structure=other, place="Anima"), by=organiser.user)
    with pytest.raises(PermissionDenied):
        create_event(new_event(place="Anima"), by=UserFactory())


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"place": "", "room_key": ""}, "Indiquez un lieu"),
        ({"capacity": 0}, "supérieure ou égale à 1"),
        ({"price": -2}, "supérieure ou égale à 0"),
    ],
)
def test_bad_events_are_refused_with_nothing_saved(animator, fields, message):
    with pytest.raises(ValidationError, match=message):
        create_event(new_event(**{"place": "Anima", **fields}), by=animator)
    assert not Event.objects.exists()


def test_an_event_ending_before_it_starts_is_refused(animator):
    event = new_event(place="Anima")
    event.end = event.start - timedelta(hours=1)

    with pytest.raises(ValidationError, match="La fin doit être après le début"):
        create_event(event, by=animator)
