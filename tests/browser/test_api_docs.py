"""/api/docs/ shows the API under the site's strict CSP (no inline script nor style)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_under_the_strict_csp(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    response = page.goto(page.base_url + "/api/docs/")

    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    page.get_by_text("API Anima").first.wait_for()
    page.locator(".opblock").first.wait_for()
    assert not violations, violations
