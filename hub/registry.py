"""Small registries the other apps fill in their ``AppConfig.ready``.

The hub imports no other app: navigation entries, demo seeders, periodic tasks, extra roles,
dashboard panels and impact indicators reach it through these lists. An absent app adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str
    url_name: str
    description: str = ""
    order: int = 100


@dataclass(frozen=True)
class AccountLink:
    """A link in the account menu, shown when ``visible(user)`` says so (default: everyone)."""

    label: str
    url_name: str
    order: int = 100
    visible: Callable[[Any], bool] | None = None
    # Models with a ``user`` whose rows decide ``visible`` (beyond the user's groups and
    # staff flags): saving or deleting one refreshes that user's menu at once.
    changes_with: tuple[type, ...] = ()


@dataclass(frozen=True)
class RoomBooker:
    """Lets the hub book rooms of another app (coworking) for events without importing it.

    ``rooms()`` lists (key, label); ``book(key, start, end, title, user)`` returns a booking
    reference or raises ``hub.exceptions.Conflict`` when the room is taken;
    ``cancel(reference)`` frees it. The hub calls both inside the event's transaction: a
    booker that writes to the same database is rolled back with a refused or failed event.
    """

    rooms: Callable[[], list[tuple[str, str]]]
    book: Callable[[str, datetime, datetime, str, Any], str]
    cancel: Callable[[str], None]


@dataclass(frozen=True)
class DemoSeeder:
    name: str
    seed: Callable[[], list[tuple[str, str, str]]]  # returns (who, e-mail, password) logins
    order: int = 100


@dataclass(frozen=True)
class PeriodicTaskSpec:
    name: str
    task: str
    crontab: dict[str, str] | None = None  # minute, hour, day_of_week, day_of_month, month
    every_seconds: int | None = None
    description: str = ""


@dataclass(frozen=True)
class DashboardLine:
    """One thing a staff member should do today, linking to where it is done."""

    label: str
    url: str
    count: int | None = None


@dataclass(frozen=True)
class DashboardPanel:
    role: str
    title: str
    lines: Callable[[Any], list[DashboardLine]]  # called with the staff user
    order: int = 100


@dataclass(frozen=True)
class Indicator:
    """An aggregate figure for the impact page: never about one person."""

    key: str
    label: str
    value: int | Decimal | None  # None: withheld by the source (a count small enough to single out)
    unit: str = ""
    description: str = ""
    public: bool = True  # False: shown to staff only (e.g. small counts that could single out)
    monthly: bool = True  # False: a total for the period only, never broken down by month
    roles: tuple[str, ...] = ()  # when set: only these roles (and superusers) see the figure
    # The value of each month of the period, keyed by the first day of its ``month_windows``
    # window, computed in the same queries as the total; None: the hub asks month by month.
    months: tuple[tuple[date, int | Decimal | None], ...] | None = None


def month_windows(first: date, last: date) -> list[tuple[date, date]]:
    """The calendar months from ``first`` to ``last`` (inclusive), each cut to the period."""
    windows, start = [], first.replace(day=1)
    while start <= last:
        following = (start + timedelta(days=32)).replace(day=1)
        windows.append((max(start, first), min(following - timedelta(days=1), last)))
        start = following
    return windows


@dataclass(frozen=True)
class ImpactSource:
    name: str
    indicators: Callable[[date, date], list[Indicator]]  # (first day, last day) inclusive
    order: int = 100


@dataclass(frozen=True)
class PaymentHandler:
    """What an app does when a payment it asked for (``purpose``) moves on. ``lock(reference)``
    locks the app's own row first (order, pass purchase, registration), so every path takes the
    locks in the same order: the app's row, then the payment. The other callbacks run inside
    that transaction: ``authorised`` once the amount is held, ``failed`` when the payer never
    paid (abandoned, expired), ``settled`` after the capture or the release, ``refunded`` after
    each refund; ``next_url`` is where the payer goes back to. ``withdraw(payment, part_key,
    cents)``, if given, runs when a refund is decided, before anything is sent: it takes back
    what the refund pays for (a pass's unused days) or refuses with a ValidationError;
    ``refund_refused(payment, refund)`` gives it back if the provider then refuses the refund."""

    purpose: str
    lock: Callable[[str], Any]
    authorised: Callable[[Any], None]
    failed: Callable[[Any], None]
    settled: Callable[[Any], None]
    refunded: Callable[[Any, Any], None]
    next_url: Callable[[Any], str]
    withdraw: Callable[[Any, str, int], None] | None = None
    refund_refused: Callable[[Any, Any], None] | None = None


@dataclass
class Registry:
    nav: list[NavEntry] = field(default_factory=list)
    account_links: list[AccountLink] = field(default_factory=list)
    room_bookers: list[RoomBooker] = field(default_factory=list)
    demo: list[DemoSeeder] = field(default_factory=list)
    periodic: list[PeriodicTaskSpec] = field(default_factory=list)
    role_providers: list[Callable[[Any], list[str]]] = field(default_factory=list)
    dashboard: list[DashboardPanel] = field(default_factory=list)
    impact: list[ImpactSource] = field(default_factory=list)
    payment_handlers: list[PaymentHandler] = field(default_factory=list)

    def add(self, kind: str, item) -> None:
        items = getattr(self, kind)
        if item not in items:
            items.append(item)


registry = Registry()


def register_nav(entry: NavEntry) -> None:
    """Add a main section to the header and the home page."""
    registry.add("nav", entry)


def register_account_link(link: AccountLink) -> None:
    """Add a link to the account menu ("Mes commandes", "Espace commerçant"…)."""
    from hub.account_menu import watch

    registry.add("account_links", link)
    watch(link)


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
