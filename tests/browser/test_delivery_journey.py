"""In Chromium: dispatch plans and publishes a round on the board; on a 360 px phone the
courier sees it, records pickups, a delivery with a photo and a failure; dispatch sees the
failure and re-plans it; the shopper's order page shows each step."""

import re
from datetime import datetime, time, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from PIL import Image

from delivery.models import Delivery, DeliverySlot, DeliveryStatus, Pickup
from shop import services as shop
from tests.browser.conftest import PHONE, SAFETY_NET_MS, horizontal_overflow
from tests.delivery.factories import CargoBikeFactory, CourierFactory, DeliverySlotFactory
from tests.hub.factories import PASSWORD, StaffFactory, UserFactory
from tests.shop.factories import MerchantFactory, ProductFactory, place

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, email, next_path):
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/comptes/login/?next={next_path}")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe :", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def fits(page):
    assert horizontal_overflow(page) == 0, page.url


def wait_done(phone, count: int):
    """Until the page, refreshed from the server, shows ``count`` stops done."""
    phone.locator("li.stop-done").nth(count - 1).wait_for()


def jpeg() -> bytes:
    output = BytesIO()
    Image.new("RGB", (3000, 2000), "steelblue").save(output, format="JPEG")
    return output.getvalue()


@pytest.fixture
def today_orders():
    """Two orders of one shopper for a slot of today, every shop's part ready."""
    shopper = UserFactory(email="camille@exemple.fr", phone="06 12 34 56 78")
    bakery = MerchantFactory(
        name="Boulangerie du Beffroi", address="12 Boulevard Jacquard, 62100 Calais"
    )
    butcher = MerchantFactory(
        name="Boucherie Lafayette", address="30 Boulevard Lafayette, 62100 Calais"
    )
    bread = ProductFactory(merchant=bakery, name="Pain au levain")
    pate = ProductFactory(merchant=butcher, name="Pâté de campagne")
    slot = DeliverySlotFactory(days=1)
    first = place(shopper, (bread, 2), (pate, 1), slot=slot.pk, key="a", note="Sonner deux fois")
    second = place(
        shopper, (bread, 1), slot=slot.pk, key="b", address="44 Boulevard Gambetta, 62100 Calais"
    )
    for order in (first, second):
        for part in order.merchant_orders.select_related("order", "merchant"):
            shop.mark_part_ready(shop.accept_part(part))
    # The slot was booked ahead; the test rides it today.
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time(10)))
    DeliverySlot.objects.filter(pk=slot.pk).update(
        date=today, start=start, end=start + timedelta(hours=2), cutoff=start - timedelta(hours=2)
    )
    # Ready since the morning: the plan is the same whatever the hour the test runs at.
    Pickup.objects.update(ready_at=start - timedelta(hours=2))
    return shopper, first, second


@pytest.fixture
def shopper_phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True)
    context.set_default_timeout(SAFETY_NET_MS)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def test_a_round_from_the_board_to_the_door_and_back_to_the_board(
    page, phone, shopper_phone, today_orders
):
    shopper, first, second = today_orders
    courier = CourierFactory(user=UserFactory(first_name="Mehdi", last_name="Ait-Ali"))
    CargoBikeFactory(name="Le Goéland")
    dispatcher = StaffFactory(roles=["dispatch"])
    later = DeliverySlotFactory(days=2)

    # Dispatch: a round on the slot, both deliveries, optimised, published.
    sign_in(page, dispatcher.email, "/livraisons/regulation/")
    page.locator("summary", has_text="Nouvelle tournée sur ce créneau").click()
    page.get_by_role("button", name="Créer la tournée").click()
    page.get_by_text("Tournée de Mehdi Ait-Ali créée.").wait_for()
    page.get_by_label(f"Choisir la commande {first.number}").check()
    page.get_by_label(f"Choisir la commande {second.number}").check()
    page.get_by_role("button", name="Ajouter à la tournée").click()
    page.get_by_text("2 livraisons ajoutées").wait_for()
    page.get_by_role("button", name=re.compile("^Optimiser")).click()
    # A worker computes the plan (eager here); the board shows it, then dispatch applies it.
    page.get_by_role("button", name="Appliquer").click()
    page.get_by_text(re.compile(r"Optimisation : 1 tournée\(s\), [\d,]+ km")).wait_for()
    page.get_by_role("button", name=re.compile("^Publier")).click()
    page.get_by_text(re.compile("Tournée publiée")).wait_for()

    # Shopper: the order page says how many stops are ahead.
    sign_in(shopper_phone, shopper.email, first.get_absolute_url())
    assert shopper_phone.get_by_text(re.compile(r"\d+ arrêts? avant vous")).is_visible()
    fits(shopper_phone)

    # Courier on the phone: the round, pickups, a delivery with a photo.
    sign_in(phone, courier.user.email, "/coursier/")
    fits(phone)
    stops = phone.locator("li.stop")
    assert stops.count() == 5
    pickups = phone.get_by_role("button", name=re.compile("^Récupéré"))
    for done in range(1, 4):
        pickups.first.click()
        wait_done(phone, done)
    assert Delivery.objects.get(order_number=first.number).status == DeliveryStatus.IN_TRANSIT

    shopper_phone.reload()
    assert shopper_phone.get_by_text("En route", exact=True).first.is_visible()

    first_card = phone.locator("li.stop", has_text="commande " + first.number).filter(
        has=phone.locator("summary", has_text="Livré")
    )
    first_card.locator("summary", has_text="Livré").click()
    first_card.get_by_label(re.compile("J'ai encaissé")).check()
    first_card.get_by_label("Photo (facultatif)").set_input_files(
        files=[{"name": "porte.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    first_card.get_by_role("button", name="Enregistrer la livraison").click()
    wait_done(phone, 4)
    delivered = Delivery.objects.get(order_number=first.number)
    assert delivered.status == DeliveryStatus.DELIVERED and delivered.proof_photo

    # ...and a failure at the second door.
    second_card = phone.locator("li.stop", has_text="commande " + second.number).filter(
        has=phone.locator("summary", has_text="Échec")
    )
    second_card.locator("summary", has_text="Échec").click()
    second_card.get_by_label("Motif").select_option(label="Destinataire absent")
    second_card.get_by_role("button", name="Enregistrer l'échec").click()
    phone.locator("li.stop-failed").wait_for()
    phone.get_by_text("Terminée").first.wait_for()
    fits(phone)

    shopper_phone.goto(shopper_phone.base_url + first.get_absolute_url())
    assert shopper_phone.get_by_text("Commande livrée.").is_visible()
    shopper_phone.goto(shopper_phone.base_url + second.get_absolute_url())
    assert shopper_phone.get_by_text("Livraison impossible : Destinataire absent.").is_visible()
    assert shopper_phone.get_by_text("Échec de livraison").first.is_visible()

    # Dispatch sees the failure at once and re-plans it in a later slot.
    page.goto(page.base_url + "/livraisons/regulation/")
    failures = page.locator("#failures")
    assert failures.get_by_text("Destinataire absent").is_visible()
    failures.get_by_role("link", name=f"Commande {second.number}").click()
    assert page.get_by_role("cell", name="Application coursier").first.is_visible()
    page.get_by_label("Nouveau créneau").select_option(value=str(later.pk))
    page.get_by_role("button", name="Reprogrammer et prévenir le client").click()
    page.get_by_text(re.compile("reprogrammée ; le client est prévenu")).wait_for()

    shopper_phone.reload()
    assert shopper_phone.get_by_text(re.compile("Nouvelle livraison prévue le")).first.is_visible()
    assert shopper_phone.get_by_text("Nouvelle tentative de livraison prévue.").is_visible()
    fits(shopper_phone)


def test_the_board_fits_a_phone_too(phone, today_orders):
    dispatcher = StaffFactory(roles=["dispatch"])
    sign_in(phone, dispatcher.email, "/livraisons/regulation/")
    fits(phone)
    phone.goto(phone.base_url + "/livraisons/chiffres/")
    fits(phone)
