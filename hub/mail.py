"""Outgoing e-mails as the apps ask for them: rendered now, stored, sent by a task after commit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from anima.celery import enqueue_on_commit
from hub.models import OutgoingEmail
from hub.tasks import send_outgoing_email


def absolute_url(path: str) -> str:
    """A full URL on the public site, for e-mails and links sent outside."""
    return settings.SITE_URL.rstrip("/") + path


def render_text(template_name: str, context: dict[str, Any]) -> str:
    """A subject or plain-text body: the "text" template engine never HTML-escapes."""
    return render_to_string(template_name, context, using="text")


def send_email(
    to: str,
    template: str,
    context: dict[str, Any],
    dedupe_key: str | None = None,
    language: str | None = None,
    reply_to: str | None = None,
    unsubscribe_url: str = "",
) -> OutgoingEmail | None:
    """Render ``template`` (_subject.txt, _message.txt, _message.html); send once, after commit.

    The subject and the text are rendered without HTML escaping; replies go to ``reply_to``
    (the hub's ``SUPPORT_EMAIL`` by default). With ``unsubscribe_url`` (absolute, and answering
    the one-click POST of RFC 8058), the message carries List-Unsubscribe and
    List-Unsubscribe-Post, so that mail clients show their own button. Returns None when
    ``dedupe_key`` was already used (the e-mail exists already).
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_text(f"{template}_subject.txt", context).split())
        body_text = render_text(f"{template}_message.txt", context)
        try:
            body_html = render_to_string(f"{template}_message.html", context)
        except TemplateDoesNotExist:
            body_html = ""
    with transaction.atomic():
        if dedupe_key:
            email, created = OutgoingEmail.objects.get_or_create(
                dedupe_key=dedupe_key,
                defaults={
                    "to": to,
                    "subject": subject,
                    "body_text": body_text,
                    "body_html": body_html,
                    "reply_to": reply_to or settings.SUPPORT_EMAIL,
                    "unsubscribe_url": unsubscribe_url,
                },
            )
            if not created:
                return None
        else:
            email = OutgoingEmail.objects.create(
                to=to,
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                reply_to=reply_to or settings.SUPPORT_EMAIL,
                unsubscribe_url=unsubscribe_url,
            )
        enqueue_on_commit(send_outgoing_email, email.pk)
    return email
