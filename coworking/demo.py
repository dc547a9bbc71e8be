"""Demo data of the spaces: Le Lieu Commun, Made in Calais studios, Atelier 8 (idempotent)."""

from datetime import time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from coworking import services
from coworking.models import (
    Application,
    ApplicationStatus,
    ApplicationStatusChange,
    BookingMode,
    Closure,
    OccupancyAgreement,
    OpeningHours,
    Pass,
    PassKind,
    PassOffer,
    Rate,
    RateTier,
    Resource,
    ResourceKind,
    Space,
    SpaceKind,
    StudioLease,
)
from coworking.services.reminders import add_public_holidays
from coworking.services.schedule import at
from hub.services import DEMO_PASSWORD, Conflict, demo_structure, demo_user

DOMAIN = "demo.anima-calais.fr"
WEEKDAYS = range(5)

SPACES = [
    # slug, name, kind, summary, opening (weekdays, opens, closes)
    (
        "le-lieu-commun",
        "Le Lieu Commun",
        SpaceKind.COWORKING,
        "Le coworking du pôle : douze postes partagés et une salle de réunion.",
        (WEEKDAYS, time(9), time(18)),
    ),
    (
        "made-in-calais",
        "Made in Calais",
        SpaceKind.STUDIOS,
        "Huit ateliers d'artisans-créateurs loués au mois et une salle pour leurs ateliers.",
        (range(6), time(9), time(19)),
    ),
    (
        "atelier-8",
        "Atelier 8",
        SpaceKind.INCUBATOR,
        "Des locaux prêtés gratuitement aux demandeurs d'emploi qui créent leur activité.",
        (WEEKDAYS, time(9), time(18)),
    ),
]

# space slug, name, kind, capacity, mode, event room, (standard, solidarity) rates h/half/day
RESOURCES = [
    (
        "le-lieu-commun",
        "Plateau de coworking",
        ResourceKind.DESK_POOL,
        12,
        BookingMode.ONLINE,
        False,
        (("3.00", "10.00", "18.00"), ("1.50", "5.00", "9.00")),
    ),
    (
        "le-lieu-commun",
        "Salle de réunion",
        ResourceKind.MEETING_ROOM,
        1,
        BookingMode.ONLINE,
        True,
        (("15.00", "45.00", "80.00"), ("8.00", "24.00", "40.00")),
    ),
    (
        "made-in-calais",
        "Salle d'ateliers",
        ResourceKind.WORKSHOP_ROOM,
        1,
        BookingMode.ONLINE,
        True,
        (("12.00", "40.00", "70.00"), ("6.00", "20.00", "35.00")),
    ),
    (
        "atelier-8",
        "Postes Atelier 8",
        ResourceKind.DESK_POOL,
        4,
        BookingMode.AGREEMENT,
        False,
        None,
    ),
    (
        "atelier-8",
        "Stockage Atelier 8",
        ResourceKind.STORAGE,
        6,
        BookingMode.AGREEMENT,
        False,
        None,
    ),
    (
        "atelier-8",
        "Atelier partagé",
        ResourceKind.WORKSHOP_ROOM,
        1,
        BookingMode.AGREEMENT,
        False,
        None,
    ),
] + [
    ("made-in-calais", f"Atelier {n}", ResourceKind.STUDIO, 1, BookingMode.LEASE, False, None)
    for n in range(1, 9)
]

ARTISANS = [
    ("Atelier 1", "sandrine.lecomte", "Sandrine", "Lecomte", "180.00", -300, 35),
    ("Atelier 2", "marc.delpierre", "Marc", "Delpierre", "210.00", -120, 250),
    ("Atelier 4", "ines.boulanger", "Inès", "Boulanger", "180.00", -60, 305),
    ("Atelier 7", "hugo.vandamme", "Hugo", "Vandamme", "240.00", -400, 330),
]


def _spaces() -> dict[str, Space]:
    spaces = {}
    for position, (slug, name, kind, summary, opening) in enumerate(SPACES):
        space, created = Space.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "summary": summary,
                "position": position,
                "structure": demo_structure(slug),
            },
        )
        if created:
            weekdays, opens, closes = opening
            for weekday in weekdays:
                OpeningHours.objects.create(
                    space=space, weekday=weekday, opens=opens, closes=closes
                )
        spaces[slug] = space
    return spaces


def _resources(spaces) -> dict[str, Resource]:
    resources = {}
    for position, (slug, name, kind, capacity, mode, event_room, rates) in enumerate(RESOURCES):
        resource, created = Resource.objects.get_or_create(
            space=spaces[slug],
            name=name,
            defaults={
                "kind": kind,
                "capacity": capacity,
                "booking_mode": mode,
                "event_room": event_room,
                "position": position,
            },
        )
        if created and rates:
            for tier, (hourly, half_day, day) in zip(RateTier.values, rates, strict=True):
                Rate.objects.create(
                    resource=resource,
                    tier=tier,
                    hourly=Decimal(hourly),
                    half_day=Decimal(half_day),
                    day=Decimal(day),
                )
        resources[name] = resource
    return resources


def _leases(resources) -> list:
    today = timezone.localdate()
    logins = []
    for studio, login, first_name, last_name, rent, start, end in ARTISANS:
        email = f"{login}@{DOMAIN}"
        tenant = demo_user(email, first_name, last_name)
        if not StudioLease.objects.filter(studio=resources[studio]).exists():
            StudioLease.objects.create(
                studio=resources[studio],
                tenant=tenant,
                start_date=today + timedelta(days=start),
                end_date=today + timedelta(days=end),
                monthly_rent=Decimal(rent),
                deposit=Decimal(rent) * 2,
            )
        logins.append(email)
    return [("Artisan·e Made in Calais", logins[0], DEMO_PASSWORD)]


def _atelier8(resources) -> list:
    today = timezone.localdate()
    accepted = demo_user(f"porteuse.projet@{DOMAIN}", "Yasmine", "Haddad")
    waiting = demo_user(f"porteur.projet@{DOMAIN}", "Kevin", "Marchand")
    if not Application.objects.filter(applicant=accepted).exists():
        application = Application.objects.create(
            applicant=accepted,
            project_title="Couture et retouches zéro déchet",
            project="Un atelier de retouches et de création à partir de tissus de récupération.",
            needs="Une machine à coudre professionnelle, un poste et du stockage pour les tissus.",
            wants_desk=True,
            wants_storage=True,
            job_seeker_since=today - timedelta(days=240),
            availability="Du lundi au jeudi",
            status=ApplicationStatus.ACCEPTED,
            committee_date=today - timedelta(days=20),
        )
        for status, comment in [
            (ApplicationStatus.SUBMITTED, ""),
            (ApplicationStatus.UNDER_REVIEW, "Présentation au comité du mois."),
            (ApplicationStatus.ACCEPTED, "Bienvenue à Atelier 8 !"),
        ]:
            ApplicationStatusChange.objects.create(
                application=application, status=status, comment=comment
            )
        OccupancyAgreement.objects.create(
            application=application,
            holder=accepted,
            resource=resources["Postes Atelier 8"],
            start_date=today - timedelta(days=14),
            end_date=today - timedelta(days=14) + relativedelta(months=6, days=-1),
        )
    if not Application.objects.filter(applicant=waiting).exists():
        application = Application.objects.create(
            applicant=waiting,
            project_title="Réparation de petit électroménager",
            project="Réparer grille-pain, cafetières et aspirateurs plutôt que de les jeter.",
            needs="Un établi dans l'atelier partagé et une étagère de stockage.",
            wants_workshop=True,
            wants_storage=True,
            job_seeker_since=today - timedelta(days=90),
            availability="Les après-midi",
        )
        ApplicationStatusChange.objects.create(
            application=application, status=ApplicationStatus.SUBMITTED
        )
    return [
        ("Porteuse de projet Atelier 8 (acceptée)", accepted.email, DEMO_PASSWORD),
        ("Porteur de projet Atelier 8 (candidat)", waiting.email, DEMO_PASSWORD),
    ]


def _next_open_day(space: Space):
    day = timezone.localdate() + timedelta(days=2)
    hours = set(space.opening_hours.values_list("weekday", flat=True))
    while (
        day.weekday() not in hours
        or Closure.objects.filter(
            start_date__lte=day, end_date__gte=day, space__in=[None, space]
        ).exists()
    ):
        day += timedelta(days=1)
    return day


# kind, credits, validity (days), standard and solidarity prices
PASS_OFFERS = [
    (PassKind.DAY, 1, 1, "18.00", "9.00"),
    (PassKind.CARD, 10, 365, "150.00", "75.00"),
    (PassKind.MONTHLY, None, 30, "120.00", "60.00"),
]


def _pass_offers(space: Space) -> None:
    for position, (kind, credits, days, price, solidarity) in enumerate(PASS_OFFERS):
        PassOffer.objects.get_or_create(
            space=space,
            kind=kind,
            defaults={
                "credits": credits,
                "validity_days": days,
                "price": Decimal(price),
                "solidarity_price": Decimal(solidarity),
                "position": position,
            },
        )


def _coworker(resources) -> list:
    coworker = demo_user(f"coworker@{DOMAIN}", "Léa", "Fournier", phone="06 23 45 67 89")
    today = timezone.localdate()
    if not Pass.objects.filter(user=coworker).exists():
        Pass.objects.create(
            user=coworker,
            kind=PassKind.CARD,
            credits=10,
            valid_from=today,
            valid_until=today + relativedelta(years=1),
            price=Decimal("150.00"),
        )
    if not coworker.coworking_bookings.exists():
        pool = resources["Plateau de coworking"]
        day = _next_open_day(pool.space)
        moment = at(day, time(9))
        try:
            services.book(coworker, pool, moment, moment + timedelta(hours=4))
            room = resources["Salle de réunion"]
            services.book(coworker, room, moment + timedelta(hours=5), moment + timedelta(hours=6))
        except Conflict:
            pass  # the demo room was taken by someone trying the demo: nothing to add
    return [("Coworkeur·se (Le Lieu Commun)", coworker.email, DEMO_PASSWORD)]


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    today = timezone.localdate()
    add_public_holidays(today.year)
    add_public_holidays(today.year + 1)
    spaces = _spaces()
    resources = _resources(spaces)
    _pass_offers(spaces["le-lieu-commun"])
    return [*_coworker(resources), *_atelier8(resources), *_leases(resources)]
