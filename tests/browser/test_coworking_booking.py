"""Booking desks and rooms, and Atelier 8 from application to free bookings, on a phone."""

import re
from datetime import time, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from coworking.models import (
    BookingMode,
    OpeningHours,
    Rate,
    Resource,
    ResourceKind,
    Space,
    SpaceKind,
)
from coworking.services.schedule import at
from hub.roles import Role
from tests.browser.conftest import PHONE, SAFETY_NET_MS, horizontal_overflow
from tests.hub.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TOMORROW = lambda: timezone.localdate() + timedelta(days=1)  # noqa: E731


@pytest.fixture
def spaces():
    coworking = Space.objects.create(
        name="Le Lieu Commun", slug="le-lieu-commun", kind=SpaceKind.COWORKING
    )
    incubator = Space.objects.create(name="Atelier 8", slug="atelier-8", kind=SpaceKind.INCUBATOR)
    for space in (coworking, incubator):
        for weekday in range(7):
            OpeningHours.objects.create(
                space=space, weekday=weekday, opens=time(9), closes=time(18)
            )
    desks = Resource.objects.create(
        space=coworking, name="Plateau de coworking", kind=ResourceKind.DESK_POOL, capacity=12
    )
    room = Resource.objects.create(
        space=coworking, name="Salle de réunion", kind=ResourceKind.MEETING_ROOM
    )
    incubator_desks = Resource.objects.create(
        space=incubator,
        name="Postes Atelier 8",
        kind=ResourceKind.DESK_POOL,
        capacity=4,
        booking_mode=BookingMode.AGREEMENT,
    )
    for resource in (desks, room, incubator_desks):
        Rate.objects.create(
            resource=resource, tier="standard", hourly="3.00", half_day="10.00", day="18.00"
        )
    return desks, room, incubator_desks


def signed_in(browser, live_server, user):
    """A new 360 px phone whose browser is signed in as ``user``."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR")
    context.set_default_timeout(SAFETY_NET_MS)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.base_url = live_server.url
    return page


def open_week(page, name):
    page.goto(page.base_url + "/espaces/")
    page.get_by_role("link", name=name).click()
    show_tomorrow(page)


def show_tomorrow(page):
    """Go to next week's page when tomorrow is not on this one (today is Sunday)."""
    page.get_by_role("heading", level=1).wait_for()
    if tomorrow_section(page).count() == 0:
        page.get_by_role("link", name="Semaine suivante").click()


def tomorrow_section(page):
    label = f"{TOMORROW():%d}".lstrip("0")
    return page.locator("section.day").filter(
        has=page.get_by_role("heading", name=re.compile(rf"\b{label}\b"))
    )


def test_two_people_share_the_desks_and_the_meeting_room(browser, live_server, spaces):
    desks, room, _incubator = spaces
    first = signed_in(browser, live_server, UserFactory(first_name="Léa"))
    second = signed_in(browser, live_server, UserFactory(first_name="Malik"))

    # Léa books a desk for tomorrow morning, from 9:00 to 13:00.
    open_week(first, "Plateau de coworking")
    assert horizontal_overflow(first) == 0
    tomorrow_section(first).get_by_role("link", name=re.compile("^09:00")).click()
    first.get_by_label("Jusqu'à").select_option(at(TOMORROW(), time(13)).isoformat())
    assert horizontal_overflow(first) == 0
    first.get_by_role("button", name="Réserver").click()
    assert first.get_by_text(re.compile("est réservé")).is_visible()
    assert horizontal_overflow(first) == 0

    # Malik sees one desk fewer tomorrow morning.
    open_week(second, "Plateau de coworking")
    day = tomorrow_section(second)
    assert day.get_by_role("link", name=re.compile("^09:00.*11 places libres")).is_visible()
    assert day.get_by_role("link", name=re.compile("^14:00.*12 places libres")).is_visible()

    # Both want the meeting room at 15:00: Malik opens the form, Léa books first.
    open_week(second, "Salle de réunion")
    tomorrow_section(second).get_by_role("link", name=re.compile("^15:00")).click()
    open_week(first, "Salle de réunion")
    tomorrow_section(first).get_by_role("link", name=re.compile("^15:00")).click()
    first.get_by_role("button", name="Réserver").click()
    assert first.get_by_text(re.compile("est réservé")).is_visible()
    second.get_by_role("button", name="Réserver").click()
    assert second.get_by_role("alert").filter(has_text="déjà réservé").is_visible()
    open_week(second, "Salle de réunion")
    assert (
        "complet" in tomorrow_section(second).locator("li", has_text="15:00 – 16:00").inner_text()
    )


def test_a_job_seeker_applies_staff_accept_and_bookings_there_are_free(
    browser, live_server, spaces
):
    _desks, _room, incubator_desks = spaces
    applicant = signed_in(
        browser, live_server, UserFactory(first_name="Yasmine", last_name="Haddad")
    )
    staff = signed_in(browser, live_server, StaffFactory(roles=[Role.COWORKING]))

    applicant.goto(applicant.base_url + "/espaces/")
    applicant.get_by_role("link", name="Candidater à Atelier 8").click()
    applicant.get_by_label("Nom du projet").fill("Couture zéro déchet")
    applicant.get_by_label("Le projet").fill("Retouches et créations en tissus de récupération.")
    applicant.get_by_label("Besoins").fill("Un poste et du stockage.")
    applicant.get_by_label("Un poste de travail").check()
    applicant.get_by_label("Inscrit·e comme demandeur·se d'emploi depuis").fill("2025-09-01")
    applicant.get_by_label("Je certifie").check()
    applicant.get_by_label("Disponibilités").fill("Du lundi au jeudi")
    assert horizontal_overflow(applicant) == 0
    applicant.get_by_role("button", name="Envoyer ma candidature").click()
    assert applicant.get_by_text("Envoyée", exact=True).first.is_visible()

    staff.goto(staff.base_url + "/espaces/equipe/candidatures/")
    staff.get_by_role("link", name="Couture zéro déchet").click()
    staff.get_by_label("Ressource mise à disposition").select_option(label=str(incubator_desks))
    staff.get_by_label("Message à la personne candidate").last.fill("Bienvenue à Atelier 8 !")
    staff.get_by_role("button", name="Accepter la candidature").click()
    assert staff.get_by_text("Candidature mise à jour").is_visible()

    applicant.reload()
    assert applicant.get_by_text("Bienvenue à Atelier 8 !").is_visible()
    applicant.get_by_role("link", name="Voir la convention").click()
    assert applicant.get_by_role("heading", name=re.compile("Convention d'occupation")).is_visible()
    assert horizontal_overflow(applicant) == 0
    applicant.get_by_role("link", name=re.compile("Réserver Postes Atelier 8")).click()
    show_tomorrow(applicant)
    tomorrow_section(applicant).get_by_role("link", name=re.compile("^09:00")).click()
    assert applicant.get_by_text("Gratuit : votre convention Atelier 8").is_visible()
    applicant.get_by_label("Jusqu'à").select_option(at(TOMORROW(), time(13)).isoformat())
    applicant.get_by_role("button", name="Réserver").click()
    card = applicant.locator("li.card", has_text="Postes Atelier 8")
    assert "gratuit" in card.inner_text()
