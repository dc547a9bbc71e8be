"""The ``Site`` that allauth's e-mails name (« Bonjour de la part de … »), kept equal to
``SITE_URL`` and ``SITE_NAME``: after every migrate and at each process's first request."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.signals import request_started


def site_domain() -> str:
    """The host (and port) of ``SITE_URL``: « anima-calais.fr »."""
    return urlsplit(settings.SITE_URL).netloc or "localhost"


def sync_site(**kwargs) -> None:
    """Make the current Site say what ``SITE_URL`` and ``SITE_NAME`` say (a no-op when they
    already do)."""
    wanted = {"domain": site_domain(), "name": settings.SITE_NAME}
    site = Site.objects.filter(pk=settings.SITE_ID).first()
    if site is None or {"domain": site.domain, "name": site.name} != wanted:
        Site.objects.update_or_create(pk=settings.SITE_ID, defaults=wanted)
        Site.objects.clear_cache()


def sync_site_at_first_request(**kwargs) -> None:
    """The settings may have changed since the last migrate (a new SITE_URL): check once."""
    request_started.disconnect(dispatch_uid="hub.sync_site_at_first_request")
    sync_site()
