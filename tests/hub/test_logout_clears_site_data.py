"""Logging out asks the browser to empty what it keeps for the site (the courier's phone keeps
the round with customers' names, addresses and phones): Clear-Site-Data on the logout answer,
and only there."""

import pytest
from django.urls import reverse

from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_logout_answer_clears_the_cache_and_storage(client):
    client.force_login(UserFactory())

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_other_answers_clear_nothing(client):
    client.force_login(UserFactory())

    assert "Clear-Site-Data" not in client.get(reverse("hub:home"))
    # Asking for the logout page is not logging out.
    assert "Clear-Site-Data" not in client.get(reverse("account_logout"))


def test_a_visitor_not_signed_in_who_posts_to_logout_clears_nothing(client):
    response = client.post(reverse("account_logout"))

    assert "Clear-Site-Data" not in response
