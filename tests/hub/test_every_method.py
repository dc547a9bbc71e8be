"""No HTTP method on any URL the project resolves answers a 500, anonymous or as a superuser
(who passes every permission check and so reaches each view's own code)."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db

METHODS = ("get", "head", "options", "post", "put", "patch", "delete", "trace")
# Django's admin is Django's; the project's admins are walked by their own tests.
SKIPPED_PREFIXES = ("admin/", "^media/")
SAMPLES = {"int": "1", "uuid": str(uuid.UUID(int=1)), "fmt": "csv", "uidb36": "1"}


def concrete(pattern: str) -> str:
    """A path matching ``pattern``, with sample values in place of its parameters."""
    path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: SAMPLES.get(m.group(1) or "", "x"), pattern)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLES.get(m.group(1), "abc"), path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\.", ".")


def url_patterns(patterns, prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def every_url() -> list[str]:
    patterns = url_patterns(get_resolver().url_patterns)
    return sorted({concrete(p) for p in patterns if not p.startswith(SKIPPED_PREFIXES)})


def test_the_url_list_covers_pages_api_and_docs():
    urls = every_url()

    assert {"/api/docs/", "/api/v1/orders/x/", "/boutique/produits/", "/healthz"} <= set(urls)
    assert len(urls) > 150


@pytest.mark.parametrize("who", ["anonymous", "superuser"])
def test_no_method_on_any_url_answers_a_500(who):
    client = Client(raise_request_exception=False)
    if who == "superuser":
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
    failures = []
    for url in every_url():
        for method in METHODS:
            response = getattr(client, method)(url)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {url}: {response.status_code}")

    assert not failures, "\n".join(failures)


def test_options_on_the_api_docs_is_not_an_error(client):
    assert client.options("/api/docs/").status_code == 405
    assert client.get("/api/docs/").status_code == 200
