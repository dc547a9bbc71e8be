"""Figures per day and month: deliveries, success rate, failures by reason, km, CO2 avoided,
hours per courier — for dispatch and direction; courier hours reach the insertion indicators."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from delivery import services
from delivery.models import Round, RoundStatus, Stop, StopKind, StopState
from insertion.choices import Workshop
from insertion.services import hours_by_workshop
from tests.delivery.factories import CourierFactory, RoundFactory, make_delivery
from tests.hub.factories import StaffFactory, UserFactory
from tests.insertion.factories import BeneficiaryFactory, ContractFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def ridden_round(courier=None, day=DAY, hours=3, km=12, finished_late_by=0, outcomes=()):
    """A round of ``day`` ridden from 9:00, with drop-offs done or failed (reason)."""
    round_ = RoundFactory(
        courier=courier or CourierFactory(),
        start=at(day, 9),
        end=at(day, 9 + hours),
        date=day,
        status=RoundStatus.FINISHED,
        started_at=at(day, 9, 5),
        finished_at=at(day, 9 + hours) + timedelta(minutes=finished_late_by),
        distance_m=km * 1000,
    )
    for n, outcome in enumerate(outcomes, start=1):
        Stop.objects.create(
            round=round_,
            delivery=make_delivery(),
            kind=StopKind.DROPOFF,
            sequence=n,
            state=StopState.FAILED if outcome else StopState.DONE,
            failure_reason=outcome or "",
            done_at=at(day, 10, n),
        )
    return round_


def test_a_day_counts_attempts_success_km_and_co2(settings):
    settings.DELIVERY_DIESEL_KG_CO2E_PER_LITRE = 3.17
    settings.DELIVERY_VAN_LITRES_PER_100_KM = 9
    ridden_round(km=12, outcomes=[None, None, None, "absent"])
    ridden_round(day=DAY + timedelta(days=1), km=8, outcomes=[None, "address"])

    figures = services.daily_figures(DAY.replace(day=1), date(2026, 3, 31))

    tenth = figures.days[9]
    assert (tenth.delivered, tenth.failed, tenth.km) == (3, 1, Decimal("12.0"))
    assert tenth.success_rate == Decimal("0.750")
    assert tenth.co2_avoided_kg == Decimal("3.4")  # 12 km x 0.09 L x 3.17 kg
    assert figures.total.attempts == 6 and figures.total.km == Decimal("20.0")
    assert dict(figures.failures)["Destinataire absent"] == 1
    assert dict(figures.failures)["Adresse introuvable"] == 1
    assert len(figures.days) == 31


def test_a_month_row_per_month():
    ridden_round(outcomes=[None])
    ridden_round(day=date(2026, 1, 20), outcomes=[None, "refused"])

    months = services.monthly_figures(date(2026, 1, 1), date(2026, 3, 1))

    assert [(m.period, m.delivered, m.failed) for m in months] == [
        (date(2026, 1, 1), 1, 1),
        (date(2026, 2, 1), 0, 0),
        (date(2026, 3, 1), 1, 0),
    ]


def test_courier_hours_per_account_and_period():
    courier = CourierFactory()
    ridden_round(courier, hours=3)
    ridden_round(courier, day=DAY + timedelta(days=2), hours=2, finished_late_by=30)
    ridden_round(day=DAY, hours=4)  # someone else
    RoundFactory(courier=courier, start=at(DAY, 14), end=at(DAY, 16), date=DAY)  # never ridden

    hours = services.courier_hours(DAY, DAY + timedelta(days=6), user_ids=[courier.user_id])

    assert hours == {courier.user_id: Decimal("5.50")}
    assert services.courier_hours(DAY + timedelta(days=1), DAY + timedelta(days=1)) == {}


def test_insertion_workshop_hours_include_the_hours_ridden_by_its_couriers():
    account = UserFactory()
    person = BeneficiaryFactory(user=account)
    ContractFactory(
        beneficiary=person,
        workshop=Workshop.COURIER,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 6, 30),
    )
    ContractFactory(
        workshop=Workshop.MULTIMEDIA, start_date=date(2026, 1, 1), end_date=date(2026, 6, 30)
    )
    courier = CourierFactory(user=account)
    ridden_round(courier, hours=3)
    ridden_round(hours=4)  # a courier who is not in insertion

    workshops = hours_by_workshop(date(2026, 3, 1), date(2026, 3, 31))

    assert workshops[Workshop.COURIER].ridden_hours == Decimal("3.00")
    assert workshops[Workshop.COURIER].hours > Decimal("100")  # the contract's hours stay
    assert workshops[Workshop.MULTIMEDIA].ridden_hours is None


@pytest.mark.parametrize("roles, status", [(["dispatch"], 200), (["direction"], 200), ([], 403)])
def test_the_figures_page_is_for_dispatch_and_direction(client, roles, status):
    ridden_round(outcomes=[None, "damaged"])
    client.force_login(StaffFactory(roles=roles))

    response = client.get("/livraisons/chiffres/", {"month": "2026-03"})

    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Colis endommagé" in page and "50,0" in page
        assert "Arrêté du 26 avril 2017" in page
        assert "Heures par coursier" in page


def test_a_bad_month_shows_the_current_one(client):
    client.force_login(StaffFactory(roles=["direction"]))
    assert client.get("/livraisons/chiffres/", {"month": "mars"}).status_code == 200


def test_the_figures_page_reads_in_constant_queries(client, django_assert_max_num_queries):
    client.force_login(StaffFactory(roles=["direction"]))
    for size in (1, 6):
        for n in range(size):
            ridden_round(day=DAY + timedelta(days=n), outcomes=[None, "absent"])
        with django_assert_max_num_queries(14):
            assert client.get("/livraisons/chiffres/", {"month": "2026-03"}).status_code == 200


def test_impact_indicators_are_aggregates():
    ridden_round(km=10, outcomes=[None, None, None, "absent"])

    indicators = {i.key: i for i in services.impact_indicators(DAY, DAY)}

    assert indicators["delivery_delivered"].value == 3
    assert indicators["delivery_success_rate"].value == Decimal("75.0")
    assert indicators["delivery_km"].value == Decimal("10.0")
    assert indicators["delivery_co2_avoided"].value > 0
    assert Round.objects.count() == 1


def test_the_insertion_figures_show_the_hours_ridden_by_courier_employees(client):
    account = UserFactory()
    ContractFactory(
        beneficiary=BeneficiaryFactory(user=account),
        workshop=Workshop.COURIER,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 6, 30),
    )
    ridden_round(CourierFactory(user=account), hours=3)
    client.force_login(StaffFactory(roles=["direction"]))

    response = client.get(
        "/insertion/indicateurs/export.csv",
        {"table": "ateliers", "first_month": "2026-03", "last_month": "2026-03"},
    )

    lines = response.content.decode("utf-8").lstrip("\ufeff").splitlines()
    assert lines[0].endswith(";dont heures de tournée à vélo-cargo")
    courier_line = next(line for line in lines if line.startswith("Livraison"))
    assert courier_line.endswith(";3,00")
