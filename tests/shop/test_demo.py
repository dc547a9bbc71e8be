"""The shop's demo data: shops, products with photos, relay points, slots, logins."""

import pytest
from django.core.management import call_command

from delivery.models import DeliverySlot, RelayPoint, SlotTemplate
from shop.models import Merchant, MerchantStatus, Product

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_shop_once(client):
    call_command("seed_demo")
    counts = (Merchant.objects.count(), Product.objects.count(), DeliverySlot.objects.count())
    call_command("seed_demo")

    assert (
        Merchant.objects.count(),
        Product.objects.count(),
        DeliverySlot.objects.count(),
    ) == counts
    assert Merchant.objects.filter(status=MerchantStatus.APPROVED).count() >= 6
    assert Merchant.objects.filter(name="Le Comptoir de l'Îlot").exists()
    assert Product.objects.count() >= 80
    assert not Product.objects.filter(photo_list="").exists()
    assert set(RelayPoint.objects.values_list("name", flat=True)) >= {
        "Le Comptoir de l'Îlot",
        "Pôle Anima",
    }
    assert SlotTemplate.objects.count() == 15
    assert client.login(email="commercant@demo.anima-calais.fr", password="anima-demo-2026")
    assert client.get("/commercant/").status_code == 200
