"""Demo data of the hub: one account per staff role, a shopper, the member structures."""

from io import BytesIO

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw

from hub.images import drawing_font
from hub.models import Structure, StructureKind, User
from hub.roles import Role
from hub.user_cache import forget_users

DEMO_PASSWORD = "anima-demo-2026"
DEMO_DOMAIN = "demo.anima-calais.fr"

STAFF = [
    (Role.DIRECTION, "Nadia", "Lefebvre"),
    (Role.DISPATCH, "Karim", "Benali"),
    (Role.CIP, "Sophie", "Delattre"),
    (Role.COWORKING, "Julien", "Caron"),
    (Role.ANIMATION, "Élodie", "Vasseur"),
    (Role.MODERATION, "Thomas", "Lemaire"),
]

STRUCTURES = [
    (
        "Les Ateliers de la Citoyenneté",
        "adlc",
        StructureKind.SIAE,
        "#0f5c4d",
        True,
        "Atelier et chantier d'insertion qui porte le pôle Anima.",
        "ADLC emploie une soixantaine de personnes, dont une large part en parcours d'insertion, "
        "dans ses ateliers multimédia, déco et construction, au restaurant Les Petites Mains et à "
        "la boutique Le Comptoir de l'Îlot. L'atelier multimédia accompagne aussi les commerçants "
        "du centre-ville dans leur communication.",
    ),
    (
        "Le Lieu Commun",
        "le-lieu-commun",
        StructureKind.ASSOCIATION,
        "#7a3e9d",
        False,
        "L'espace de coworking du pôle, en plein centre de Calais.",
        "Des postes de travail partagés et une salle de réunion, à l'heure, à la demi-journée ou "
        "au mois, avec un tarif solidaire pour les demandeurs d'emploi et les étudiants.",
    ),
    (
        "Galilée",
        "galilee",
        StructureKind.ASSOCIATION,
        "#1f5fa8",
        False,
        "Accompagnement des porteurs de projets de l'économie sociale et solidaire.",
        "Galilée aide à passer de l'idée au projet : étude, montage, financement et mise en "
        "réseau des créateurs d'activités utiles au territoire.",
    ),
    (
        "Centre Européen de Séjour de Calais",
        "centre-europeen-de-sejour",
        StructureKind.ASSOCIATION,
        "#b8860b",
        False,
        "Hébergement et séjours pour groupes, jeunes et associations.",
        "Le Centre Européen de Séjour accueille des groupes, des jeunes en mobilité et des "
        "associations, et organise des échanges européens.",
    ),
    (
        "Opale Vélo Services",
        "opale-velo-services",
        StructureKind.ASSOCIATION,
        "#2e7d32",
        True,
        "Le vélo au quotidien : réparation, apprentissage et livraisons.",
        "Ateliers de réparation participatifs, remise en selle et vélos-cargos pour les "
        "livraisons du centre-ville.",
    ),
    (
        "Made in Calais",
        "made-in-calais",
        StructureKind.ASSOCIATION,
        "#c2185b",
        False,
        "Huit ateliers d'artisans-créateurs et un espace d'ateliers ouverts.",
        "Des artisans-créateurs calaisiens louent leurs ateliers au mois au sein du pôle et "
        "vendent leurs créations, notamment au Comptoir de l'Îlot.",
    ),
    (
        "Atelier 8",
        "atelier-8",
        StructureKind.ASSOCIATION,
        "#455a64",
        False,
        "Des locaux prêtés gratuitement aux demandeurs d'emploi qui créent leur activité.",
        "Après candidature et passage en comité, Atelier 8 met à disposition un poste, un "
        "espace de stockage ou d'atelier, le temps de lancer son projet.",
    ),
    (
        "Les Animaliens",
        "les-animaliens",
        StructureKind.ASSOCIATION,
        "#6d4c41",
        False,
        "La ferme urbaine du pôle : éducation et médiation animale.",
        "Installée depuis le printemps 2019 sur l'ancien parking de l'école d'art, la ferme "
        "urbaine accueille petits et grands pour des activités de médiation animale.",
    ),
    (
        "Les Anges Gardins",
        "les-anges-gardins",
        StructureKind.SIAE,
        "#558b2f",
        True,
        "Jardins d'insertion, fruits rouges et paniers bio.",
        "Les Anges Gardins cultivent des fruits rouges, livrent des paniers bio et animent des "
        "ateliers de jardinage ouverts à tous.",
    ),
    (
        "Terre d'Opale",
        "terre-d-opale",
        StructureKind.SCIC,
        "#ef6c00",
        False,
        "Des produits bio et locaux de la Côte d'Opale.",
        "Terre d'Opale rassemble des producteurs bio du territoire ; ses produits sont en vente "
        "au Comptoir de l'Îlot.",
    ),
]


def _logo(initials: str, color: str) -> ContentFile:
    image = Image.new("RGB", (240, 240), color)
    ImageDraw.Draw(image).text(
        (120, 120), initials, fill="white", font=drawing_font(64), anchor="mm"
    )
    output = BytesIO()
    image.save(output, format="PNG")
    return ContentFile(output.getvalue())


def shows_demo_guide() -> bool:
    """The « Découvrir la démo » panel: on the embedded default, once seed_demo has run."""
    seeded = User.objects.filter(email=f"{Role.DIRECTION}@{DEMO_DOMAIN}").exists
    return settings.EMBEDDED_DEFAULT and seeded()


def demo_user(email: str, first_name: str, last_name: str, **extra) -> User:
    """Create (once) a demo account with a verified e-mail and the demo password."""
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def close_demo_accounts() -> None:
    """Leave the people of the demo content without any way to sign in (no password, inactive)."""
    people = User.objects.filter(email__iendswith=f"@{DEMO_DOMAIN}")
    EmailAddress.objects.filter(user__in=people).delete()
    people.update(is_active=False, is_staff=False, password=make_password(None))
    forget_users(people.values_list("pk", flat=True))


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    logins = []
    for role, first_name, last_name in STAFF:
        email = f"{role}@{DEMO_DOMAIN}"
        user = demo_user(email, first_name, last_name, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        logins.append((f"Équipe ADLC — {role.label}", email, DEMO_PASSWORD))
    email = f"client@{DEMO_DOMAIN}"
    demo_user(email, "Camille", "Dupont", phone="06 12 34 56 78")
    logins.append(("Client·e", email, DEMO_PASSWORD))
    for name, slug, kind, color, iae_club, summary, description in STRUCTURES:
        structure, created = Structure.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "summary": summary,
                "description": description,
                "iae_club_member": iae_club,
                "address": "Pôle Anima, Calais",
            },
        )
        if created:
            initials = "".join(word[0] for word in name.split() if word[0].isupper())[:3]
            structure.logo.save(f"{slug}.png", _logo(initials, color))
    return logins


def demo_history_days() -> int:
    """How many days before today the demo's history covers (each app seeds its own past)."""
    return settings.DEMO_HISTORY_DAYS


def demo_structure(slug: str) -> Structure | None:
    """One of the hub's structures by its slug, for other apps' demo data to point at."""
    return Structure.objects.filter(slug=slug).first()
