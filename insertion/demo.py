"""Demo data: about twenty people in their insertion path at ADLC, dated relative to today so
that the reminders and the counsellor's panel always have something to show."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from hub.services import DEMO_PASSWORD, demo_user
from insertion import contracts, exits, followup, passes, reference_data
from insertion.choices import (
    BarrierCategory,
    BarrierStatus,
    ContractKind,
    EarlyEndGround,
    EarlyEndInitiative,
    EducationLevel,
    ImmersionGoal,
    InterviewKind,
    LabourStatus,
    Prescriber,
    Sex,
    SupportKind,
    Workshop,
)
from insertion.dates import ONE_DAY
from insertion.early_end import EarlyEnd
from insertion.models import (
    Barrier,
    BarrierAction,
    Beneficiary,
    Contract,
    Exit,
    ExitReason,
    Immersion,
    Interview,
    PassIae,
    PriorityNeighbourhood,
    Training,
)

COURIER_EMAIL = "coursier@demo.anima-calais.fr"
COUNSELLOR_EMAIL = "cip@demo.anima-calais.fr"

POSTS = {
    Workshop.MULTIMEDIA: "Assistant·e de production multimédia",
    Workshop.DECO: "Agent·e de fabrication déco",
    Workshop.CONSTRUCTION: "Ouvrier·e polyvalent·e du bâtiment",
    Workshop.RESTAURANT: "Commis de cuisine",
    Workshop.SHOP: "Employé·e de vente",
    Workshop.COURIER: "Coursier·e à vélo-cargo",
}


@dataclass
class Path:
    first_name: str
    last_name: str
    sex: str
    born: int
    workshop: str
    started_days_ago: int
    months: int = 6
    exit: tuple[str, int, str] | None = None  # reason code, days ago, destination
    qpv: str = ""
    education: str = EducationLevel.INFRA_3
    prescriber: str = Prescriber.FRANCE_TRAVAIL
    flags: tuple[str, ...] = ()
    barriers: list[tuple[str, str]] = field(default_factory=list)
    training: tuple[str, str, bool] | None = None
    immersion: tuple[str, str] | None = None
    last_interview_days_ago: int = 10
    hours: int = 26


PEOPLE = [
    Path(
        "Mehdi",
        "Ait-Ali",
        Sex.MALE,
        1994,
        Workshop.COURIER,
        150,
        qpv="Beau-Marais",
        barriers=[(BarrierCategory.HOUSING, BarrierStatus.IN_PROGRESS)],
        flags=("rsa",),
    ),
    Path(
        "Inès",
        "Lefort",
        Sex.FEMALE,
        1989,
        Workshop.RESTAURANT,
        160,
        qpv="Fort-Nieulay",
        barriers=[(BarrierCategory.CHILDCARE, BarrierStatus.LIFTED)],
        training=("HACCP, hygiène alimentaire", "CCI Littoral Hauts-de-France", False),
    ),
    Path(
        "Kévin",
        "Delpierre",
        Sex.MALE,
        2003,
        Workshop.CONSTRUCTION,
        140,
        barriers=[(BarrierCategory.MOBILITY, BarrierStatus.IDENTIFIED)],
        last_interview_days_ago=45,
    ),
    Path(
        "Sandrine",
        "Vasseur",
        Sex.FEMALE,
        1972,
        Workshop.SHOP,
        680,
        months=12,
        prescriber=Prescriber.DEPARTMENT,
        flags=("rsa",),
        education=EducationLevel.LEVEL_3,
    ),
    Path(
        "Rachid",
        "Benyahia",
        Sex.MALE,
        1981,
        Workshop.DECO,
        90,
        qpv="Beau-Marais",
        barriers=[(BarrierCategory.LANGUAGE, BarrierStatus.IN_PROGRESS)],
    ),
    Path(
        "Aurélie",
        "Caron",
        Sex.FEMALE,
        1990,
        Workshop.MULTIMEDIA,
        300,
        education=EducationLevel.LEVEL_4,
        immersion=("Imprimerie du Beffroi", ImmersionGoal.CONFIRM),
        barriers=[(BarrierCategory.DIGITAL, BarrierStatus.LIFTED)],
    ),
    Path(
        "Jordan",
        "Lemaire",
        Sex.MALE,
        2001,
        Workshop.COURIER,
        60,
        prescriber=Prescriber.MISSION_LOCALE,
        barriers=[(BarrierCategory.ADMINISTRATIVE, BarrierStatus.IDENTIFIED)],
    ),
    Path(
        "Fatou",
        "Diallo",
        Sex.FEMALE,
        1985,
        Workshop.RESTAURANT,
        420,
        months=12,
        qpv="Fort-Nieulay",
        flags=("ass",),
        training=("Titre professionnel agent·e de restauration", "AFPA Calais", True),
    ),
    Path(
        "Thierry",
        "Boulanger",
        Sex.MALE,
        1966,
        Workshop.CONSTRUCTION,
        500,
        months=12,
        flags=("rqth", "aah"),
        prescriber=Prescriber.CAP_EMPLOI,
        hours=20,
        barriers=[(BarrierCategory.HEALTH, BarrierStatus.IN_PROGRESS)],
        last_interview_days_ago=40,
    ),
    Path(
        "Laetitia",
        "Fournier",
        Sex.FEMALE,
        1993,
        Workshop.DECO,
        200,
        barriers=[(BarrierCategory.DEBT, BarrierStatus.IN_PROGRESS)],
    ),
    Path(
        "Yanis",
        "Cordier",
        Sex.MALE,
        1999,
        Workshop.MULTIMEDIA,
        250,
        education=EducationLevel.LEVEL_4,
        prescriber=Prescriber.MISSION_LOCALE,
    ),
    Path(
        "Nathalie",
        "Deschamps",
        Sex.FEMALE,
        1976,
        Workshop.SHOP,
        120,
        hours=18,
        barriers=[(BarrierCategory.HEALTH, BarrierStatus.IDENTIFIED)],
    ),
    # People who left: one per ASP category, and one after less than 3 months.
    Path(
        "Olivier",
        "Marchand",
        Sex.MALE,
        1984,
        Workshop.CONSTRUCTION,
        620,
        months=12,
        exit=("cdi", 300, "Bâtiments du Calaisis"),
        qpv="Beau-Marais",
        barriers=[(BarrierCategory.MOBILITY, BarrierStatus.LIFTED)],
        training=("CACES R489 chariots élévateurs", "AFPA Calais", True),
    ),
    Path(
        "Samia",
        "Haddad",
        Sex.FEMALE,
        1991,
        Workshop.RESTAURANT,
        400,
        months=6,
        exit=("cdd-6-mois-plus", 120, "Restaurant Le Channel"),
        immersion=("Restaurant Le Channel", ImmersionGoal.RECRUIT),
    ),
    Path(
        "Dylan",
        "Poulain",
        Sex.MALE,
        2002,
        Workshop.COURIER,
        420,
        months=6,
        exit=("cdd-moins-6-mois", 220, "Opale Vélo Services"),
    ),
    Path(
        "Émilie",
        "Roussel",
        Sex.FEMALE,
        1995,
        Workshop.MULTIMEDIA,
        330,
        months=6,
        exit=("formation-qualifiante", 90, "GRETA Grand Littoral"),
        training=("BTS communication (préparation)", "GRETA Grand Littoral", True),
    ),
    Path(
        "Patrick",
        "Lecomte",
        Sex.MALE,
        1968,
        Workshop.DECO,
        360,
        months=6,
        exit=("chomage", 60, ""),
        flags=("rsa",),
    ),
    Path(
        "Christiane",
        "Blondel",
        Sex.FEMALE,
        1961,
        Workshop.SHOP,
        700,
        months=12,
        exit=("retraite", 400, ""),
    ),
    Path(
        "Anthony",
        "Merlin",
        Sex.MALE,
        1997,
        Workshop.CONSTRUCTION,
        250,
        months=4,
        exit=("sans-nouvelles", 200, ""),
    ),
    Path(
        "Karima",
        "Bensaïd",
        Sex.FEMALE,
        1987,
        Workshop.RESTAURANT,
        380,
        months=6,
        exit=("autre-siae", 30, "Les Anges Gardins"),
        qpv="Fort-Nieulay",
    ),
]


def _slug(path: Path) -> str:
    return f"{path.first_name}.{path.last_name}".lower().replace(" ", "-")


def _email(path: Path) -> str:
    plain = _slug(path).translate(str.maketrans("éèëêïîôàç", "eeeeiioac"))
    return f"{plain}@exemple.fr"


def _person(path: Path, counsellor, today: date, number: int) -> Beneficiary:
    neighbourhood = PriorityNeighbourhood.objects.filter(name=path.qpv).first()
    return followup.save_beneficiary(
        Beneficiary(
            first_name=path.first_name,
            last_name=path.last_name,
            birth_date=date(path.born, 1 + number % 12, 1 + number % 27),
            sex=path.sex,
            email=_email(path),
            phone=f"06 {number:02d} 45 67 89",
            address=f"{number + 3} rue Royale",
            postal_code="62100",
            city="Calais",
            qpv=neighbourhood,
            counsellor=counsellor,
            prescriber=path.prescriber,
            prescriber_name="Agence de Calais" if path.prescriber else "",
            france_travail_registered=path.prescriber != Prescriber.DIRECT,
            unemployment_months=6 + number * 3 % 30,
            labour_status=LabourStatus.UNEMPLOYED,
            rsa="rsa" in path.flags,
            ass="ass" in path.flags,
            aah="aah" in path.flags,
            rqth="rqth" in path.flags,
            education_level=path.education,
        ),
        None,
    )


def _contracts(person: Beneficiary, path: Path, start: date, until: date) -> None:
    previous = None
    while previous is None or previous.end_date < until:
        begin = previous.end_date + ONE_DAY if previous else start
        contract = Contract(
            beneficiary=person,
            kind=ContractKind.RENEWAL if previous else ContractKind.INITIAL,
            previous=previous,
            workshop=path.workshop,
            post=POSTS[path.workshop],
            start_date=begin,
            end_date=begin + relativedelta(months=path.months) - ONE_DAY,
            weekly_hours=Decimal(path.hours),
            hours_justification="Reprise progressive du travail après une longue période "
            "d'inactivité."
            if path.hours < 20
            else "",
        )
        previous = contracts.record_contract(contract, None)


def _follow_up(person: Beneficiary, path: Path, counsellor, start: date, today: date) -> None:
    end = today - timedelta(days=path.exit[1]) if path.exit else today
    followup.record_item(
        Interview(
            beneficiary=person,
            date=start + timedelta(days=7),
            counsellor=counsellor,
            kind=InterviewKind.INDIVIDUAL,
            summary="Entretien d'accueil : présentation de l'atelier, premiers objectifs.",
            next_steps="Faire le point sur la mobilité et les démarches en cours.",
        ),
        None,
    )
    last = end - timedelta(days=path.last_interview_days_ago if not path.exit else 15)
    if last > start + timedelta(days=7):
        followup.record_item(
            Interview(
                beneficiary=person,
                date=last,
                counsellor=counsellor,
                kind=InterviewKind.AT_WORK,
                summary="Point en situation de travail avec l'encadrant·e technique.",
                next_steps="Préparer la suite du parcours.",
            ),
            None,
        )
    for category, status in path.barriers:
        barrier = followup.record_item(
            Barrier(beneficiary=person, category=category, identified_on=start + timedelta(days=7)),
            None,
        )
        if status != BarrierStatus.IDENTIFIED:
            followup.add_barrier_action(
                BarrierAction(
                    barrier=barrier,
                    date=start + timedelta(days=20),
                    description="Orientation vers un partenaire et premier rendez-vous.",
                    support=SupportKind.PARTNER,
                    partner="Cité de l'Emploi de Calais",
                ),
                None,
            )
        if status == BarrierStatus.LIFTED:
            followup.move_barrier(barrier, BarrierStatus.LIFTED, start + timedelta(days=60), None)
    if path.training:
        title, body, qualifying = path.training
        first = min(start + timedelta(days=45), end - timedelta(days=10))
        followup.record_item(
            Training(
                beneficiary=person,
                title=title,
                provider=body,
                start_date=first,
                end_date=first + timedelta(days=4),
                hours=Decimal(35),
                qualifying=qualifying,
            ),
            None,
        )
    if path.immersion:
        host, goal = path.immersion
        first = min(start + timedelta(days=80), end - timedelta(days=20))
        followup.record_item(
            Immersion(
                beneficiary=person,
                host=host,
                start_date=first,
                end_date=first + timedelta(days=11),
                goal=goal,
                outcome="Bon accueil, compétences confirmées.",
            ),
            None,
        )


# Why each demo exit ends the CDDI before its term, when it does.
EARLY_ENDS = {
    "cdi": EarlyEnd(EarlyEndGround.PERMANENT_HIRING, EarlyEndInitiative.EMPLOYEE),
    "sans-nouvelles": EarlyEnd(
        EarlyEndGround.MISCONDUCT,
        EarlyEndInitiative.EMPLOYER,
        "Absence injustifiée prolongée, sans réponse aux courriers.",
    ),
}
BY_AGREEMENT = EarlyEnd(EarlyEndGround.AGREEMENT, EarlyEndInitiative.BOTH)
# The ESF+ result at exit each demo exit reason stands for.
EXIT_RESULTS = {
    "cdi": {"result_employed": True},
    "cdd-6-mois-plus": {"result_employed": True},
    "cdd-moins-6-mois": {"result_employed": True},
    "autre-siae": {"result_employed": True},
    "formation-qualifiante": {"result_training": True},
    "chomage": {"result_job_searching": True},
}


def _seed_path(path: Path, counsellor, today: date, number: int, user=None) -> None:
    person = _person(path, counsellor, today, number)
    if user is not None:
        Beneficiary.objects.filter(pk=person.pk).update(user=user)
    start = today - timedelta(days=path.started_days_ago)
    passes.record_pass(
        PassIae(beneficiary=person, number=f"99999{start:%y%m}{number:03d}", start_date=start), None
    )
    exit_day = today - timedelta(days=path.exit[1]) if path.exit else today
    _contracts(person, path, start, exit_day)
    _follow_up(person, path, counsellor, start, today)
    if path.exit:
        code, _days, destination = path.exit
        exit_record = exits.record_exit(
            Exit(
                beneficiary=person,
                date=exit_day,
                reason=ExitReason.objects.get(code=code),
                destination=destination,
                **EXIT_RESULTS.get(code, {}),
            ),
            None,
            EARLY_ENDS.get(code, BY_AGREEMENT),
        )
        if exit_day <= today - relativedelta(months=6) - timedelta(days=60):
            exits.record_followup(exit_record, exit_day + relativedelta(months=6), "employed", None)


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    reference_data.ensure()
    today = timezone.localdate()
    counsellor = get_user_model().objects.filter(email=COUNSELLOR_EMAIL).first()
    courier = demo_user(COURIER_EMAIL, "Mehdi", "Ait-Ali")
    for number, path in enumerate(PEOPLE, start=1):
        if Beneficiary.objects.filter(email=_email(path)).exists():
            continue
        linked = courier if path.workshop == Workshop.COURIER and number == 1 else None
        _seed_path(path, counsellor, today, number, user=linked)
    return [
        ("Coursier·e salarié·e en insertion (sans accès au suivi)", COURIER_EMAIL, DEMO_PASSWORD)
    ]
