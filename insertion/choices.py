"""Enumerations of the insertion domain, with their French labels.

Sources are in /work/shared/domain/insertion-reference.md; the ASP exit reasons and the QPV list
are data (models), not enumerations, because staff must be able to edit them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    """Gender as the ESF+ breaks every figure down: women, men, non-binary."""

    FEMALE = "f", _("Femme")
    MALE = "m", _("Homme")
    NON_BINARY = "x", _("Non binaire")


class Declared(models.TextChoices):
    """What a person says about themself when asked for the ESF+ (they may decline)."""

    YES = "yes", _("Oui")
    NO = "no", _("Non")
    DECLINED = "declined", _("Ne souhaite pas répondre")


class EducationLevel(models.TextChoices):
    """French 2019 qualification levels, each mapped to ISCED (CITE) for the ESF+ bands."""

    INFRA_3 = "infra3", _("Sans diplôme ou brevet (niveaux 1-2, CITE 0 à 2)")
    LEVEL_3 = "3", _("CAP, BEP (niveau 3, CITE 3)")
    LEVEL_4 = "4", _("Baccalauréat (niveau 4, CITE 3-4)")
    LEVEL_5 = "5", _("Bac + 2 (niveau 5, CITE 5)")
    LEVEL_6 = "6", _("Licence, bac + 3 (niveau 6, CITE 6)")
    LEVEL_7_8 = "7-8", _("Master, doctorat (niveaux 7-8, CITE 7-8)")


class IscedBand(models.TextChoices):
    """The three education bands of the ESF+ participant data."""

    ISCED_0_2 = "0-2", _("CITE 0 à 2")
    ISCED_3_4 = "3-4", _("CITE 3 à 4")
    ISCED_5_8 = "5-8", _("CITE 5 à 8")


ISCED_BAND = {
    EducationLevel.INFRA_3: IscedBand.ISCED_0_2,
    EducationLevel.LEVEL_3: IscedBand.ISCED_3_4,
    EducationLevel.LEVEL_4: IscedBand.ISCED_3_4,
    EducationLevel.LEVEL_5: IscedBand.ISCED_5_8,
    EducationLevel.LEVEL_6: IscedBand.ISCED_5_8,
    EducationLevel.LEVEL_7_8: IscedBand.ISCED_5_8,
}


class LabourStatus(models.TextChoices):
    UNEMPLOYED = "unemployed", _("Demandeur·se d'emploi")
    INACTIVE = "inactive", _("Inactif·ve")
    EMPLOYED = "employed", _("En emploi")


class Prescriber(models.TextChoices):
    FRANCE_TRAVAIL = "france_travail", _("France Travail")
    MISSION_LOCALE = "mission_locale", _("Mission locale")
    CAP_EMPLOI = "cap_emploi", _("Cap emploi")
    DEPARTMENT = "department", _("Département (RSA)")
    SPIP = "spip", _("SPIP (justice)")
    SOCIAL_SERVICE = "social_service", _("Service social, CCAS")
    OTHER_SIAE = "other_siae", _("Autre structure d'insertion")
    DIRECT = "direct", _("Embauche directe")
    OTHER = "other", _("Autre")


class Workshop(models.TextChoices):
    MULTIMEDIA = "multimedia", _("Atelier multimédia")
    DECO = "deco", _("Atelier déco")
    CONSTRUCTION = "construction", _("Atelier construction")
    RESTAURANT = "restaurant", _("Restaurant Les Petites Mains")
    SHOP = "shop", _("Boutique Le Comptoir de l'Îlot")
    COURIER = "courier", _("Livraison en vélo-cargo")


class ContractKind(models.TextChoices):
    INITIAL = "initial", _("Contrat initial")
    RENEWAL = "renewal", _("Avenant de renouvellement")


class DerogationGround(models.TextChoices):
    """Legal grounds to go beyond 24 months of CDDI (Code du travail L5132-15-1)."""

    SENIOR = "senior", _("50 ans ou plus, avec des difficultés particulières")
    RQTH = "rqth", _("Travailleur·se handicapé·e (RQTH), avec des difficultés particulières")
    DIFFICULTIES = "difficulties", _("Difficultés particulièrement importantes")
    TRAINING = "training", _("Achever une formation en cours")


class EarlyEndGround(models.TextChoices):
    """Grounds to end a CDDI before its term (insertion reference, « Ending a CDDI before its
    term »); allowed initiatives and extra checks are in ``insertion.early_end``."""

    AGREEMENT = "agreement", _("Accord écrit des deux parties (L1243-1)")
    MISCONDUCT = "misconduct", _("Faute grave (L1243-1)")
    FORCE_MAJEURE = "force_majeure", _("Force majeure (L1243-1)")
    UNFITNESS = "unfitness", _("Inaptitude constatée par le médecin du travail (L1243-1)")
    TRIAL_PERIOD = "trial_period", _("Rupture pendant la période d'essai (L1242-10)")
    PERMANENT_HIRING = (
        "permanent_hiring",
        _("Embauche en CDI, à l'initiative du ou de la salarié·e (L1243-2)"),
    )
    HIRED_AFTER_TRIAL = (
        "hired_after_trial",
        _("Embauche à l'issue d'une période d'essai faite pendant la suspension du CDDI"),
    )
    LONG_JOB_OR_TRAINING = (
        "long_job_or_training",
        _("CDD de 6 mois ou plus, ou formation qualifiante (motif à confirmer avec la DDETS)"),
    )


class EarlyEndInitiative(models.TextChoices):
    EMPLOYER = "employer", _("L'employeur")
    EMPLOYEE = "employee", _("Le ou la salarié·e")
    BOTH = "both", _("Les deux parties")


class SuspensionReason(models.TextChoices):
    """PASS IAE suspension reasons, as in the public code of « les emplois de l'inclusion »."""

    CONTRACT_SUSPENDED = "contract_suspended", _("Contrat suspendu plus de 15 jours")
    CONTRACT_BROKEN = "contract_broken", _("Rupture du contrat")
    CONTRACT_FINISHED = "contract_finished", _("Fin du contrat")
    CTA_AGREEMENT = "cta_agreement", _("Accord des membres du CTA")
    BRIDGE_CONTRACT = "bridge_contract", _("Contrat passerelle")


class ExtensionReason(models.TextChoices):
    """PASS IAE extension grounds (same source); caps are in ``insertion.passes``."""

    TRAINING = "training", _("Achever une formation")
    RQTH = "rqth", _("Travailleur·se handicapé·e (RQTH)")
    DIFFICULTIES = "difficulties", _("Difficultés particulières")
    SENIOR = "senior", _("50 ans ou plus")


class InterviewKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Entretien individuel")
    TRIPARTITE = "tripartite", _("Entretien tripartite avec le prescripteur")
    AT_WORK = "at_work", _("Point en situation de travail")
    PHONE = "phone", _("Entretien téléphonique")


class BarrierCategory(models.TextChoices):
    MOBILITY = "mobility", _("Mobilité")
    HOUSING = "housing", _("Logement")
    HEALTH = "health", _("Santé")
    CHILDCARE = "childcare", _("Garde d'enfants, disponibilité")
    LANGUAGE = "language", _("Langue française, illettrisme")
    DIGITAL = "digital", _("Numérique")
    JUSTICE = "justice", _("Justice")
    DEBT = "debt", _("Dettes et budget")
    ADMINISTRATIVE = "administrative", _("Démarches administratives, accès aux droits")


class BarrierStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identifié")
    IN_PROGRESS = "in_progress", _("En cours de levée")
    LIFTED = "lifted", _("Levé")


class SupportKind(models.TextChoices):
    INTERNAL = "internal", _("En interne")
    PARTNER = "partner", _("Avec un partenaire")


class ImmersionGoal(models.TextChoices):
    """The three goals a PMSMP may have (Code du travail L5135-1)."""

    DISCOVER = "discover", _("Découvrir un métier ou un secteur")
    CONFIRM = "confirm", _("Confirmer un projet professionnel")
    RECRUIT = "recruit", _("Initier une démarche de recrutement")


class ExitCategory(models.TextChoices):
    """ASP exit categories; « retrait » exits are left out of every rate."""

    DURABLE = "durable", _("Emploi durable")
    TRANSITION = "transition", _("Emploi de transition")
    POSITIVE = "positive", _("Sortie positive")
    OTHER = "other", _("Autre sortie")
    WITHDRAWN = "withdrawn", _("Retrait des sorties constatées")


class FollowUpSituation(models.TextChoices):
    """A person's situation six months after exit, asked by the European Social Fund+."""

    EMPLOYED = "employed", _("En emploi")
    TRAINING = "training", _("En formation")
    JOB_SEEKING = "job_seeking", _("Demandeur·se d'emploi")
    INACTIVE = "inactive", _("Inactif·ve")
    NO_NEWS = "no_news", _("Sans nouvelles")


class AccessAction(models.TextChoices):
    LIST = "list", _("Affichage en liste")
    VIEW = "view", _("Consultation")
    CREATE = "create", _("Création")
    CHANGE = "change", _("Modification")
    DELETE = "delete", _("Suppression")
    EXPORT = "export", _("Export")
    ANONYMISE = "anonymise", _("Anonymisation")
