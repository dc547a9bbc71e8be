"""The courier's page: today's stops in order, links for maps and calls, forms that work
without JavaScript; only one's own rounds; constant queries."""

import pytest
from django.urls import reverse

from delivery import services
from delivery.models import DeliveryStatus, StopKind
from tests.delivery.factories import (
    CourierFactory,
    DeliverySlotFactory,
    make_delivery,
    published_round,
)
from tests.hub.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/coursier/"


def today_round(courier=None, count=1, **kwargs):
    slot = DeliverySlotFactory(days=0)
    deliveries = [make_delivery(slot, **kwargs) for _ in range(count)]
    return published_round(courier=courier, deliveries=deliveries, days=0)


def test_the_courier_sees_the_stops_in_order_with_map_call_items_and_payment(client):
    round_ = today_round(shops=2, payment_due="18.20")
    client.force_login(round_.courier.user)

    page = client.get(PAGE).content.decode()

    assert (
        page.index("Récupérer chez Boulangerie du Beffroi")
        < page.index("Récupérer chez Boucherie Lafayette")
        < page.index("Livrer à Camille Durand")
    )
    assert 'href="geo:50.952800,1.855500?q=50.952800,1.855500(' in page
    assert 'href="tel:+33612345678"' in page and "Appeler le 06 12 34 56 78" in page
    assert "2 × Pain de campagne" in page
    assert "À encaisser : 18,20" in page
    assert "Sonner deux fois" in page
    assert 'src="/static/delivery/courier.js"' in page and "<script>" not in page


def test_a_courier_without_round_today_is_told_so(client):
    client.force_login(CourierFactory().user)
    assert "Pas de tournée publiée" in client.get(PAGE).content.decode()


def test_someone_who_is_not_a_courier_is_refused(client):
    client.force_login(UserFactory())
    response = client.get(PAGE)
    assert response.status_code == 403
    assert "réservée aux coursiers" in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    assert client.get(PAGE).url.startswith(reverse("account_login"))


def test_a_courier_sees_only_their_own_round(client):
    mine, theirs = today_round(), today_round()
    client.force_login(mine.courier.user)

    page = client.get(PAGE).content.decode()

    assert f"arret-{mine.stops.first().pk}" in page
    assert f"arret-{theirs.stops.first().pk}" not in page


def test_the_forms_work_without_javascript(client):
    round_ = today_round(shops=1)
    client.force_login(round_.courier.user)
    pickup, dropoff = round_.stops.order_by("sequence")

    response = client.post(reverse("delivery:stop_pickup", args=[pickup.pk]), follow=True)
    assert "Récupération enregistrée." in response.content.decode()

    early = client.post(reverse("delivery:stop_fail", args=[dropoff.pk]), {"reason": "other"})
    assert early.status_code == 302
    client.post(
        reverse("delivery:stop_deliver", args=[dropoff.pk]),
        {"recipient": "Camille"},
    )
    dropoff.delivery.refresh_from_db()
    assert dropoff.delivery.status == DeliveryStatus.DELIVERED


def test_posting_on_another_couriers_stop_is_a_404(client):
    round_ = today_round()
    client.force_login(CourierFactory().user)
    stop = round_.stops.get(kind=StopKind.DROPOFF)

    assert client.post(reverse("delivery:stop_pickup", args=[stop.pk])).status_code == 404
    assert client.post(reverse("delivery:stop_fail", args=[stop.pk]), {}).status_code == 404


def test_the_page_reads_in_constant_queries(client, django_assert_max_num_queries):
    for size in (1, 10):
        courier = CourierFactory()
        today_round(courier=courier, count=size, shops=2)
        client.force_login(courier.user)
        with django_assert_max_num_queries(14):
            assert client.get(PAGE).status_code == 200


def test_a_parcel_sent_back_to_the_shops_shows_nothing_to_collect(client):
    round_ = today_round(shops=1, payment_due="15.30")
    user = round_.courier.user
    for stop in round_.stops.order_by("sequence"):
        if stop.kind == StopKind.PICKUP:
            services.record_pickup(user, stop.pk)
        else:
            services.record_failure(user, stop.pk, "refused")
    services.return_to_shops(stop.delivery_id, None, "Refusée à la porte")
    client.force_login(user)

    page = client.get(PAGE).content.decode()

    assert "À encaisser" not in page
    assert "Rapportée aux commerces : rien à encaisser." in page


def test_a_delivery_weighs_the_same_on_the_courier_page_and_the_board(client):
    # Two parcels of 575 g: 1 150 g, rounded half up once, the same way everywhere.
    round_ = today_round(shops=2, weight=575)
    client.force_login(round_.courier.user)
    courier_page = client.get(PAGE).content.decode()
    client.force_login(StaffFactory(roles=["dispatch"]))
    board = client.get("/livraisons/regulation/", {"date": round_.date.isoformat()})

    assert "2 colis · 1,2\xa0kg" in courier_page
    assert "0,6\xa0kg" in courier_page
    assert "1,2\xa0kg" in board.content.decode()
    assert "1,1\xa0kg" not in board.content.decode() + courier_page
