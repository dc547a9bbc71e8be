"""The participant data the European Social Fund+ asks for (Regulation (EU) 2021/1057, Annex I).

One row per participant (situation at entry, result at exit, situation six months after), and a
summary of the common indicators broken down by gender (women, men, non-binary). The 2014–2020
bands (under 25, over 54) of Regulation 1304/2013 no longer apply: ages are below 18, 18–29 and
55 and above; education is ISCED 0–2, 3–4, 5–8.

Participants are the people under contract at some point in the period; result indicators count
those of them who left during the period (the situation within four weeks of leaving, recorded
with the exit) and, six months later, the six-month check recorded by the counsellor.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from insertion.choices import (
    ISCED_BAND,
    Declared,
    FollowUpSituation,
    IscedBand,
    LabourStatus,
    Sex,
)
from insertion.exports import Table
from insertion.indicators import Period, employed
from insertion.models import Beneficiary

CHILD_BELOW = 18
YOUNG_UP_TO = 29
SENIOR_FROM = 55


def esf_age_band(age: int | None) -> str:
    """ESF+ 2021–2027 age bands: below 18, 18 to 29, 30 to 54 (no indicator), 55 and above."""
    if age is None:
        return ""
    if age < CHILD_BELOW:
        return _("Moins de 18 ans")
    if age <= YOUNG_UP_TO:
        return _("18 à 29 ans")
    return _("30 à 54 ans") if age < SENIOR_FROM else _("55 ans et plus")


def long_term_unemployed(person: Beneficiary) -> bool:
    """EU definition: unemployed more than 12 months, more than 6 months under 25."""
    if person.labour_status != LabourStatus.UNEMPLOYED or person.unemployment_months is None:
        return False
    threshold = 6 if (person.age_at_entry or 0) < 25 else 12
    return person.unemployment_months > threshold


def with_disability(person: Beneficiary) -> bool:
    return person.rqth or person.aah


def participants(period: Period) -> QuerySet[Beneficiary]:
    """People under contract at some point in the period, in record order."""
    return (
        Beneficiary.objects.filter(pk__in=employed(period))
        .select_related("qpv", "exit__reason")
        .order_by("pk")
    )


def _exit_in(person: Beneficiary, period: Period):
    exit_record = getattr(person, "exit", None)
    if exit_record and period.first_day <= exit_record.date <= period.last_day:
        return exit_record
    return None


def _declared(value: str) -> str:
    return str(Declared(value).label) if value else _("Non renseigné")


HEADERS = [
    _lazy("N° de dossier"),
    _lazy("Nom"),
    _lazy("Prénom"),
    _lazy("Genre"),
    _lazy("Âge à l'entrée"),
    _lazy("Tranche d'âge (FSE+)"),
    _lazy("Niveau de formation"),
    _lazy("CITE (FSE+)"),
    _lazy("Situation sur le marché du travail à l'entrée"),
    _lazy("Chômage de longue durée"),
    _lazy("Handicap (RQTH ou AAH)"),
    _lazy("Ressortissant·e de pays tiers"),
    _lazy("Origine étrangère"),
    _lazy("Minorité"),
    _lazy("Sans domicile ou exclu·e du logement"),
    _lazy("Zone rurale"),
    _lazy("Résident·e QPV"),
    _lazy("Minima sociaux (RSA, ASS, AAH)"),
    _lazy("Date d'entrée"),
    _lazy("Date de sortie"),
    _lazy("Catégorie de sortie"),
    _lazy("Motif de sortie"),
    _lazy("En recherche d'emploi à la sortie"),
    _lazy("En études ou en formation à la sortie"),
    _lazy("Qualification obtenue à la sortie"),
    _lazy("En emploi à la sortie"),
    _lazy("Situation six mois après"),
    _lazy("En emploi six mois après la sortie"),
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
        with_disability(person),
        _declared(person.third_country_national),
        _declared(person.foreign_background),
        _declared(person.minority),
        person.homeless,
        person.rural_area,
        person.qpv is not None,
        person.rsa or person.ass or person.aah,
        person.entry_date,
        exit_record.date if exit_record else None,
        exit_record.reason.get_category_display() if exit_record else "",
        exit_record.reason.label if exit_record else "",
        exit_record.result_job_searching if exit_record else None,
        exit_record.result_training if exit_record else None,
        exit_record.result_qualification if exit_record else None,
        exit_record.result_employed if exit_record else None,
        exit_record.get_followup_situation_display() if exit_record else "",
        _employed_six_months_after(exit_record) if exit_record else None,
    ]


def _employed_six_months_after(exit_record) -> bool | None:
    if not exit_record.followup_situation:
        return None  # the six-month check is not done yet
    return exit_record.followup_situation == FollowUpSituation.EMPLOYED


def participant_table(people: list[Beneficiary]) -> Table:
    """The ESF+ participant list as a table."""
    return Table(
        "participants",
        _("Participant·es FSE+"),
        [str(header) for header in HEADERS],
        [participant_row(person) for person in people],
    )


@dataclass(frozen=True)
class EsfIndicator:
    label: str
    counts: Callable[[Beneficiary, Period], bool]


def _age(test: Callable[[int], bool]) -> Callable[[Beneficiary, Period], bool]:
    return lambda p, _period: p.age_at_entry is not None and test(p.age_at_entry)


def _isced(band: str) -> Callable[[Beneficiary, Period], bool]:
    return lambda p, _period: ISCED_BAND[p.education_level] == band


def _yes(field: str) -> Callable[[Beneficiary, Period], bool]:
    return lambda p, _period: getattr(p, field) == Declared.YES


def _at_exit(field: str) -> Callable[[Beneficiary, Period], bool]:
    def counts(person: Beneficiary, period: Period) -> bool:
        exit_record = _exit_in(person, period)
        return bool(exit_record and getattr(exit_record, field))

    return counts


def _employed_after_six_months(person: Beneficiary, period: Period) -> bool:
    exit_record = _exit_in(person, period)
    return bool(exit_record and _employed_six_months_after(exit_record))


def _labour(status: str) -> Callable[[Beneficiary, Period], bool]:
    return lambda p, _period: p.labour_status == status


COMMON_INDICATORS = [
    EsfIndicator(_lazy("Chômeur·ses, y compris de longue durée"), _labour(LabourStatus.UNEMPLOYED)),
    EsfIndicator(_lazy("Chômeur·ses de longue durée"), lambda p, _pd: long_term_unemployed(p)),
    EsfIndicator(_lazy("Personnes inactives"), _labour(LabourStatus.INACTIVE)),
    EsfIndicator(
        _lazy("Personnes exerçant un emploi, y compris les indépendant·es"),
        _labour(LabourStatus.EMPLOYED),
    ),
    EsfIndicator(_lazy("Enfants de moins de 18 ans"), _age(lambda age: age < CHILD_BELOW)),
    EsfIndicator(
        _lazy("Jeunes de 18 à 29 ans"), _age(lambda age: CHILD_BELOW <= age <= YOUNG_UP_TO)
    ),
    EsfIndicator(_lazy("Participant·es de 55 ans et plus"), _age(lambda age: age >= SENIOR_FROM)),
    EsfIndicator(_lazy("Niveau CITE 0 à 2"), _isced(IscedBand.ISCED_0_2)),
    EsfIndicator(_lazy("Niveau CITE 3 à 4"), _isced(IscedBand.ISCED_3_4)),
    EsfIndicator(_lazy("Niveau CITE 5 à 8"), _isced(IscedBand.ISCED_5_8)),
    EsfIndicator(_lazy("Nombre total de participant·es"), lambda p, _pd: True),
    EsfIndicator(_lazy("Participant·es handicapé·es"), lambda p, _pd: with_disability(p)),
    EsfIndicator(_lazy("Ressortissant·es de pays tiers"), _yes("third_country_national")),
    EsfIndicator(_lazy("Participant·es d'origine étrangère"), _yes("foreign_background")),
    EsfIndicator(_lazy("Minorités (dont communautés marginalisées)"), _yes("minority")),
    EsfIndicator(_lazy("Sans domicile ou exclu·es du logement"), lambda p, _pd: p.homeless),
    EsfIndicator(_lazy("Participant·es des zones rurales"), lambda p, _pd: p.rural_area),
    EsfIndicator(_lazy("À la sortie : en recherche d'emploi"), _at_exit("result_job_searching")),
    EsfIndicator(
        _lazy("À la sortie : suivant des études ou une formation"), _at_exit("result_training")
    ),
    EsfIndicator(
        _lazy("À la sortie : obtenant une qualification"), _at_exit("result_qualification")
    ),
    EsfIndicator(
        _lazy("À la sortie : exerçant un emploi, y compris indépendant"),
        _at_exit("result_employed"),
    ),
    EsfIndicator(
        _lazy("Six mois après la sortie : exerçant un emploi, y compris indépendant"),
        _employed_after_six_months,
    ),
]
GENDERS = [Sex.FEMALE, Sex.MALE, Sex.NON_BINARY]


def indicator_table(people: list[Beneficiary], period: Period) -> Table:
    """The ESF+ common indicators for ``people``, by gender, with the total."""
    rows = []
    for indicator in COMMON_INDICATORS:
        counted = [person for person in people if indicator.counts(person, period)]
        by_gender = [sum(1 for p in counted if p.sex == gender) for gender in GENDERS]
        rows.append([str(indicator.label), *by_gender, len(counted)])
    return Table(
        "indicateurs",
        _("Indicateurs communs FSE+"),
        [
            _("Indicateur"),
            *[gender_header(gender) for gender in GENDERS],
            _("Total"),
        ],
        rows,
    )


def gender_header(gender: str) -> str:
    return {
        Sex.FEMALE: _("Femmes"),
        Sex.MALE: _("Hommes"),
        Sex.NON_BINARY: _("Personnes non binaires"),
    }[gender]
