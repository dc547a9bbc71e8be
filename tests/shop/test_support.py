"""Merchants ask the multimedia workshop for help and follow the progress."""

import pytest
from django.core import mail
from django.urls import reverse

from hub.roles import Role
from shop.models import SupportRequest, SupportStatus
from tests.hub.factories import StaffFactory, UserFactory
from tests.shop.factories import MerchantFactory

pytestmark = pytest.mark.django_db


def test_a_merchant_asks_for_help_and_sees_the_workshops_answer(
    client, django_capture_on_commit_callbacks
):
    merchant = MerchantFactory()
    client.force_login(merchant.owner)
    client.post(
        reverse("shop:support_list", args=[merchant.slug]),
        {"kind": "flyers", "subject": "Flyers de Noël", "description": "500 flyers A5"},
    )
    support = SupportRequest.objects.get()

    staff = StaffFactory(roles=[Role.MODERATION])
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:shop_supportrequest_change", args=[support.pk]),
            {
                "status": SupportStatus.IN_PROGRESS,
                "assignee": staff.pk,
                "comments-TOTAL_FORMS": "1",
                "comments-INITIAL_FORMS": "0",
                "comments-0-body": "Maquette prête jeudi.",
            },
        )

    support.refresh_from_db()
    assert support.status == SupportStatus.IN_PROGRESS
    to_shop = [m for m in mail.outbox if m.to == [merchant.owner.email]]
    assert len(to_shop) == 1
    assert "Maquette prête jeudi." in to_shop[0].body and "En cours" in to_shop[0].body
    assert to_shop[0].reply_to == ["atelier-multimedia@anima-calais.fr"]
    client.force_login(merchant.owner)
    page = client.get(reverse("shop:support_detail", args=[merchant.slug, support.pk]))
    assert "Maquette prête jeudi." in page.content.decode()
    assert "En cours" in page.content.decode()


def test_other_users_cannot_read_a_shops_requests(client):
    merchant = MerchantFactory()
    support = SupportRequest.objects.create(
        merchant=merchant, kind="photos", subject="Photos", description="x"
    )
    client.force_login(UserFactory())
    assert (
        client.get(reverse("shop:support_detail", args=[merchant.slug, support.pk])).status_code
        == 404
    )


def test_an_empty_request_is_refused(client):
    merchant = MerchantFactory()
    client.force_login(merchant.owner)
    response = client.post(reverse("shop:support_list", args=[merchant.slug]), {"kind": "flyers"})
    assert response.status_code == 400
    assert not SupportRequest.objects.exists()


def test_the_workshop_is_e_mailed_when_a_shop_asks_for_help_and_writes(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SHOP_WORKSHOP_EMAIL = "atelier@adlc.test"
    merchant = MerchantFactory(name="Épicerie de l'Îlot")
    client.force_login(merchant.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("shop:support_list", args=[merchant.slug]),
            {"kind": "signage", "subject": "Nouvelle enseigne", "description": "Vitrine 3 m"},
        )
    support = SupportRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("shop:support_detail", args=[merchant.slug, support.pk]),
            {"body": "Les couleurs de l'enseigne : vert et blanc."},
        )

    to_workshop = [m for m in mail.outbox if m.to == ["atelier@adlc.test"]]
    assert len(to_workshop) == 2
    asked, wrote = to_workshop
    assert "Épicerie de l'Îlot" in asked.subject and "Vitrine 3 m" in asked.body
    assert asked.reply_to == [merchant.owner.email]
    assert "vert et blanc" in wrote.body
    assert not [m for m in mail.outbox if m.to == [merchant.owner.email]]


def test_a_status_change_alone_tells_the_shop_once(client, django_capture_on_commit_callbacks):
    merchant = MerchantFactory()
    support = SupportRequest.objects.create(
        merchant=merchant, kind="photos", subject="Photos", description="x"
    )
    staff = StaffFactory(roles=[Role.MODERATION])
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:shop_supportrequest_change", args=[support.pk]),
            {
                "status": SupportStatus.DONE,
                "comments-TOTAL_FORMS": "0",
                "comments-INITIAL_FORMS": "0",
            },
        )

    assert len([m for m in mail.outbox if m.to == [merchant.owner.email]]) == 1
