"""Studio leases: one lease at a time per studio, managed by the coworking team."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from coworking.models import StudioLease
from hub.roles import Role
from tests.coworking.factories import LeaseFactory, StudioFactory
from tests.hub.factories import StaffFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_a_lease_overlapping_another_one_on_the_same_studio_is_refused():
    lease = LeaseFactory()
    overlapping = LeaseFactory.build(
        studio=lease.studio,
        tenant=UserFactory(),
        start_date=lease.end_date,
        end_date=lease.end_date + timedelta(days=90),
    )

    with pytest.raises(ValidationError, match="déjà loué"):
        overlapping.full_clean()


def test_a_lease_starting_the_day_after_the_end_is_fine():
    lease = LeaseFactory()
    following = LeaseFactory.build(
        studio=lease.studio,
        tenant=UserFactory(),
        start_date=lease.end_date + timedelta(days=1),
        end_date=lease.end_date + timedelta(days=365),
    )

    following.full_clean()


def test_a_lease_has_exactly_one_tenant():
    both = LeaseFactory.build(
        studio=StudioFactory(), tenant=UserFactory(), tenant_structure=StructureFactory()
    )
    with pytest.raises(ValidationError, match="pas les deux"):
        both.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        LeaseFactory(tenant=None, tenant_structure=None)


@pytest.mark.postgres
def test_the_database_refuses_overlapping_leases_by_itself():
    lease = LeaseFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        StudioLease.objects.create(
            studio=lease.studio,
            tenant=UserFactory(),
            start_date=lease.end_date,
            end_date=lease.end_date + timedelta(days=30),
            monthly_rent=100,
            deposit=0,
        )


def test_the_coworking_team_records_a_lease_in_the_admin_and_sees_the_overlap_message(client):
    lease = LeaseFactory()
    client.force_login(StaffFactory(roles=[Role.COWORKING]))
    data = {
        "studio": lease.studio.pk,
        "tenant": UserFactory().pk,
        "tenant_structure": "",
        "start_date": lease.end_date.isoformat(),
        "end_date": (lease.end_date + timedelta(days=30)).isoformat(),
        "monthly_rent": "190.00",
        "deposit": "380.00",
        "notes": "",
    }

    refused = client.post(reverse("admin:coworking_studiolease_add"), data)
    data["start_date"] = (lease.end_date + timedelta(days=1)).isoformat()
    accepted = client.post(reverse("admin:coworking_studiolease_add"), data)

    assert "déjà loué" in refused.content.decode()
    assert accepted.status_code == 302
    assert StudioLease.objects.count() == 2


def test_the_lease_list_filters_those_ending_within_two_months(client):
    ending = LeaseFactory(end_date=TODAY() + timedelta(days=40))
    LeaseFactory(end_date=TODAY() + timedelta(days=200))
    client.force_login(StaffFactory(roles=[Role.COWORKING]))

    page = client.get(reverse("admin:coworking_studiolease_changelist") + "?fin=2mois")

    assert list(page.context["cl"].result_list) == [ending]


def test_direction_reads_leases_but_cannot_change_them(client):
    lease = LeaseFactory()
    client.force_login(StaffFactory(roles=[Role.DIRECTION]))

    assert client.get(reverse("admin:coworking_studiolease_changelist")).status_code == 200
    assert client.get(reverse("admin:coworking_studiolease_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:coworking_studiolease_delete", args=[lease.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
