"""The waiting list in a real browser: a visitor waits for a full event, someone cancels from
the e-mail link, the visitor is promoted and e-mailed, the organiser marks attendance on a
phone."""

import re

import pytest
from django.core import mail

from hub.agenda.registrations import confirm_visitor, register
from hub.models import Registration, RegistrationStatus
from tests.browser.conftest import horizontal_overflow
from tests.hub.event_factories import EventFactory, OrganiserFactory
from tests.hub.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def link_in(message) -> str:
    """The path of the first link of an e-mail (the live server's host differs)."""
    url = re.search(r"http://testserver(/\S+)", message.body).group(1)
    return url


def last_mail_to(address: str):
    return [message for message in mail.outbox if message.to == [address]][-1]


def test_waiting_list_promotion_and_attendance_on_a_phone(page, phone):
    organiser = OrganiserFactory(structure__name="Opale Vélo Services")
    event = EventFactory(title="Atelier réparation vélo", structure=organiser.structure, capacity=1)
    confirm_visitor(register(event, name="Ana Dupont", email="ana@exemple.fr"))

    # A visitor finds the event full and joins the waiting list.
    page.goto(page.base_url + "/agenda/")
    page.get_by_role("link", name="Atelier réparation vélo").click()
    assert page.get_by_text("Complet — liste d'attente").first.is_visible()
    page.get_by_label("Votre nom").fill("Karim Benali")
    page.get_by_label("Votre adresse e-mail").fill("karim@exemple.fr")
    page.get_by_role("button", name="M'inscrire sur la liste d'attente").click()
    assert page.get_by_text("ouvrez le lien envoyé à karim@exemple.fr").is_visible()

    page.goto(page.base_url + link_in(last_mail_to("karim@exemple.fr")))
    page.get_by_role("button", name="Confirmer mon inscription").click()
    assert page.get_by_text("Liste d'attente, position 1").is_visible()
    assert "position 1 sur la liste d'attente" in last_mail_to("karim@exemple.fr").body

    # Ana cancels from the link of her confirmation e-mail, without an account.
    cancel_page = page.context.new_page()
    cancel_page.goto(page.base_url + link_in(last_mail_to("ana@exemple.fr")))
    cancel_page.get_by_role("button", name="Annuler mon inscription").click()
    assert cancel_page.get_by_text("Votre inscription est annulée").is_visible()

    # Karim got the seat and an e-mail saying so.
    promoted = last_mail_to("karim@exemple.fr")
    assert promoted.subject.startswith("Une place s'est libérée")
    page.reload()
    assert page.get_by_text("Confirmée").is_visible()

    # On the day, the organiser marks Karim present from a phone.
    phone.goto(phone.base_url + "/comptes/login/")
    phone.get_by_label("Courriel").fill(organiser.user.email)
    phone.get_by_label("Mot de passe :", exact=True).fill(PASSWORD)
    phone.get_by_role("button", name="Connexion").click()
    phone.wait_for_url(phone.base_url + "/")
    phone.goto(phone.base_url + f"/agenda/organisation/{event.pk}/")
    present = phone.get_by_role("button", name="Présent·e : Karim Benali")
    assert present.bounding_box()["height"] >= 44
    present.tap()

    pressed = phone.get_by_role("button", name="Présent·e : Karim Benali")
    pressed.and_(phone.locator("[aria-pressed=true]")).wait_for()
    assert phone.get_by_text("1 personne présente sur 1 places confirmées").is_visible()
    assert horizontal_overflow(phone) == 0
    karim = Registration.objects.get(email="karim@exemple.fr")
    assert (karim.status, karim.attended) == (RegistrationStatus.CONFIRMED, True)
