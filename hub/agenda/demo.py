"""Demo agenda: a dozen upcoming events of the hub's usual kinds (one nearly full, one full
with a waiting list), a monthly series, and the past weeks' events with attendance for
/impact/."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from hub.agenda.scheduling import Repeat, create_event
from hub.demo import DEMO_PASSWORD, demo_history_days, demo_user
from hub.models import (
    Audience,
    Event,
    EventKind,
    EventSeries,
    Registration,
    RegistrationStatus,
    Structure,
    StructureOrganiser,
    User,
)
from hub.roles import Role

DOMAIN = "demo.anima-calais.fr"
ORGANISER_EMAIL = f"animaliens@{DOMAIN}"
PLACE = "Pôle Anima, ancienne école d'art, Calais"

# (title, kind, structure slug, audience, days ahead, start hour, hours, capacity, price,
#  confirmed seats per registration, waiting seats per registration, place, description)
UPCOMING = [
    (
        "Déjeuner des créateurs : trouver ses premiers clients",
        EventKind.CREATORS_LUNCH,
        "galilee",
        Audience.PROJECT_HOLDERS,
        3,
        12,
        2,
        16,
        "8.00",
        [2, 1, 1, 3, 1, 2, 1, 1, 1],  # 13 of 16: nearly full
        [],
        "Salle Galilée, 1er étage",
        "Un repas partagé entre créateurs et porteurs de projet de l'ESS, avec le témoignage "
        "d'une créatrice du Comptoir de l'Îlot.",
    ),
    (
        "Atelier réparation vélo : freins et dérailleurs",
        EventKind.BIKE_REPAIR,
        "opale-velo-services",
        Audience.EVERYONE,
        4,
        14,
        3,
        8,
        "0",
        [2, 1, 1, 2, 1, 1],  # full
        [1, 2, 1],  # waiting list
        "Atelier d'Opale Vélo Services, cour du pôle",
        "Venez avec votre vélo : on apprend à régler freins et dérailleurs, outils fournis.",
    ),
    (
        "Atelier numérique : la page Facebook de votre commerce",
        EventKind.DIGITAL_WORKSHOP,
        "adlc",
        Audience.MERCHANTS,
        6,
        9,
        2,
        10,
        "0",
        [1, 1, 1],
        [],
        "Atelier multimédia d'ADLC",
        "L'atelier multimédia vous aide à créer ou rafraîchir la page de votre boutique.",
    ),
    (
        "Apéro web : vendre en ligne avec « Mon shopping c'est Calais »",
        EventKind.WEB_APERO,
        "le-lieu-commun",
        Audience.MERCHANTS,
        7,
        18,
        2,
        40,
        "0",
        [1, 2, 1, 1],
        [],
        "Le Lieu Commun, espace de coworking",
        "Échanges entre commerçants autour de la vente en ligne et de la livraison à vélo-cargo.",
    ),
    (
        "Visite de la ferme urbaine des Animaliens",
        EventKind.FARM_VISIT,
        "les-animaliens",
        Audience.FAMILIES,
        9,
        15,
        2,
        20,
        "0",
        [3, 4, 2],
        [],
        "Ferme urbaine, ancien parking de l'école d'art",
        "Rencontre avec les animaux de la ferme et découverte de la médiation animale.",
    ),
    (
        "Atelier numérique : vos démarches en ligne",
        EventKind.DIGITAL_WORKSHOP,
        "adlc",
        Audience.JOB_SEEKERS,
        11,
        10,
        2,
        8,
        "0",
        [1, 1],
        [],
        "Atelier multimédia d'ADLC",
        "France Travail, CAF, impôts : on fait ensemble vos démarches, pas à pas.",
    ),
    (
        "Atelier jardinage : planter des fruits rouges",
        EventKind.GARDENING,
        "les-anges-gardins",
        Audience.EVERYONE,
        13,
        10,
        3,
        15,
        "0",
        [2, 1],
        [],
        "Jardin de la ferme urbaine",
        "Les Anges Gardins partagent leurs gestes pour cultiver framboisiers et groseilliers.",
    ),
    (
        "Visite de la ferme pour les enfants",
        EventKind.FARM_VISIT,
        "les-animaliens",
        Audience.CHILDREN,
        16,
        14,
        2,
        12,
        "2.00",
        [2, 2],
        [],
        "Ferme urbaine, ancien parking de l'école d'art",
        "Nourrir les animaux, les brosser, les observer : une après-midi pour les 6-12 ans.",
    ),
    (
        "Déjeuner des créateurs : artisans de Made in Calais",
        EventKind.CREATORS_LUNCH,
        "made-in-calais",
        Audience.PROJECT_HOLDERS,
        18,
        12,
        2,
        16,
        "8.00",
        [1],
        [],
        "Espace ateliers Made in Calais",
        "Les artisans-créateurs ouvrent leurs ateliers et racontent leur installation.",
    ),
    (
        "Atelier réparation vélo : l'entretien de base",
        EventKind.BIKE_REPAIR,
        "opale-velo-services",
        Audience.EVERYONE,
        20,
        14,
        3,
        8,
        "0",
        [1, 1],
        [],
        "Atelier d'Opale Vélo Services, cour du pôle",
        "Crevaison, chaîne, éclairage : les gestes qui évitent la panne.",
    ),
    (
        "Apéro web : les réseaux sociaux des associations",
        EventKind.WEB_APERO,
        "centre-europeen-de-sejour",
        Audience.ESS_ACTORS,
        24,
        18,
        2,
        30,
        "0",
        [],
        [],
        "Centre Européen de Séjour",
        "Associations du Calaisis : partage d'astuces pour faire connaître vos actions.",
    ),
]

PAST = [
    ("Café de l'ESS de rentrée", EventKind.CAFE_ESS, "adlc", 75, 30, [2, 1, 3, 1, 1, 2]),
    ("Atelier réparation vélo d'automne", EventKind.BIKE_REPAIR, "opale-velo-services", 45, 8,
     [1, 1, 2, 1]),
    ("Visite de la ferme en famille", EventKind.FARM_VISIT, "les-animaliens", 20, 20,
     [3, 4, 2, 2]),
]  # fmt: skip

# The usual animations of the past weeks, each held every other week: title, kind, structure,
# weekday, hour, capacity.
FORTNIGHTLY = [
    ("Atelier numérique : vos démarches en ligne", EventKind.DIGITAL_WORKSHOP, "adlc", 1, 10, 8),
    ("Atelier réparation vélo", EventKind.BIKE_REPAIR, "opale-velo-services", 2, 14, 8),
    ("Déjeuner des créateurs", EventKind.CREATORS_LUNCH, "galilee", 4, 12, 16),
    ("Visite de la ferme urbaine", EventKind.FARM_VISIT, "les-animaliens", 5, 15, 20),
]

PEOPLE = [
    ("Camille Lefort", "camille.lefort"),
    ("Yanis Haddad", "yanis.haddad"),
    ("Julie Caron", "julie.caron"),
    ("Mehdi Benkhelifa", "mehdi.benkhelifa"),
    ("Sarah Delplace", "sarah.delplace"),
    ("Thomas Vandamme", "thomas.vandamme"),
    ("Inès Moreau", "ines.moreau"),
    ("Lucas Dewitte", "lucas.dewitte"),
    ("Amandine Roussel", "amandine.roussel"),
    ("Kevin Lemaire", "kevin.lemaire"),
    ("Nora Bensaïd", "nora.bensaid"),
    ("Pierre Flament", "pierre.flament"),
]


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _next_first_thursday() -> date:
    day = timezone.localdate() + timedelta(days=1)
    while not (day.weekday() == 3 and day.day <= 7):
        day += timedelta(days=1)
    return day


def _register(event: Event, seats: list[int], status: str, offset: int = 0) -> None:
    now = timezone.now()
    for index, count in enumerate(seats):
        name, slug = PEOPLE[(index + offset) % len(PEOPLE)]
        Registration.objects.create(
            event=event,
            name=name,
            email=f"{slug}.{event.pk}@exemple.fr",
            seats=count,
            status=status,
            queued_at=now + timedelta(seconds=index + offset),
            confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
            attended=True if event.start < now and index % 5 else None,
        )
    if status == RegistrationStatus.CONFIRMED:
        event.confirmed_seats += sum(seats)
        event.save(update_fields=["confirmed_seats"])


def _structures() -> dict[str, Structure]:
    return {structure.slug: structure for structure in Structure.objects.all()}


def _seed_series(structures, animator) -> None:
    title = "Café de l'ESS"
    if EventSeries.objects.filter(title=title).exists():
        return
    first = _next_first_thursday()
    start = timezone.make_aware(datetime.combine(first, time(18)))
    create_event(
        Event(
            title=title,
            kind=EventKind.CAFE_ESS,
            structure=structures["adlc"],
            audience=Audience.EVERYONE,
            place=PLACE,
            start=start,
            end=start + timedelta(hours=2),
            capacity=30,
            description="Chaque premier jeudi du mois, les acteurs de l'économie sociale et "
            "solidaire du Calaisis se retrouvent autour d'un café : projets, coups de main, "
            "actualités du pôle.",
            accessibility="Salle de plain-pied, accessible en fauteuil.",
        ),
        by=animator,
        repeat=Repeat("monthly", first + timedelta(days=100)),
    )


def _register_shopper(event: Event) -> None:
    """The demo shopper has a registration to see under « Mes inscriptions »."""
    shopper = User.objects.filter(email=f"client@{DOMAIN}").first()
    if shopper is None:
        return
    Registration.objects.create(
        event=event,
        user=shopper,
        name=shopper.get_full_name(),
        email=shopper.email,
        status=RegistrationStatus.CONFIRMED,
        queued_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    event.confirmed_seats += 1
    event.save(update_fields=["confirmed_seats"])


def _past_weeks(structures, animator) -> None:
    """Two events a week over the demo's past weeks, most seats taken, attendance pointed."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    for week in range(1, demo_history_days() // 7 + 1):
        for index, (title, kind, slug, weekday, hour, capacity) in enumerate(FORTNIGHTLY):
            if (week + index) % 2:
                continue
            day = monday - timedelta(weeks=week) + timedelta(days=weekday)
            start = timezone.make_aware(datetime.combine(day, time(hour)))
            if Event.objects.filter(title=title, start=start).exists():
                continue
            rng = random.Random(f"anima-demo-agenda-{title}-{day.isoformat()}")
            event = Event.objects.create(
                title=title,
                kind=kind,
                structure=structures[slug],
                place=PLACE,
                start=start,
                end=start + timedelta(hours=2),
                capacity=capacity,
                created_by=animator,
            )
            seats, wanted = [], rng.randint(capacity // 2, capacity)
            while sum(seats) < wanted and len(seats) < len(PEOPLE):
                seats.append(min(rng.choice([1, 2, 2, 3]), wanted - sum(seats)))
            _register(event, seats, RegistrationStatus.CONFIRMED, offset=week + index)


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    structures = _structures()
    animator = Group.objects.get(name=Role.ANIMATION).user_set.order_by("pk").first()
    organiser = demo_user(ORGANISER_EMAIL, "Léa", "Fournier")
    StructureOrganiser.objects.get_or_create(
        structure=structures["les-animaliens"], user=organiser, defaults={"authorised_by": animator}
    )
    _seed_series(structures, animator)
    for offset, spec in enumerate(UPCOMING):
        title, kind, slug, audience, days, hour, hours, capacity, price, seats, waiting = spec[:11]
        if Event.objects.filter(title=title).exists():
            continue
        event = Event.objects.create(
            title=title,
            kind=kind,
            structure=structures[slug],
            audience=audience,
            place=spec[11],
            description=spec[12],
            start=_at(days, hour),
            end=_at(days, hour) + timedelta(hours=hours),
            capacity=capacity,
            price=Decimal(price),
            created_by=animator,
        )
        _register(event, seats, RegistrationStatus.CONFIRMED, offset)
        _register(event, waiting, RegistrationStatus.WAITING, offset + len(seats))
        if kind == EventKind.WEB_APERO and offset == 3:
            _register_shopper(event)
    for title, kind, slug, days_ago, capacity, seats in PAST:
        if Event.objects.filter(title=title).exists():
            continue
        start = _at(-days_ago, 14)
        event = Event.objects.create(
            title=title,
            kind=kind,
            structure=structures[slug],
            place=PLACE,
            start=start,
            end=start + timedelta(hours=2),
            capacity=capacity,
            created_by=animator,
        )
        _register(event, seats, RegistrationStatus.CONFIRMED)
    _past_weeks(structures, animator)
    return [("Organisatrice — Les Animaliens", ORGANISER_EMAIL, DEMO_PASSWORD)]
