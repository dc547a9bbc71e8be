"""Each staff role sees in the admin exactly what its permissions allow; no group, nothing."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from hub.roles import Role, declared_permissions
from tests.hub.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def admin_models(client) -> set[str]:
    """The admin's app_list as "app_label.model" names."""
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return {
        f"{app['app_label']}.{model['object_name'].lower()}"
        for app in response.context["app_list"]
        for model in app["models"]
    }


def registered_models() -> set[str]:
    return {f"{model._meta.app_label}.{model._meta.model_name}" for model in admin.site._registry}


def test_role_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


@pytest.mark.parametrize("role", Role.values)
def test_each_role_sees_only_the_models_of_its_permissions(client, role):
    client.force_login(StaffFactory(roles=[role]))

    expected = {
        perm.split(".")[0] + "." + perm.split(".")[1].split("_", 1)[1]
        for perm in declared_permissions(role)
    }
    # Models edited only inline (a relay point's opening hours) have no page of their own.
    assert admin_models(client) == expected & registered_models()


@pytest.mark.parametrize("role", Role.values)
def test_each_role_group_holds_exactly_its_declared_permissions(role):
    group = Group.objects.get(name=role)
    held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert held == declared_permissions(role)


def test_a_staff_account_without_group_sees_nothing(client):
    client.force_login(StaffFactory())

    assert admin_models(client) == set()
    assert client.get(reverse("admin:hub_user_changelist")).status_code == 403


def test_direction_manages_users_and_structures(client):
    client.force_login(StaffFactory(roles=[Role.DIRECTION]))

    assert {"hub.user", "hub.structure"} <= admin_models(client)
    assert client.get(reverse("admin:hub_structure_add")).status_code == 200


def test_direction_cannot_make_anybody_superuser(client):
    target = UserFactory()
    client.force_login(StaffFactory(roles=[Role.DIRECTION]))

    page = client.get(reverse("admin:hub_user_change", args=[target.pk]))

    assert 'name="is_superuser"' not in page.content.decode()


def test_animation_cannot_see_users(client):
    client.force_login(StaffFactory(roles=[Role.ANIMATION]))

    assert client.get(reverse("admin:hub_user_changelist")).status_code == 403


def test_a_shopper_is_sent_to_the_login_page_and_refused_when_signed_in(client):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))

    client.force_login(UserFactory())
    assert client.get(reverse("admin:login")).status_code == 403


def test_admin_login_goes_through_the_rate_limited_login(client):
    response = client.get(reverse("admin:login"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dispatch_reads_plan_proposals_and_text_messages_without_changing_them(client):
    client.force_login(StaffFactory(roles=[Role.DISPATCH]))

    assert client.get(reverse("admin:delivery_planproposal_changelist")).status_code == 200
    assert client.get(reverse("admin:hub_outgoingsms_changelist")).status_code == 200
    assert client.get(reverse("admin:hub_outgoingemail_changelist")).status_code == 403


def test_direction_reads_the_text_messages_sent(client):
    client.force_login(StaffFactory(roles=[Role.DIRECTION]))

    assert client.get(reverse("admin:hub_outgoingsms_changelist")).status_code == 200
    assert client.get(reverse("admin:delivery_planproposal_changelist")).status_code == 403
