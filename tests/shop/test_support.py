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
    assert any("Maquette prête jeudi." in m.body for m in mail.outbox)
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
