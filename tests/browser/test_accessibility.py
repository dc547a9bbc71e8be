"""axe-core over every page reachable by following links from the home page, on the demo data.

The crawl discovers pages itself (no hand-written list): anonymous first, then signed in with
one demo account for each distinct set of roles the demo data holds. Any serious or critical
violation fails, as does a link that answers 404 or 5xx, and a page that scrolls sideways on a
360 px phone.
"""

from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import Resolver404, resolve

from hub.services import DEMO_PASSWORD, user_roles
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/i18n/", "/comptes/logout/")
PAGES_PER_ROUTE = 3
MAX_PAGES = 250
BLOCKING_IMPACTS = {"serious", "critical"}
DEMO_DOMAIN = "@demo.anima-calais.fr"
# Both widths are measured on the same page load: the layout is recomputed synchronously when
# the script reads the sizes after the resize.
SIDEWAYS_SCROLL = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def demo_accounts() -> list[str | None]:
    """Anonymous, then the first demo login of each distinct set of roles."""
    from hub.models import User

    accounts, role_sets = [None], set()
    for user in User.objects.filter(email__endswith=DEMO_DOMAIN).order_by("email"):
        roles = (user.is_staff, tuple(user_roles(user)))
        if roles not in role_sets:
            role_sets.add(roles)
            accounts.append(user.email)
    return accounts


def route_of(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.route


def links_on(page, base_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        url = urldefrag(urljoin(page.url, href))[0]
        if not url.startswith(base_url):
            continue
        path = urlsplit(url).path
        if path.startswith(SKIPPED_PREFIXES):
            continue
        found.append(url)
    return found


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe :", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()


def crawl(page, base_url: str, axe: Axe, problems: list[str], seen: set[str]) -> int:
    queue = deque([base_url + "/"])
    per_route: dict[str, int] = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        route = route_of(urlsplit(url).path)
        if per_route.get(route, 0) >= PAGES_PER_ROUTE:
            continue
        per_route[route] = per_route.get(route, 0) + 1
        answer = page.request.get(url, max_redirects=5)
        if answer.status == 404 or answer.status >= 500:
            problems.append(f"{url}: HTTP {answer.status}")
            continue
        if "text/html" not in answer.headers.get("content-type", ""):
            continue
        page.goto(url)
        visited += 1
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in BLOCKING_IMPACTS:
                targets = [node["target"] for node in violation["nodes"][:3]]
                problems.append(f"{url}: {violation['id']} ({violation['impact']}) {targets}")
        problems += sideways_scroll(page, url)
        queue.extend(links_on(page, base_url))
    return visited


def sideways_scroll(page, url: str) -> list[str]:
    """The page must fit a 360 px phone: nothing wider than the screen."""
    page.set_viewport_size(PHONE)
    overflow = page.evaluate(SIDEWAYS_SCROLL)
    page.set_viewport_size(DESKTOP)
    if overflow > 0:
        return [f"{url}: scrolls {overflow} px sideways at {PHONE['width']} px"]
    return []


def test_every_reachable_page_passes_axe_and_fits_a_phone(browser, live_server):
    call_command("seed_demo", verbosity=0)
    axe = Axe()
    problems: list[str] = []
    checked = 0
    for email in demo_accounts():
        context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
        page = context.new_page()
        if email:
            sign_in(page, live_server.url, email)
        checked += crawl(page, live_server.url, axe, problems, seen=set())
        context.close()

    assert checked >= 10, "the crawl should reach the site's pages"
    assert not problems, "\n".join(problems)
