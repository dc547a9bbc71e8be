"""In Chromium at 360 px, against the local Stripe stand-in (its hosted page, its webhooks sent
to the live server): a shopper pays a basket from three shops online, one shop refuses and the
shopper sees the partial capture and the release; a coworker buys a 10-day card online and
books a desk with it."""

import copy
import re
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coworking.models import PassKind, PassOffer, Rate, Resource, ResourceKind
from coworking.services.schedule import at
from delivery.models import FeeRule
from hub.models import Payment
from hub.tasks import settle_payment
from shop import services
from tests.browser.conftest import horizontal_overflow
from tests.browser.test_coworking_booking import show_tomorrow, signed_in, tomorrow_section
from tests.coworking.factories import SpaceFactory
from tests.delivery.factories import DeliverySlotFactory
from tests.hub.factories import UserFactory
from tests.hub.stripe_standin import StripeStandIn
from tests.shop.factories import MerchantFactory, ProductFactory, basket_with, connect

pytestmark = pytest.mark.django_db(transaction=True)


def _payments_through(live_server, settings, deliver: str):
    """A started stand-in taking the online payments, its webhooks sent as ``deliver`` says."""
    standin = StripeStandIn(webhook_url=live_server.url + "/paiement/webhook/", deliver=deliver)
    standin.start()
    settings.STRIPE_SECRET_KEY = standin.api_key
    settings.STRIPE_WEBHOOK_SECRET = standin.webhook_secret
    settings.STRIPE_API_BASE = standin.url
    settings.PAYMENTS_NETWORK_RETRIES = 0
    settings.SITE_URL = live_server.url
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = ["'self'", standin.url]
    settings.CONTENT_SECURITY_POLICY = policy
    return standin


@pytest.fixture
def stand_in(live_server, settings):
    """Online payment on: the stand-in's pages for the browser, its webhooks to the server."""
    standin = _payments_through(live_server, settings, deliver="async")
    yield standin
    standin.stop()


def fits(page):
    assert horizontal_overflow(page) == 0, page.url


def pay_on_the_hosted_page(page, standin):
    page.wait_for_url(re.compile(re.escape(standin.url) + r"/pay/"))
    fits(page)
    page.get_by_role("button", name=re.compile(r"^Payer .* par carte$")).click()
    page.get_by_role("button", name="Confirmer dans l'application de ma banque").click()


def reload_until_visible(page, locator):
    """The return from the payment page can come before the provider's webhook settles the
    purchase: the user reloads until it shows."""
    for _ in range(100):
        if locator.is_visible():
            return
        page.reload()
    assert locator.is_visible()


def test_a_basket_of_three_shops_paid_online_one_refuses(browser, live_server, stand_in):
    shops = [
        MerchantFactory(name="Boulangerie du Beffroi"),
        MerchantFactory(name="Boucherie Lafayette"),
        MerchantFactory(name="Fromagerie de la Place d'Armes"),
    ]
    prices = [Decimal("6.50"), Decimal("12.40"), Decimal("8.90")]
    vats = [Decimal("5.5"), Decimal("5.5"), Decimal("20")]
    products = [
        ProductFactory(merchant=shop, price=price, vat_rate=vat)
        for shop, price, vat in zip(shops, prices, vats, strict=True)
    ]
    for shop in shops:
        connect(shop, stand_in)
    FeeRule.objects.create(mode="home", fee="4.90")
    DeliverySlotFactory(capacity=8)
    shopper = UserFactory(phone="06 12 34 56 78")
    basket_with(shopper, *[(product, 1) for product in products])
    phone = signed_in(browser, live_server, shopper)

    phone.goto(phone.base_url + "/boutique/commande/")
    fits(phone)
    phone.get_by_label(re.compile("Payer en ligne par carte")).check()
    phone.get_by_label("Adresse de livraison").fill("18 rue Mollien, 62100 Calais")
    phone.get_by_label("Créneau de livraison").select_option(index=1)
    phone.get_by_role("button", name="Voir le récapitulatif").click()
    assert phone.get_by_text("Total réservé sur votre carte").is_visible()
    assert phone.get_by_text("32,70").first.is_visible()
    fits(phone)
    phone.get_by_role("button", name="Confirmer et payer en ligne").click()

    pay_on_the_hosted_page(phone, stand_in)
    phone.wait_for_url(re.compile(r"/boutique/commandes/[\w-]+/$"))
    assert phone.get_by_text("Paiement accepté").first.is_visible()
    fits(phone)
    number = re.search(r"/boutique/commandes/([\w-]+)/", phone.url).group(1)

    order = shops[0].orders.get().order
    for part in order.merchant_orders.select_related("merchant"):
        if part.merchant == shops[1]:
            services.refuse_part(part, "Plus de rôti ce matin")
        else:
            services.accept_part(part)

    phone.goto(f"{phone.base_url}/boutique/commandes/{number}/")
    payment = phone.get_by_role("region", name="Paiement en ligne")
    assert "32,70" in payment.inner_text()  # held on the card
    assert "20,30" in payment.inner_text()  # charged: 6,50 + 8,90 + 4,90 of delivery
    assert "12,40" in payment.inner_text()  # released, never charged
    assert phone.get_by_text(re.compile("non débitée : montant libéré")).is_visible()
    assert phone.get_by_text("Plus de rôti ce matin").first.is_visible()
    fits(phone)
    phone.get_by_role("link", name=re.compile("Reçu de Fromagerie")).click()
    assert phone.get_by_text("Paiement en ligne de cette partie : débitée.").is_visible()
    fits(phone)


def test_a_coworker_buys_a_ten_day_card_online_and_books_a_desk_with_it(
    browser, live_server, stand_in
):
    space = SpaceFactory(name="Le Lieu Commun")  # open every day, 8:00-20:00
    desks = Resource.objects.create(
        space=space, name="Plateau de coworking", kind=ResourceKind.DESK_POOL, capacity=12
    )
    Rate.objects.create(resource=desks, tier="standard", hourly="3", half_day="10", day="18")
    PassOffer.objects.create(
        space=space, kind=PassKind.CARD, credits=10, validity_days=365, price=Decimal("150")
    )
    phone = signed_in(browser, live_server, UserFactory(first_name="Léa"))

    phone.goto(phone.base_url + "/espaces/pass/")
    fits(phone)
    phone.get_by_role("button", name=re.compile("Acheter en ligne")).click()
    pay_on_the_hosted_page(phone, stand_in)
    phone.wait_for_url(re.compile(r"/espaces/mes-reservations/"))
    reload_until_visible(phone, phone.get_by_text("10 journées restantes"))
    fits(phone)

    phone.goto(f"{phone.base_url}/espaces/ressources/{desks.pk}/")
    show_tomorrow(phone)
    tomorrow_section(phone).get_by_role("link", name=re.compile("^09:00")).click()
    tomorrow = timezone.localdate() + timedelta(days=1)
    phone.get_by_label("Jusqu'à").select_option(at(tomorrow, time(13)).isoformat())
    fits(phone)
    phone.get_by_role("button", name="Réserver").click()
    assert phone.get_by_text(re.compile("est réservé")).is_visible()
    phone.goto(phone.base_url + "/espaces/mes-reservations/")
    assert phone.get_by_text("couvert par votre pass").first.is_visible()
    assert phone.get_by_text("9 journées restantes").is_visible()
    fits(phone)


def test_a_coworker_books_a_meeting_room_and_pays_it_online(browser, live_server, stand_in):
    space = SpaceFactory(name="Le Lieu Commun")  # open every day, 8:00-20:00
    room = Resource.objects.create(
        space=space, name="Salle Marianne", kind=ResourceKind.MEETING_ROOM, capacity=1
    )
    Rate.objects.create(resource=room, tier="standard", hourly="5", half_day="15", day="25")
    phone = signed_in(browser, live_server, UserFactory(first_name="Malik"))

    phone.goto(f"{phone.base_url}/espaces/ressources/{room.pk}/")
    show_tomorrow(phone)
    tomorrow_section(phone).get_by_role("link", name=re.compile("^10:00")).click()
    tomorrow = timezone.localdate() + timedelta(days=1)
    phone.get_by_label("Jusqu'à").select_option(at(tomorrow, time(12)).isoformat())
    assert phone.get_by_label("Payer en ligne maintenant, par carte bancaire").is_checked()
    fits(phone)
    phone.get_by_role("button", name="Réserver").click()

    pay_on_the_hosted_page(phone, stand_in)
    phone.wait_for_url(re.compile(r"/espaces/mes-reservations/"))
    reload_until_visible(phone, phone.get_by_text(re.compile("payée en ligne")).first)
    assert phone.get_by_text("10,00").first.is_visible()
    fits(phone)


@pytest.fixture
def quiet_stand_in(live_server, settings):
    """The stand-in without its webhooks: the page may only learn from the server's own work."""
    standin = _payments_through(live_server, settings, deliver="manual")
    yield standin
    standin.stop()


def test_the_bookings_page_shows_the_payment_confirmed_without_a_reload(
    browser, live_server, quiet_stand_in, broker_down
):
    """The broker is down while the coworker comes back: the bank said yes but the charge waits
    for the worker. The page says so, then shows the booking paid when the worker has charged
    it, without the coworker reloading."""
    stand_in = quiet_stand_in
    space = SpaceFactory(name="Le Lieu Commun")
    room = Resource.objects.create(
        space=space, name="Salle Marianne", kind=ResourceKind.MEETING_ROOM, capacity=1
    )
    Rate.objects.create(resource=room, tier="standard", hourly="5", half_day="15", day="25")
    phone = signed_in(browser, live_server, UserFactory(first_name="Inès"))

    phone.goto(f"{phone.base_url}/espaces/ressources/{room.pk}/")
    show_tomorrow(phone)
    tomorrow_section(phone).get_by_role("link", name=re.compile("^10:00")).click()
    tomorrow = timezone.localdate() + timedelta(days=1)
    phone.get_by_label("Jusqu'à").select_option(at(tomorrow, time(12)).isoformat())
    phone.get_by_role("button", name="Réserver").click()
    pay_on_the_hosted_page(phone, stand_in)
    phone.wait_for_url(re.compile(r"/espaces/mes-reservations/"))

    live = phone.get_by_role("status").filter(has_text="Vérification du paiement…")
    assert live.is_visible() and live.get_attribute("aria-live") == "polite"
    assert phone.get_by_text("En attente du paiement").is_visible()
    fits(phone)
    phone.evaluate("window.sameDocument = true")

    broker_down.back()
    # Right after a poll has been answered, so that the test's database work does not overlap
    # a request of the live server (on SQLite they share one connection).
    with phone.expect_response(re.compile(r"/espaces/mes-reservations/paiements/")):
        pass
    payment = Payment.objects.get(purpose="coworking.booking")
    settle_payment.delay(payment.pk)  # the worker charges it

    phone.get_by_text("Paiement confirmé : Salle Marianne.").wait_for()
    assert phone.get_by_text(re.compile("payée en ligne")).first.is_visible()
    assert not phone.get_by_text("En attente du paiement").is_visible()
    assert phone.evaluate("window.sameDocument") is True  # never reloaded
    fits(phone)


def test_a_merchant_connects_the_payout_account_and_reads_the_statement(
    browser, live_server, stand_in
):
    shop = MerchantFactory(name="Épicerie du Courgain")
    phone = signed_in(browser, live_server, shop.owner)

    phone.goto(f"{phone.base_url}/commercant/{shop.slug}/paiements/")
    assert phone.get_by_text("Non connecté").is_visible()
    fits(phone)
    phone.get_by_role("button", name="Connecter mon compte de versement").click()
    phone.wait_for_url(re.compile(re.escape(stand_in.url) + r"/connect/onboard/"))
    phone.get_by_role("button", name="Envoyer mes informations").click()
    phone.wait_for_url(re.compile(r"/paiements/$"))
    assert phone.get_by_text("Actif", exact=True).is_visible()
    fits(phone)
    phone.get_by_role("link", name="Relevé mensuel des versements").click()
    assert phone.get_by_text("Aucune vente payée en ligne ce mois-ci.").is_visible()
    fits(phone)
