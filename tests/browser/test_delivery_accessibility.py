"""axe-core finds no serious or critical violation on the dispatch, courier, figures and
tracking pages, filled with rounds, a failure and a delivered parcel."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from delivery import services
from delivery.models import StopKind
from tests.delivery.factories import DeliverySlotFactory, make_delivery, published_round
from tests.hub.factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)

axe = Axe()


def serious(page) -> list[str]:
    results = axe.run(page)
    return [
        f"{violation['id']}: {violation['help']} ({page.url})"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def sign_in(page, email):
    page.context.clear_cookies()
    page.goto(page.base_url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe :", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(page.base_url + "/")


def test_delivery_pages_pass_axe(page, phone):
    slot = DeliverySlotFactory(days=0)
    failed = make_delivery(slot, shops=1)
    round_ = published_round(
        deliveries=[failed, make_delivery(slot, payment_due="12.40")], slot=slot, days=0
    )
    make_delivery(slot)  # still to plan
    user = round_.courier.user
    services.record_pickup(user, round_.stops.filter(kind=StopKind.PICKUP).first().pk)
    services.record_failure(user, round_.stops.filter(kind=StopKind.DROPOFF).first().pk, "absent")
    dispatcher = StaffFactory(roles=["dispatch"])
    day = f"?date={slot.date:%Y-%m-%d}"

    problems = []
    sign_in(phone, user.email)
    phone.goto(phone.base_url + "/coursier/")
    phone.locator("summary", has_text="Livré").first.click()
    problems += serious(phone)

    sign_in(page, dispatcher.email)
    page.goto(page.base_url + "/livraisons/regulation/" + day)
    page.locator("summary", has_text="Nouvelle tournée").first.click()
    problems += serious(page)
    for path in [
        f"/livraisons/regulation/livraisons/{failed.pk}/",
        f"/livraisons/regulation/tournees/{round_.pk}/feuille-de-route/",
        "/livraisons/chiffres/",
        f"/suivi/{failed.tracking_token}/",
    ]:
        page.goto(page.base_url + path)
        problems += serious(page)

    assert problems == []
