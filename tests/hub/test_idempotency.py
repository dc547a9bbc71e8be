"""A request retried with the same Idempotency-Key is done once and answered the same."""

import itertools

import pytest
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from hub.models import IdempotencyRecord, Structure
from hub.services import idempotent_response
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db
counter = itertools.count()


class CreateStructure(APIView):
    """A throwaway endpoint doing a visible write, to observe exactly-once behaviour."""

    def post(self, request):
        def handle():
            if request.data.get("fail"):
                return Response({"detail": "refusé"}, status=409)
            n = next(counter)
            structure = Structure.objects.create(name=f"S{n}", slug=f"s{n}", kind="association")
            return Response({"id": structure.pk}, status=201)

        return idempotent_response(request, "test:create", handle)


def call(user, key=None, **data):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    request = APIRequestFactory().post("/x/", data, format="json", **headers)
    force_authenticate(request, user)
    return CreateStructure.as_view()(request)


def test_a_replay_returns_the_first_answer_and_does_nothing():
    user = UserFactory()
    first = call(user, key="abc")
    second = call(user, key="abc")

    assert first.status_code == second.status_code == 201
    assert first.data == second.data
    assert second["Idempotent-Replayed"] == "true"
    assert Structure.objects.count() == 1


def test_different_keys_do_the_work_twice():
    user = UserFactory()
    call(user, key="a")
    call(user, key="b")
    assert Structure.objects.count() == 2


def test_keys_belong_to_one_user():
    call(UserFactory(), key="same")
    call(UserFactory(), key="same")
    assert Structure.objects.count() == 2


def test_a_refused_attempt_keeps_the_key_free():
    user = UserFactory()
    assert call(user, key="k", fail=True).status_code == 409
    assert call(user, key="k").status_code == 201
    assert IdempotencyRecord.objects.count() == 1


def test_without_a_key_every_call_does_the_work():
    user = UserFactory()
    call(user)
    call(user)
    assert Structure.objects.count() == 2


def test_a_key_with_a_nul_byte_is_a_400_that_does_nothing():
    response = call(UserFactory(), key="a\x00b")

    assert response.status_code == 400
    assert "\x00" not in str(response.data)
    assert not Structure.objects.exists()
    assert not IdempotencyRecord.objects.exists()
