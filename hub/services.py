"""What the other apps may call in the hub. Plain functions, typed, one line of doc each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from anima.celery import enqueue_on_commit
from hub import roles
from hub.constraints import DateRange, PostgresExclusionConstraint, TsTzRange
from hub.csv_export import (
    admin_export,
    csv_download,
    csv_response,
    csv_text,
    neutralise,
    read_cell,
)
from hub.exceptions import Conflict
from hub.fragments import render_fragments
from hub.idempotency import idempotent_response
from hub.images import clean_image, rendition, validate_image
from hub.locking import atomic_with_lock_timeout
from hub.models import OutgoingEmail
from hub.payments.amounts import to_cents
from hub.payments.services import (
    PartRequest,
    PaymentRequest,
    PaymentSummary,
    PayoutLine,
    RefundLine,
    active_payees,
    checkout_url,
    create_payment,
    decide_part,
    drop_part,
    onboarding_url,
    online_payment_available,
    payment_summaries,
    payment_summary,
    payout_account,
    payout_lines,
    refresh_payout_account,
)
from hub.payments.services import refund as refund_payment
from hub.registry import (
    AccountLink,
    DashboardLine,
    DashboardPanel,
    DemoSeeder,
    ImpactSource,
    Indicator,
    NavEntry,
    PaymentHandler,
    PeriodicTaskSpec,
    RoomBooker,
    registry,
)
from hub.roles import Role
from hub.storage import PrivateStorage
from hub.templatetags.anima import money as format_money

DEMO_PASSWORD = "anima-demo-2026"
DEMO_DOMAIN = "demo.anima-calais.fr"

__all__ = [
    "admin_export",
    "csv_download",
    "csv_response",
    "csv_text",
    "neutralise",
    "read_cell",
    "DateRange",
    "PostgresExclusionConstraint",
    "TsTzRange",
    "Role",
    "format_money",
    "has_role",
    "private_storage",
    "api_error_responses",
    "DEMO_DOMAIN",
    "DEMO_PASSWORD",
    "demo_history_days",
    "demo_user",
    "AccountLink",
    "RoomBooker",
    "register_account_link",
    "register_room_booker",
    "render_fragments",
    "Conflict",
    "atomic_with_lock_timeout",
    "DashboardLine",
    "DashboardPanel",
    "DemoSeeder",
    "ImpactSource",
    "Indicator",
    "NavEntry",
    "PeriodicTaskSpec",
    "absolute_url",
    "clean_image",
    "grant_permissions",
    "idempotent_response",
    "register_dashboard_panel",
    "register_demo_seeder",
    "register_impact_source",
    "register_nav",
    "register_periodic_task",
    "register_role_provider",
    "rendition",
    "send_email",
    "user_roles",
    "validate_image",
    # online payment
    "PartRequest",
    "PaymentHandler",
    "PaymentRequest",
    "PaymentSummary",
    "PayoutLine",
    "RefundLine",
    "active_payees",
    "checkout_url",
    "create_payment",
    "decide_part",
    "drop_part",
    "onboarding_url",
    "online_payment_available",
    "payment_summaries",
    "payment_summary",
    "payout_account",
    "payout_lines",
    "refresh_payout_account",
    "refund_payment",
    "register_payment_handler",
    "to_cents",
]


def api_error_responses(*status_codes: int) -> dict:
    """OpenAPI error responses (400, 401, 403, 404, 409, 429) for ``extend_schema``."""
    from hub.api import error_responses

    return error_responses(*status_codes)


def grant_permissions(role: str, permissions: list[str]) -> None:
    """Give a staff role ("dispatch", "cip"…) admin permissions "app_label.codename"."""
    roles.grant(role, permissions)


def register_nav(entry: NavEntry) -> None:
    """Add a main section to the header and the home page."""
    registry.add("nav", entry)


def register_account_link(link: AccountLink) -> None:
    """Add a link to the account menu ("Mes commandes", "Espace commerçant"…)."""
    registry.add("account_links", link)


def register_room_booker(booker: RoomBooker) -> None:
    """Offer rooms that events can book (the coworking app registers one)."""
    registry.add("room_bookers", booker)


def register_demo_seeder(seeder: DemoSeeder) -> None:
    """Add an idempotent demo-data step to ``manage.py seed_demo``."""
    registry.add("demo", seeder)


def register_periodic_task(spec: PeriodicTaskSpec) -> None:
    """Declare a beat schedule, created once after migrate and then editable in the admin."""
    registry.add("periodic", spec)


def register_role_provider(provider: Callable[[Any], list[str]]) -> None:
    """Add relation roles ("merchant", "courier"…) that a user holds, for /api/v1/me/."""
    registry.add("role_providers", provider)


def register_dashboard_panel(panel: DashboardPanel) -> None:
    """Add a panel of today's to-dos for one staff role on /pilotage/."""
    registry.add("dashboard", panel)


def register_impact_source(source: ImpactSource) -> None:
    """Add aggregate indicators (never about one person) to the impact page."""
    registry.add("impact", source)


def register_payment_handler(handler: PaymentHandler) -> None:
    """Say what an app does when a payment it asked for is authorised, fails, settles."""
    registry.add("payment_handlers", handler)


def private_storage() -> PrivateStorage:
    """The storage for personal documents (outside MEDIA_ROOT); pass it as ``storage=``."""
    return PrivateStorage()


def demo_user(email: str, first_name: str, last_name: str, **extra) -> Any:
    """Create once a demo account with a confirmed e-mail and the shared demo password."""
    from hub.demo import demo_user as create

    return create(email, first_name, last_name, **extra)


def has_role(user, *role_names: str) -> bool:
    """Whether ``user`` is an active superuser or holds one of the staff roles given."""
    return roles.has_role(user, *role_names)


def user_roles(user) -> list[str]:
    """Staff group names plus relation roles declared by the apps, sorted."""
    if not user.is_authenticated:
        return []
    names = set(roles.group_names(user))
    for provider in registry.role_providers:
        names.update(provider(user))
    return sorted(names)


def absolute_url(path: str) -> str:
    """A full URL on the public site, for e-mails and links sent outside."""
    return settings.SITE_URL.rstrip("/") + path


def send_email(
    to: str,
    template: str,
    context: dict[str, Any],
    dedupe_key: str | None = None,
    language: str | None = None,
) -> OutgoingEmail | None:
    """Render ``template`` (_subject.txt, _message.txt, _message.html); send once, after commit.

    Returns None when ``dedupe_key`` was already used (the e-mail exists already).
    """
    from hub.tasks import send_outgoing_email

    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body_text = render_to_string(f"{template}_message.txt", context)
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
                },
            )
            if not created:
                return None
        else:
            email = OutgoingEmail.objects.create(
                to=to, subject=subject, body_text=body_text, body_html=body_html
            )
        enqueue_on_commit(send_outgoing_email, email.pk)
    return email


def demo_history_days() -> int:
    """How many days before today the demo's history covers (each app seeds its own past)."""
    return settings.DEMO_HISTORY_DAYS
