"""Applying to sell, review by moderation (approve, or refuse with a reason e-mailed)."""

import pytest
from django.core import mail
from django.urls import reverse

from hub.roles import Role
from shop.models import MemberRole, Merchant, MerchantMember, MerchantStatus
from tests.hub.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

APPLICATION = {
    "name": "Torréfaction du Beffroi",
    "siret": "732 829 320 00074",
    "category": "grocery",
    "address": "14 Rue du Pont Lottin, 62100 Calais",
    "phone": "03 21 00 10 08",
    "email": "",
    "description": "Cafés torréfiés à Calais.",
    "opening_hours": "Du mardi au samedi",
}


def test_a_signed_in_user_applies_and_follows_the_application(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("shop:merchant_apply"), APPLICATION, follow=True)

    merchant = Merchant.objects.get()
    assert merchant.status == MerchantStatus.PENDING and merchant.applicant == user
    assert merchant.siret == "73282932000074"
    assert "En attente de validation" in response.content.decode()
    assert client.get(reverse("shop:catalogue")).content.decode().count("Torréfaction") == 0


def test_a_wrong_siret_is_refused(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("shop:merchant_apply"), {**APPLICATION, "siret": "12345678901234"}
    )
    assert response.status_code == 400 and "SIRET" in response.content.decode()
    assert not Merchant.objects.exists()


def pending():
    return Merchant.objects.create(
        **{**APPLICATION, "siret": "73282932000074"}, applicant=UserFactory()
    )


def moderator(client):
    client.force_login(StaffFactory(roles=[Role.MODERATION]))
    return client


def test_moderation_approves_and_the_applicant_becomes_owner(
    client, django_capture_on_commit_callbacks
):
    merchant = pending()
    with django_capture_on_commit_callbacks(execute=True):
        moderator(client).post(reverse("shop:moderation_approve", args=[merchant.pk]))

    merchant.refresh_from_db()
    assert merchant.status == MerchantStatus.APPROVED
    assert merchant.latitude is not None  # placed on the map from the gazetteer
    member = MerchantMember.objects.get(merchant=merchant)
    assert member.user == merchant.applicant and member.role == MemberRole.OWNER
    assert mail.outbox[-1].to == [merchant.applicant.email]
    assert "en ligne" in mail.outbox[-1].subject


def test_moderation_refuses_with_a_reason_sent_to_the_applicant(
    client, django_capture_on_commit_callbacks
):
    merchant = pending()
    client = moderator(client)
    client.post(reverse("shop:moderation_refuse", args=[merchant.pk]), {"reason": ""})
    merchant.refresh_from_db()
    assert merchant.status == MerchantStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("shop:moderation_refuse", args=[merchant.pk]),
            {"reason": "Le commerce est hors du centre-ville."},
        )
    merchant.refresh_from_db()
    assert merchant.status == MerchantStatus.REFUSED
    assert "hors du centre-ville" in mail.outbox[-1].body


def test_only_moderation_reviews_applications(client):
    merchant = pending()
    client.force_login(UserFactory())
    assert client.get(reverse("shop:moderation_applications")).status_code == 403
    assert client.post(reverse("shop:moderation_approve", args=[merchant.pk])).status_code == 403
    client.force_login(StaffFactory(roles=[Role.DISPATCH]))
    assert client.get(reverse("shop:moderation_applications")).status_code == 403
    merchant.refresh_from_db()
    assert merchant.status == MerchantStatus.PENDING


def test_the_moderation_page_lists_pending_applications(client):
    merchant = pending()
    page = moderator(client).get(reverse("shop:moderation_applications")).content.decode()
    assert merchant.name in page and merchant.applicant.email in page


def test_the_admin_action_approves_too(client):
    merchant = pending()
    moderator(client).post(
        reverse("admin:shop_merchant_changelist"),
        {"action": "approve", "_selected_action": [merchant.pk]},
    )
    merchant.refresh_from_db()
    assert merchant.status == MerchantStatus.APPROVED
