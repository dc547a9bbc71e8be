"""A NUL byte in every form field and query parameter a crawl of the demo finds gives a 400.

The crawl follows links from the home page with Django's test client, anonymous and then as one
demo account of each distinct set of roles; it collects every form (HTMX ones included) and
every link with a query string, then sends each field or parameter with a NUL in it.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from hub.models import User
from hub.services import DEMO_DOMAIN, user_roles

pytestmark = pytest.mark.django_db

SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/i18n/", "/comptes/logout/")
MAX_PAGES_PER_ACCOUNT = 40
NUL = "a\x00b"


class PageParser(HTMLParser):
    """Links, and forms as (method, action, {field: value}); an HTMX field is its own form."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, str, dict[str, str]]] = []
        self._form: tuple[str, str, dict[str, str]] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form":
            method = "post" if "hx-post" in attrs else attrs.get("method", "get").lower()
            action = attrs.get("hx-post") or attrs.get("hx-get") or attrs.get("action", "")
            self._form = (method, action, {})
            self.forms.append(self._form)
        name = attrs.get("name")
        if tag not in ("input", "select", "textarea") or not name:
            return
        if attrs.get("type") in ("submit", "button", "image", "file", "reset"):
            return
        if self._form is not None:
            self._form[2].setdefault(name, attrs.get("value", ""))
        for verb in ("get", "post"):
            if attrs.get(f"hx-{verb}"):
                self.forms.append((verb, attrs[f"hx-{verb}"], {name: attrs.get("value", "")}))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def route_of(path: str) -> str:
    try:
        return resolve(path).route
    except Resolver404:
        return path


def accounts() -> list[User | None]:
    found, role_sets = [None], set()
    for user in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").order_by("email"):
        roles = (user.is_staff, tuple(user_roles(user)))
        if roles not in role_sets:
            role_sets.add(roles)
            found.append(user)
    return found


def crawl(client: Client, forms: dict, queries: dict, problems: list[str]) -> int:
    queue, seen_routes, visited = deque(["/"]), set(), 0
    while queue and visited < MAX_PAGES_PER_ACCOUNT:
        path = queue.popleft()
        route = route_of(urlsplit(path).path)
        if route in seen_routes:
            continue
        seen_routes.add(route)
        response = client.get(path)
        visited += 1
        if response.status_code >= 500:
            problems.append(f"GET {path}: {response.status_code}")
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = PageParser()
        parser.feed(response.content.decode())
        for href in parser.links:
            url = urlsplit(urljoin(path, href))
            if url.netloc not in ("", "testserver") or url.path.startswith(SKIPPED_PREFIXES):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            queue.append(target)
            if url.query:
                params = tuple(sorted({key for key, _ in parse_qsl(url.query)}))
                queries.setdefault((route_of(url.path), params), (client, target))
        for method, action, fields in parser.forms:
            target = urlsplit(urljoin(path, action)).path
            if target.startswith(SKIPPED_PREFIXES) or not fields:
                continue
            key = (method, route_of(target), tuple(sorted(fields)))
            forms.setdefault(key, (client, target, fields))
    return visited


def test_a_nul_in_any_form_field_or_query_parameter_is_a_400():
    call_command("seed_demo", verbosity=0)
    forms, queries, problems = {}, {}, []
    visited = 0
    for user in accounts():
        client = Client()
        if user:
            client.force_login(user)
        visited += crawl(client, forms, queries, problems)

    sent = 0
    for (method, _route, _names), (client, target, fields) in forms.items():
        for name in fields:
            data = {**fields, name: NUL}
            response = getattr(client, method)(target, data)
            sent += 1
            if response.status_code != 400:
                problems.append(f"{method.upper()} {target} {name}: {response.status_code}")
    for (_route, params), (client, target) in queries.items():
        url = urlsplit(target)
        for name in params:
            pairs = [(k, NUL if k == name else v) for k, v in parse_qsl(url.query)]
            response = client.get(f"{url.path}?{urlencode(pairs)}")
            sent += 1
            if response.status_code != 400:
                problems.append(f"GET {url.path} ?{name}: {response.status_code}")

    assert visited >= 50 and len(forms) >= 15 and sent >= 50, (visited, len(forms), sent)
    assert not problems, "\n".join(problems)
