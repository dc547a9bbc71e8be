"""Factories for the agenda: events starting in a few days, registrations, organisers."""

from datetime import timedelta

import factory
from django.db import models
from django.utils import timezone

from hub.models import Event, EventKind, Registration, RegistrationStatus, StructureOrganiser
from tests.hub.factories import StructureFactory, UserFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Café de l'ESS n°{n}")
    kind = EventKind.CAFE_ESS
    structure = factory.SubFactory(StructureFactory)
    place = "Pôle Anima, Calais"
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    end = factory.LazyAttribute(lambda event: event.start + timedelta(hours=2))
    capacity = 20


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration written directly, for pages and figures; services are tested apart."""

    class Meta:
        model = Registration
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    name = factory.Faker("name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"participant{n}@exemple.fr")
    seats = 1
    status = RegistrationStatus.CONFIRMED
    queued_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def hold_seats(self, create, extracted, **kwargs):
        """Keep the event's seat counter true, as the registration service would."""
        if create and self.status == RegistrationStatus.CONFIRMED:
            Event.objects.filter(pk=self.event_id).update(
                confirmed_seats=models.F("confirmed_seats") + self.seats
            )
            self.event.refresh_from_db()


class OrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StructureOrganiser

    structure = factory.SubFactory(StructureFactory)
    user = factory.SubFactory(UserFactory)
