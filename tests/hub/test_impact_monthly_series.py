"""/impact/ with every app's figures: each source gives its month-by-month values with its
totals (a few queries grouped by month), equal to what it says when asked month by month, so a
cold page runs a bounded number of queries whatever the activity."""

from datetime import date, datetime, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from delivery.models import RoundStatus, Stop, StopKind, StopState
from hub.impact import period_choices, period_from
from hub.registry import registry
from shop import services as shop_services
from shop.models import Order
from tests.conftest import isolated_caches
from tests.coworking.factories import AgreementFactory, BookingFactory, DeskPoolFactory
from tests.delivery.factories import DeliverySlotFactory, RoundFactory, make_delivery
from tests.hub.event_factories import EventFactory, RegistrationFactory
from tests.hub.factories import UserFactory
from tests.insertion.factories import ExitFactory, reason
from tests.shop.factories import ProductFactory, place

pytestmark = pytest.mark.django_db

COLD_PAGE_BUDGET = 20


def moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def activity(months: int, per_month: int) -> None:
    """Events, orders, cargo-bike rounds, bookings, Atelier 8 agreements and exits in each of
    the ``months`` months before this one (several days apart, some across a month's end)."""
    this_month = timezone.localdate().replace(day=1)
    shopper = UserFactory(phone="06 12 34 56 78")
    slot = DeliverySlotFactory(capacity=100)
    desks = DeskPoolFactory()
    for back in range(1, months + 1):
        month = this_month - relativedelta(months=back)
        for n in range(per_month):
            day = month + timedelta(days=3 + 7 * n)
            event = EventFactory(start=moment(day, 18), capacity=10 + n)
            RegistrationFactory(event=event, seats=1 + n % 3)
            RegistrationFactory(event=event, seats=2, attended=False)

            order = place(shopper, (ProductFactory(), 1 + n), key=f"k{back}-{n}", slot=slot.pk)
            shop_services.accept_part(order.merchant_orders.get())
            Order.objects.filter(pk=order.pk).update(created_at=moment(day, 11))

            round_ = RoundFactory(
                start=moment(day, 9),
                end=moment(day, 12),
                date=day,
                status=RoundStatus.FINISHED,
                started_at=moment(day, 9),
                finished_at=moment(day, 12),
                distance_m=4321 * (n + 1),
            )
            Stop.objects.create(
                round=round_,
                delivery=make_delivery(),
                kind=StopKind.DROPOFF,
                sequence=1,
                state=StopState.FAILED if n % 2 else StopState.DONE,
                failure_reason="absent" if n % 2 else "",
                done_at=moment(day, 10),
            )

            # A booking over a month's end counts in both months' occupancy.
            BookingFactory(resource=desks, start=moment(day, 9), end=moment(day, 9 + 2 + n))
            AgreementFactory(start_date=day, end_date=day + timedelta(days=40))
            ExitFactory(date=day, reason=reason("cdi" if n % 2 else "chomage"))
    last_day = this_month - timedelta(days=1)
    BookingFactory(
        resource=desks, start=moment(last_day, 22), end=moment(last_day, 23) + timedelta(hours=3)
    )


def cold_page_queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("hub:impact"), params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("months, per_month", [(2, 1), (11, 2)])
def test_a_cold_impact_page_runs_at_most_twenty_queries_whatever_the_activity(
    client, settings, django_assert_max_num_queries, months, per_month
):
    activity(months, per_month)
    settings.CACHES = isolated_caches(settings.CACHES)

    with django_assert_max_num_queries(COLD_PAGE_BUDGET):
        html = client.get(reverse("hub:impact"), {"periode": "12-mois"}).content.decode()

    assert "Livraisons en vélo-cargo" in html and "Commandes passées" in html


@pytest.mark.parametrize("months, per_month", [(2, 1), (11, 2)])
def test_staff_who_see_every_figure_also_get_a_cold_page_in_twenty_queries(
    client, settings, django_assert_max_num_queries, months, per_month
):
    activity(months, per_month)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    settings.CACHES = isolated_caches(settings.CACHES)

    with django_assert_max_num_queries(COLD_PAGE_BUDGET):
        html = client.get(reverse("hub:impact"), {"periode": "12-mois"}).content.decode()

    assert "Sorties : " in html  # exits per category, month by month, for cip and direction


def test_a_warm_page_reads_its_figures_from_the_cache(client, settings):
    activity(2, 1)
    settings.CACHES = isolated_caches(settings.CACHES)
    cold = cold_page_queries(client, periode="12-mois")

    warm = cold_page_queries(client, periode="12-mois")

    assert warm == 0 < cold


def test_each_month_of_a_figure_is_what_its_source_says_of_that_month_alone():
    """The page used to ask every source once per month: the values grouped by month in one go
    must be those, for every figure, month and period the page offers."""
    activity(11, 2)
    for key, _label in period_choices():
        period = period_from(key)
        windows = period.months()
        for source in registry.impact:
            asked = [
                {i.key: i.value for i in source.indicators(first, last)} for first, last in windows
            ]
            for indicator in source.indicators(period.first, period.last):
                if not indicator.monthly:
                    continue
                assert indicator.months is not None, (source.name, indicator.key)
                assert [first for first, _value in indicator.months] == [f for f, _l in windows]
                expected = [values[indicator.key] for values in asked]
                assert [value for _first, value in indicator.months] == expected, (
                    key,
                    indicator.key,
                )
