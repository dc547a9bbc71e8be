"""Scheduled reminders, holidays, the dashboard panel, impact figures and the demo seeder."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from coworking import demo, tasks
from coworking.models import (
    BookingSource,
    BookingStatus,
    Closure,
    OccupancyAgreement,
    Resource,
    Space,
)
from coworking.services import reminders, stats
from hub.registry import registry
from hub.roles import Role
from tests.coworking.factories import (
    AgreementFactory,
    BookingFactory,
    DeskPoolFactory,
    LeaseFactory,
    SpaceFactory,
    at,
)
from tests.hub.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_tomorrows_bookings_are_reminded_once_even_if_the_job_runs_twice():
    booking = BookingFactory(start=at(1, 10))
    BookingFactory(start=at(2, 10))
    BookingFactory(start=at(1, 14), status=BookingStatus.CANCELLED)
    BookingFactory(start=at(1, 16), source=BookingSource.EVENT)

    tasks.send_booking_reminders.delay()
    tasks.send_booking_reminders.delay()

    assert [m.to for m in mail.outbox] == [[booking.user.email]]
    assert "Rappel" in mail.outbox[0].subject


def test_the_team_is_told_about_leases_ending_within_two_months_once():
    team = StaffFactory(roles=[Role.COWORKING])
    ending = LeaseFactory(end_date=timezone.localdate() + timedelta(days=50))
    LeaseFactory(end_date=timezone.localdate() + timedelta(days=120))

    reminders.send_lease_reminders()
    reminders.send_lease_reminders()

    assert [m.to for m in mail.outbox] == [[team.email]]
    assert ending.studio.name in mail.outbox[0].subject


def test_a_lease_already_followed_by_the_next_one_is_not_reminded():
    StaffFactory(roles=[Role.COWORKING])
    ending = LeaseFactory(end_date=timezone.localdate() + timedelta(days=50))
    LeaseFactory(
        studio=ending.studio,
        start_date=ending.end_date + timedelta(days=1),
        end_date=ending.end_date + timedelta(days=366),
    )

    assert reminders.send_lease_reminders() == 0


def test_the_holder_and_the_team_are_told_before_an_agreement_ends():
    team = StaffFactory(roles=[Role.COWORKING])
    agreement = AgreementFactory(end_date=timezone.localdate() + timedelta(days=20))
    AgreementFactory(end_date=timezone.localdate() + timedelta(days=90))

    reminders.send_agreement_reminders()
    reminders.send_agreement_reminders()

    assert sorted(m.to[0] for m in mail.outbox) == sorted([agreement.holder.email, team.email])


def test_public_holidays_become_closures_once():
    assert reminders.add_public_holidays(2027) == 11
    assert reminders.add_public_holidays(2027) == 0

    closure = Closure.objects.get(start_date=date(2027, 5, 17))
    assert closure.reason == "Lundi de Pentecôte"
    assert closure.space is None


def test_the_periodic_tasks_are_created_after_migrate():
    names = set(PeriodicTask.objects.values_list("task", flat=True))

    assert {
        "coworking.tasks.send_booking_reminders",
        "coworking.tasks.send_lease_reminders",
        "coworking.tasks.send_agreement_reminders",
        "coworking.tasks.add_next_year_public_holidays",
    } <= names


def test_the_dashboard_panel_counts_what_the_team_has_to_do():
    LeaseFactory(end_date=timezone.localdate() + timedelta(days=50))
    AgreementFactory(end_date=timezone.localdate() + timedelta(days=10))
    panel = next(p for p in registry.dashboard if p.role == Role.COWORKING)

    lines = {line.label: line for line in panel.lines(StaffFactory(roles=[Role.COWORKING]))}

    assert lines["Candidatures Atelier 8 à examiner"].count == 0
    assert lines["Baux d'ateliers qui finissent dans les deux mois"].count == 1
    assert lines["Conventions Atelier 8 qui finissent dans le mois"].count == 1
    assert all(line.url.startswith("/") for line in lines.values())


def test_impact_gives_occupancy_rates_and_a_count_only():
    space = SpaceFactory(kind="coworking")
    pool = DeskPoolFactory(space=space, capacity=2)
    BookingFactory(resource=pool, start=at(2, 8), end=at(2, 20))
    day = timezone.localdate() + timedelta(days=2)
    incubator = DeskPoolFactory(capacity=2, booking_mode="agreement", space__kind="incubator")
    AgreementFactory(resource=incubator, start_date=day, end_date=day)

    figures = {i.key: i for i in stats.impact_indicators(day, day)}

    assert figures["coworking_occupancy"].value == 50
    assert figures["atelier8_occupancy"].value == 50
    assert figures["coworking_bookings"].value == 1
    assert {type(i.value).__name__ for i in figures.values()} <= {"int", "Decimal"}


def test_the_demo_seeder_is_idempotent_and_gives_the_coworker_login():
    logins = demo.seed()
    demo.seed()

    assert ("Coworkeur·se (Le Lieu Commun)", "coworker@demo.anima-calais.fr") in [
        (who, email) for who, email, _password in logins
    ]
    assert Space.objects.count() == 3
    assert Resource.objects.get(name="Plateau de coworking").capacity == 12
    assert Resource.objects.filter(kind="studio").count() == 8
    assert OccupancyAgreement.objects.count() == 1
    assert Closure.objects.filter(space=None).count() >= 11
