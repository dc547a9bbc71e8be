"""Every e-mail the platform sends — its own and allauth's — reads right: a subject, no HTML
entity in plain text, never « example.com », and a Reply-To someone reads."""

import re
from pathlib import Path

import pytest
from allauth.account.adapter import get_adapter
from allauth.core.context import request_context
from django.conf import settings
from django.contrib.sites.models import Site
from django.core import mail
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from hub.mail import send_email
from hub.models import OutgoingEmail
from hub.sites import sync_site
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db

DATED: set[str] = set()
COUNTED: set[str] = set()
UNPACKED: dict[str, int] = {}
ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
WITH_APOSTROPHE = "Salle d'ateliers « L'Îlot » & co"


class Anything(str):
    """Stands for any object of an e-mail's context: every attribute, item, call and loop
    gives a value that prints with an apostrophe, a quote and an ampersand."""

    def __new__(cls):
        return super().__new__(cls, WITH_APOSTROPHE)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return value_for(name)

    def __getitem__(self, key):
        raise KeyError(key)  # the template then reads an attribute

    def __call__(self, *args, **kwargs):
        return Anything()

    def __iter__(self):
        return iter([Anything()])


KEYWORDS = {
    "and",
    "as",
    "blocktranslate",
    "by",
    "context",
    "count",
    "cycle",
    "else",
    "elif",
    "empty",
    "endautoescape",
    "endblocktranslate",
    "endfor",
    "endif",
    "endwith",
    "for",
    "if",
    "in",
    "include",
    "load",
    "not",
    "off",
    "on",
    "or",
    "plural",
    "translate",
    "trimmed",
    "with",
    "autoescape",
    "asvar",
    "noop",
    "is",
    "None",
    "True",
    "False",
    "firstof",
    "url",
    "now",
}


def value_for(name: str):
    if name in DATED:
        return timezone.now()
    if name in COUNTED:
        return 2
    if name in UNPACKED:
        return [tuple(Anything() for _ in range(UNPACKED[name]))]
    return Anything()


def counted_names(source: str) -> set[str]:
    """Names a template counts with (``count counter=round.stops``: ``stops``)."""
    return {match.split(".")[-1] for match in re.findall(r"\bcount \w+=([\w.]+)(?![\w.|])", source)}


def unpacked_names(source: str) -> dict[str, int]:
    """Lists a template loops over by pairs (``for day, count in days``: ``days`` → 2)."""
    return {
        target.split(".")[-1]: len(parts.split(","))
        for parts, target in re.findall(r"\bfor (\w+(?:\s*,\s*\w+)+) in ([\w.]+)", source)
    }


def dated_names(source: str) -> set[str]:
    """Names a template formats as a date or a time (``slot.start|date:…`` gives ``start``)."""
    return {
        match.split(".")[-1]
        for match in re.findall(r"([\w.]+)\|(?:date|time|timeuntil|timesince)\b", source)
    }


def names_used(source: str) -> set[str]:
    """The first part of every variable a template reads (``order`` in ``order.number``)."""
    names = set()
    for tag in re.findall(r"\{[{%](.*?)[%}]\}", source, flags=re.S):
        tag = re.sub(r"\"[^\"]*\"|'[^']*'", "", tag)
        tag = re.sub(r"\|\w+(:\S+)?", "", tag)
        names.update(re.findall(r"(?<![\w.])([A-Za-z_]\w*)", tag))
    return names - KEYWORDS


def platform_templates() -> list[str]:
    """Every e-mail template prefix of the project (``…_subject.txt``)."""
    root = Path(settings.BASE_DIR) / "templates"
    prefixes = {
        str(path.relative_to(root))[: -len("_subject.txt")]
        for path in root.rglob("*_subject.txt")
        if "account/" not in str(path.relative_to(root))
    }
    return sorted(prefixes)


def allauth_templates() -> list[str]:
    import allauth

    root = Path(allauth.__file__).parent / "templates"
    return sorted(
        str(path.relative_to(root))[: -len("_subject.txt")]
        for path in (root / "account" / "email").glob("*_subject.txt")
    )


def sources(template: str) -> list[str]:
    found = []
    for part in ("subject", "message"):
        source = get_template(f"{template}_{part}.txt", using="text").template.source
        found.append(source)
        found += included(source)
    return found


def included(source: str) -> list[str]:
    found = []
    for name in re.findall(r"(?:extends|include) \"([^\"]+)\"", source):
        inner = get_template(name, using="text").template.source
        found += [inner, *included(inner)]
    return found


def context_for(template: str) -> dict:
    """Every name the e-mail's templates read, each standing for anything (a date where the
    template formats one)."""
    texts = sources(template)
    DATED.update(*(dated_names(text) for text in texts))
    COUNTED.update(*(counted_names(text) for text in texts))
    for text in texts:
        UNPACKED.update(unpacked_names(text))
    names = set().union(*(names_used(text) for text in texts))
    return {name: value_for(name) for name in names}


def assert_reads_right(subject: str, body: str) -> None:
    assert subject.strip()
    for text in (subject, body):
        assert not ENTITY.search(text), ENTITY.search(text).group(0)
        assert "example.com" not in text


def test_the_project_has_e_mails_to_check():
    assert len(platform_templates()) > 30
    assert "shop/email/delivery_returned" in platform_templates()


@pytest.mark.parametrize("template", platform_templates())
def test_every_platform_e_mail_reads_right(template):
    context = context_for(template)

    email = send_email("camille@exemple.fr", template, context)

    email = OutgoingEmail.objects.get(pk=email.pk)
    assert_reads_right(email.subject, email.body_text)
    assert email.reply_to == settings.SUPPORT_EMAIL


@pytest.mark.parametrize("template", allauth_templates())
def test_every_allauth_e_mail_reads_right(template, rf):
    sync_site()
    request = rf.get("/")
    context = context_for(template)
    context["current_site"] = Site.objects.get_current()
    with request_context(request):
        message = get_adapter(request).render_mail(template, "camille@exemple.fr", context)

    assert_reads_right(message.subject, message.body)
    assert message.reply_to == [settings.SUPPORT_EMAIL]


def test_the_site_follows_site_url(settings):
    settings.SITE_URL = "https://anima-calais.fr"
    sync_site()

    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("anima-calais.fr", "Anima Calais")


def test_the_site_is_brought_in_step_at_the_first_request(settings, client):
    from django.core.signals import request_started

    from hub.sites import sync_site_at_first_request

    Site.objects.filter(pk=settings.SITE_ID).update(domain="example.com", name="example.com")
    request_started.connect(
        sync_site_at_first_request, dispatch_uid="hub.sync_site_at_first_request"
    )
    client.get("/")

    assert Site.objects.get(pk=settings.SITE_ID).domain == "testserver"


def test_sign_up_and_password_reset_mails_name_anima_and_can_be_answered(client):
    UserFactory(email="camille@exemple.fr")
    client.post(
        reverse("account_signup"),
        {
            "email": "lea.martin@exemple.fr",
            "first_name": "Léa",
            "last_name": "Martin",
            "password1": "velo-cargo-calais-62",
            "password2": "velo-cargo-calais-62",
        },
    )
    client.post(reverse("account_reset_password"), {"email": "camille@exemple.fr"})

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert_reads_right(message.subject, message.body)
        assert "Anima Calais" in message.body
        assert message.reply_to == [settings.SUPPORT_EMAIL]


def test_a_sent_platform_e_mail_carries_the_reply_to(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_email(
            "camille@exemple.fr",
            "shop/email/delivery_returned",
            {"order": Anything(), "reason": "Refusée à la porte", "url": "https://x"},
        )

    message = mail.outbox[-1]
    assert message.reply_to == [settings.SUPPORT_EMAIL]
    assert "répondez à ce message" in message.body
    assert "&#x27;" not in message.body


@pytest.fixture
def rf():
    return RequestFactory()
