"""The documented production (docker-compose): pages under WSGI with threads, the live streams
alone under ASGI, nginx sending each path to its server (docs/performance.md, « WSGI or
ASGI »)."""

import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.urls import reverse

COMPOSE = yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text())


def command(service: str) -> list[str]:
    return shlex.split(COMPOSE["services"][service]["command"])


def nginx_locations() -> dict[str, str]:
    """The HTTPS server's locations: their pattern -> their body."""
    nginx = COMPOSE["configs"]["nginx"]["content"].replace("$$", "$")
    https = nginx[nginx.index("listen 443") :]
    return {
        pattern.strip(): body for pattern, body in re.findall(r"location ([^{]+)\{([^}]*)\}", https)
    }


def served_by(path: str) -> str:
    """The upstream nginx sends ``path`` to (a regular expression location wins, as in nginx
    when it matches, over the prefix ``/``)."""
    locations = nginx_locations()
    for pattern, body in locations.items():
        if pattern.startswith("~ ") and re.search(pattern[2:], path):
            return re.search(r"proxy_pass http://(\w+);", body).group(1)
    return re.search(r"proxy_pass http://(\w+);", locations["/"]).group(1)


def test_pages_are_served_under_wsgi_with_threads():
    web = command("web")

    assert web[:2] == ["gunicorn", "anima.wsgi:application"]
    assert "--threads" in web and "--worker-class" not in web


def test_the_live_streams_have_their_own_asgi_server():
    live = command("live")

    assert live[:2] == ["gunicorn", "anima.asgi:application"]
    assert live[live.index("--worker-class") + 1] == "anima.workers.AnimaWorker"
    assert COMPOSE["services"]["live"]["healthcheck"] == COMPOSE["services"]["web"]["healthcheck"]
    assert "live" in COMPOSE["services"]["proxy"]["depends_on"]


@pytest.mark.parametrize("name", ["delivery:board_stream", "delivery:courier_stream"])
def test_nginx_sends_each_stream_to_the_asgi_server_unbuffered(name):
    path = reverse(name)
    stream_location = next(body for p, body in nginx_locations().items() if p.startswith("~ "))

    assert served_by(path) == "anima_live"
    assert "proxy_buffering off;" in stream_location
    assert "upstream anima_live { server live:8000; }" in COMPOSE["configs"]["nginx"]["content"]


@pytest.mark.parametrize(
    "path", ["/", "/boutique/", "/boutique/produits/?q=flux", "/coursier/", "/healthz", "/api/v1/"]
)
def test_nginx_sends_every_other_path_to_the_wsgi_server(path):
    assert served_by(path) == "anima_web"
