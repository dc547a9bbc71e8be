from datetime import datetime, time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from coworking.models import (
    Application,
    Booking,
    BookingMode,
    OccupancyAgreement,
    OpeningHours,
    Pass,
    PassKind,
    Rate,
    RateTier,
    Resource,
    ResourceKind,
    Space,
    SpaceKind,
    StudioLease,
)
from tests.hub.factories import UserFactory


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """An aware datetime ``days`` from today at ``hour`` in Calais."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Espace {n}")
    slug = factory.Sequence(lambda n: f"espace-{n}")
    kind = SpaceKind.COWORKING
    free_cancellation_hours = 24
    late_cancellation_percent = 100

    @factory.post_generation
    def hours(self, create, extracted, **kwargs):
        """Open every day 8:00–20:00 unless told otherwise (tests run any day of the week)."""
        if not create:
            return
        for weekday, opens, closes in extracted or [(d, time(8), time(20)) for d in range(7)]:
            OpeningHours.objects.create(space=self, weekday=weekday, opens=opens, closes=closes)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    space = factory.SubFactory(SpaceFactory)
    name = factory.Sequence(lambda n: f"Salle {n}")
    kind = ResourceKind.MEETING_ROOM
    capacity = 1
    slot_minutes = 60
    booking_mode = BookingMode.ONLINE


class DeskPoolFactory(RoomFactory):
    name = factory.Sequence(lambda n: f"Postes {n}")
    kind = ResourceKind.DESK_POOL
    capacity = 3


class RateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rate

    resource = factory.SubFactory(RoomFactory)
    tier = RateTier.STANDARD
    hourly = Decimal("5.00")
    half_day = Decimal("15.00")
    day = Decimal("25.00")


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking written directly (test setup only; the site books through the services)."""

    class Meta:
        model = Booking

    resource = factory.SubFactory(RoomFactory)
    user = factory.SubFactory(UserFactory)
    start = factory.LazyFunction(lambda: at(1, 10))
    end = factory.LazyAttribute(lambda booking: booking.start + timedelta(hours=1))
    exclusive = factory.LazyAttribute(lambda booking: booking.resource.capacity == 1)


class PassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pass

    user = factory.SubFactory(UserFactory)
    kind = PassKind.CARD
    credits = 10
    valid_from = factory.LazyFunction(timezone.localdate)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))
    price = Decimal("150.00")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    applicant = factory.SubFactory(UserFactory)
    project_title = "Sérigraphie textile"
    project = "Créer un atelier de sérigraphie sur textiles de récupération."
    needs = "Un poste et un peu de stockage pour les écrans."
    wants_desk = True
    job_seeker_since = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=200))
    availability = "Du lundi au vendredi"


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OccupancyAgreement

    application = factory.SubFactory(ApplicationFactory, status="accepted")
    holder = factory.LazyAttribute(lambda agreement: agreement.application.applicant)
    resource = factory.SubFactory(
        DeskPoolFactory, booking_mode=BookingMode.AGREEMENT, space__kind=SpaceKind.INCUBATOR
    )
    start_date = factory.LazyFunction(timezone.localdate)
    end_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=180))


class StudioFactory(RoomFactory):
    name = factory.Sequence(lambda n: f"Atelier {n}")
    kind = ResourceKind.STUDIO
    booking_mode = BookingMode.LEASE
    space = factory.SubFactory(SpaceFactory, kind=SpaceKind.STUDIOS)


class LeaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudioLease

    studio = factory.SubFactory(StudioFactory)
    tenant = factory.SubFactory(UserFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=300))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=65))
    monthly_rent = Decimal("180.00")
    deposit = Decimal("360.00")


class PassOfferFactory(factory.django.DjangoModelFactory):
    """The 10-day card of a coworking space, sold online."""

    class Meta:
        model = "coworking.PassOffer"

    space = factory.SubFactory(SpaceFactory)
    kind = PassKind.CARD
    credits = 10
    validity_days = 365
    price = Decimal("150.00")
    solidarity_price = Decimal("75.00")
