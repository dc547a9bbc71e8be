"""The participant list the European Social Fund+ asks for: situation at entry, at exit and
six months after, with the ESF+ bands (age, ISCED education level, labour-market status)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from insertion.choices import ISCED_BAND, LabourStatus
from insertion.exports import Table
from insertion.indicators import Period, employed
from insertion.models import Beneficiary


def esf_age_band(age: int | None) -> str:
    """ESF+ age bands: under 25, 25 to 54, over 54."""
    if age is None:
        return ""
    if age < 25:
        return _("Moins de 25 ans")
    return _("25 à 54 ans") if age <= 54 else _("Plus de 54 ans")


def long_term_unemployed(person: Beneficiary) -> bool:
    """EU definition: unemployed more than 12 months, more than 6 months under 25."""
    if person.labour_status != LabourStatus.UNEMPLOYED or person.unemployment_months is None:
        return False
    threshold = 6 if (person.age_at_entry or 0) < 25 else 12
    return person.unemployment_months > threshold


def participants(period: Period) -> QuerySet[Beneficiary]:
    """People under contract at some point in the period, in record order."""
    return (
        Beneficiary.objects.filter(pk__in=employed(period))
        .select_related("qpv", "exit__reason")
        .order_by("pk")
    )


HEADERS = [
    "N° de dossier",
    "Nom",
    "Prénom",
    "Sexe",
    "Âge à l'entrée",
    "Tranche d'âge (FSE+)",
    "Niveau de formation",
    "CITE (FSE+)",
    "Situation à l'entrée",
    "Chômage de longue durée",
    "Handicap (RQTH ou AAH)",
    "Résident·e QPV",
    "Minima sociaux (RSA, ASS, AAH)",
    "Date d'entrée",
    "Date de sortie",
    "Catégorie de sortie",
    "Motif de sortie",
    "Situation six mois après",
]


def participant_row(person: Beneficiary) -> list:
    exit_record = getattr(person, "exit", None)
    return [
        person.pk,
        person.last_name,
        person.first_name,
        person.get_sex_display(),
        person.age_at_entry,
        esf_age_band(person.age_at_entry),
        person.get_education_level_display(),
        ISCED_BAND[person.education_level].label,
        person.get_labour_status_display(),
        long_term_unemployed(person),
        person.rqth or person.aah,
        person.qpv is not None,
        person.rsa or person.ass or person.aah,
        person.entry_date,
        exit_record.date if exit_record else None,
        exit_record.reason.get_category_display() if exit_record else "",
        exit_record.reason.label if exit_record else "",
        exit_record.get_followup_situation_display() if exit_record else "",
    ]


def participant_table(people: list[Beneficiary]) -> Table:
    """The ESF+ participant list as a table."""
    return Table(
        "participants",
        _("Participant·es FSE+"),
        [_(header) for header in HEADERS],
        [participant_row(person) for person in people],
    )
