from datetime import date
from decimal import Decimal

import factory

from hub.roles import Role
from insertion.choices import (
    BarrierCategory,
    ContractKind,
    EducationLevel,
    ImmersionGoal,
    InterviewKind,
    LabourStatus,
    Sex,
    Workshop,
)
from insertion.contracts import refresh_person_dates, refresh_worked_months
from insertion.early_end import EarlyEnd
from insertion.models import (
    Barrier,
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
from insertion.passes import default_end_date
from tests.hub.factories import StaffFactory


def CounsellorFactory(**kwargs):
    return StaffFactory(roles=[Role.CIP], **kwargs)


def DirectionFactory(**kwargs):
    return StaffFactory(roles=[Role.DIRECTION], **kwargs)


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary

    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    birth_date = date(1990, 5, 17)
    sex = Sex.FEMALE
    email = factory.Sequence(lambda n: f"salarie{n}@exemple.fr")
    phone = "06 11 22 33 44"
    address = "12 rue Royale"
    postal_code = "62100"
    city = "Calais"
    france_travail_registered = True
    unemployment_months = 14
    labour_status = LabourStatus.UNEMPLOYED
    education_level = EducationLevel.INFRA_3


def qpv(name="Beau-Marais"):
    return PriorityNeighbourhood.objects.get(name=name)


def reason(code="cdi"):
    return ExitReason.objects.get(code=code)


class ContractFactory(factory.django.DjangoModelFactory):
    """A saved contract; hours and entry date are refreshed as the services would."""

    class Meta:
        model = Contract
        skip_postgeneration_save = True  # the hook saves what it changes, through the services

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    kind = ContractKind.INITIAL
    workshop = Workshop.MULTIMEDIA
    post = "Agent·e de production multimédia"
    start_date = date(2025, 1, 1)
    end_date = date(2025, 6, 30)
    weekly_hours = Decimal(26)

    @factory.post_generation
    def refresh(self, create, extracted, **kwargs):
        if create:
            refresh_person_dates(self.beneficiary)
            refresh_worked_months(self.beneficiary)


class PassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PassIae

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    number = factory.Sequence(lambda n: f"99999{n:07d}")
    start_date = date(2025, 1, 1)
    end_date = factory.LazyAttribute(lambda o: default_end_date(o.start_date))


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    date = date(2025, 2, 1)
    kind = InterviewKind.INDIVIDUAL
    summary = "Point sur le projet professionnel."


class BarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Barrier

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    category = BarrierCategory.MOBILITY
    identified_on = date(2025, 1, 15)


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    title = "CACES R489"
    provider = "AFPA Calais"
    start_date = date(2025, 3, 1)
    end_date = date(2025, 3, 20)
    hours = Decimal(35)
    qualifying = True


class ImmersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Immersion

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    host = "Boulangerie du Courgain"
    start_date = date(2025, 4, 1)
    end_date = date(2025, 4, 14)
    goal = ImmersionGoal.DISCOVER


class ExitFactory(factory.django.DjangoModelFactory):
    """An exit saved directly (use ``insertion.exits.record_exit`` to test the rules)."""

    class Meta:
        model = Exit

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    date = date(2025, 6, 30)
    reason = factory.LazyFunction(lambda: reason("cdi"))
    over_three_months = True
    worked_days = 181


def early_end(ground="agreement", initiative="both", details=""):
    """Why a contract ends before its term (``insertion.early_end.EarlyEnd``)."""
    return EarlyEnd(ground, initiative, details)
