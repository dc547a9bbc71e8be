"""role_required: anonymous visitors go to the login page, other roles get 403."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from hub.access import role_required
from hub.roles import Role
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db


@role_required(Role.DISPATCH, Role.DIRECTION)
def board(request):
    return HttpResponse("ok")


def call(user):
    request = RequestFactory().get("/board/?day=1")
    request.user = user
    return board(request)


def test_a_holder_of_one_of_the_roles_sees_the_page():
    assert call(UserFactory(roles=[Role.DIRECTION])).status_code == 200


def test_someone_without_the_roles_is_refused():
    with pytest.raises(PermissionDenied):
        call(UserFactory(roles=[Role.CIP]))


def test_an_anonymous_visitor_is_sent_to_the_login_page_and_back():
    response = call(AnonymousUser())

    assert response.status_code == 302
    assert "next=/board/%3Fday%3D1" in response["Location"]
