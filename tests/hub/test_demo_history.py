"""seed_demo gives the demo a past: weeks of orders, rounds, bookings, events and support, dated
relative to today, so that every figure page shows real numbers on the first visit."""

from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from coworking.models import Booking, PassKind
from delivery.models import (
    Delivery,
    DeliveryEvent,
    DeliveryStatus,
    EventKind,
    Pickup,
    PickupStatus,
    Round,
    RoundStatus,
    Stop,
)
from hub.models import Event, OutgoingEmail, StatusChange
from hub.services import DEMO_PASSWORD
from hub.workflow import workflow_for
from insertion.choices import Workshop
from insertion.services import hours_by_workshop
from shop.models import (
    Merchant,
    MerchantOrder,
    MerchantOrderStatus,
    Order,
    OrderStatus,
    SupportRequest,
)

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=StringIO())


def every_row_count() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def demo():
    seed()


def test_seeding_again_changes_no_row_of_any_table():
    seed()
    first = every_row_count()

    seed()

    assert every_row_count() == first


def test_the_past_is_dated_relative_to_today_and_covers_the_configured_weeks(settings):
    settings.DEMO_HISTORY_DAYS = 56
    seed()
    today = timezone.localdate()

    placed = [timezone.localdate(at) for at in Order.objects.values_list("created_at", flat=True)]
    past = [day for day in placed if day < today]
    assert min(past) >= today - timedelta(days=57)
    assert min(past) <= today - timedelta(days=49)
    rounds = Round.objects.filter(status=RoundStatus.FINISHED)
    assert rounds.filter(date__lt=today - timedelta(days=49)).exists()
    assert not Round.objects.filter(date__gte=today, status=RoundStatus.FINISHED).exists()
    events = Event.objects.filter(start__lt=timezone.now() - timedelta(days=42))
    assert events.exists()


def test_the_impact_page_shows_the_past_on_the_first_visit(client, demo):
    page = client.get(reverse("hub:impact"))

    sources = page.context["sources"]()  # computed lazily, only when the page's cache is cold
    figures = {f.key: f.value for source in sources for f in source.figures}
    for key in [
        "shop_orders",
        "delivery_delivered",
        "delivery_km",
        "delivery_co2_avoided",
        "coworking_occupancy",
        "coworking_bookings",
        "events_held",
        "event_participants",
        "insertion_people",
    ]:
        assert figures[key] > 0, key
    assert Decimal("80") <= figures["delivery_success_rate"] < Decimal("100")


def test_deliveries_were_delivered_failed_and_brought_back_in_finished_rounds(demo):
    today = timezone.localdate()
    past = Delivery.objects.filter(slot__date__lt=today)

    statuses = set(past.values_list("status", flat=True))
    assert DeliveryStatus.DELIVERED in statuses
    assert statuses & {DeliveryStatus.FAILED, DeliveryStatus.RETURNED}
    assert not past.filter(round__isnull=True, status=DeliveryStatus.DELIVERED).exists()
    finished = Round.objects.filter(status=RoundStatus.FINISHED)
    assert finished.exists() and not finished.filter(distance_m=0).exists()
    assert {r.courier_id for r in finished} == {r.courier_id for r in Round.objects.all()}
    # Steps read as recorded when they happened, not as sent late from a phone offline.
    assert not any(event.sent_late for event in DeliveryEvent.objects.filter(delivery__in=past))


def test_the_shop_knows_how_each_past_delivery_ended(demo):
    for order in Order.objects.filter(slot__date__lt=timezone.localdate()):
        status = Delivery.objects.get(order_number=order.number).status
        parts = set(order.merchant_orders.values_list("status", flat=True))
        if status == DeliveryStatus.DELIVERED:
            assert order.status == OrderStatus.COMPLETED
            assert MerchantOrderStatus.DELIVERED in parts
        elif status in (DeliveryStatus.RETURNED, DeliveryStatus.CANCELLED):
            assert order.status == OrderStatus.CANCELLED
    refused = Order.objects.filter(merchant_orders__status=MerchantOrderStatus.REFUSED)
    collected = Order.objects.filter(merchant_orders__status=MerchantOrderStatus.COLLECTED)
    assert refused.exists() and collected.exists()


def walked(queryset) -> dict[int, list[StatusChange]]:
    """Each row's recorded moves, checked: from its first status (the field's default), one
    declared move after the other, dated in the past, ending at the row's status."""
    model = queryset.model
    workflow = workflow_for(model)
    first = str(model._meta.get_field(workflow.field).get_default())
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    changes = defaultdict(list)
    content_type = ContentType.objects.get_for_model(model)
    for change in StatusChange.objects.filter(content_type=content_type).order_by("at", "pk"):
        changes[change.object_id].append(change)
    for row in queryset:
        status = first
        for change in changes[row.pk]:
            assert (change.from_status, change.field) == (status, workflow.field), row
            assert workflow.allows(change.from_status, change.to_status), change
            assert change.at < midnight, change
            status = change.to_status
        assert status == getattr(row, workflow.field), (row, changes[row.pk])
    return {row.pk: changes[row.pk] for row in queryset}


def test_past_orders_and_parts_went_through_their_workflows_when_they_happened(demo):
    past = Order.objects.filter(idempotency_key__startswith="demo-history-")
    assert past.exists()
    orders = walked(past)
    for order in past:
        [first, *_rest] = history = orders[order.pk]
        assert first.at >= order.created_at
        if order.status == OrderStatus.CANCELLED:
            assert history[-1].at == order.cancelled_at
    parts = walked(MerchantOrder.objects.filter(order__in=past))
    for part in MerchantOrder.objects.filter(order__in=past):
        assert parts[part.pk], part  # every shop answered
        assert parts[part.pk][-1].at == part.updated_at
        assert parts[part.pk][0].at >= part.created_at
    sources = {change.source for changes in parts.values() for change in changes}
    assert {"shop.accept_part", "shop.refuse_part", "shop.mark_part_ready"} <= sources
    assert {"shop.mark_part_collected", "shop.mark_order_delivered"} <= sources
    owner = StatusChange.objects.filter(source="shop.accept_part").first().by
    assert owner.email == "commercant@demo.anima-calais.fr"


def test_past_deliveries_stops_and_rounds_went_through_their_workflows_in_order(demo):
    today = timezone.localdate()
    past = Delivery.objects.filter(slot__date__lt=today)
    deliveries = walked(past)
    for delivery in past:
        history = deliveries[delivery.pk]
        assert history, delivery  # every past delivery moved: ridden, or cancelled
        assert history[0].at >= delivery.created_at
        if delivery.status == DeliveryStatus.DELIVERED:
            assert history[-1].at == delivery.delivered_at
            assert [c.to_status for c in history][-2:] == ["in_transit", "delivered"]
    pickups = Pickup.objects.filter(delivery__in=past)
    walked(pickups)
    for pickup in pickups.filter(status=PickupStatus.PICKED_UP):
        assert pickup.ready_at <= pickup.picked_up_at  # the shop had it ready
    stops = walked(Stop.objects.filter(round__date__lt=today))
    for stop in Stop.objects.filter(round__date__lt=today).select_related("round__courier"):
        [closed] = stops[stop.pk]
        assert closed.at == stop.done_at and closed.by == stop.round.courier.user
    rounds = Round.objects.filter(date__lt=today)
    assert rounds.exists()
    for history in walked(rounds).values():
        assert [c.to_status for c in history] == ["published", "in_progress", "finished"]
    sources = set(StatusChange.objects.values_list("source", flat=True))
    assert {
        "delivery.pickup_ready",
        "delivery.record_failure",
        "delivery.return_to_shops",
    } <= sources


def test_the_delivery_figures_show_the_past_months(client, demo):
    assert client.login(email="dispatch@demo.anima-calais.fr", password=DEMO_PASSWORD)

    page = client.get(reverse("delivery:figures"))

    months = page.context["months"]
    assert sum(row.delivered for row in months) > 0
    assert sum(row.km for row in months) > 0
    assert sum(row.failed for row in months) > 0


def test_each_demo_shop_has_sales_to_read(client, demo):
    assert client.login(email="commercant@demo.anima-calais.fr", password=DEMO_PASSWORD)

    for merchant in Merchant.objects.filter(members__user__email__startswith="commercant@"):
        page = client.get(reverse("shop:merchant_sales", args=[merchant.slug]))
        assert page.status_code == 200
        assert sum(month["gross"] for month in page.context["months"]) > 0, merchant.name


def test_the_insertion_figures_count_the_hours_ridden_by_the_courier_in_insertion(demo):
    today = timezone.localdate()

    hours = hours_by_workshop(today - timedelta(days=60), today)

    assert hours[Workshop.COURIER].ridden_hours > 0


def test_coworking_regulars_used_their_passes_and_support_requests_were_answered(demo):
    past = Booking.objects.filter(end__lt=timezone.now())
    used = set(past.filter(pass_used__isnull=False).values_list("pass_used__kind", flat=True))
    assert PassKind.MONTHLY in used and used <= {PassKind.MONTHLY, PassKind.CARD}
    assert past.filter(pass_used__isnull=True, price__gt=0).exists()
    answered = SupportRequest.objects.filter(comments__from_staff=True).distinct()
    assert answered.count() >= 3


def test_nobody_is_e_mailed_about_the_past(demo):
    past = Order.objects.filter(slot__date__lt=timezone.localdate()).values_list("number")
    mails = " ".join(
        subject + body
        for subject, body in OutgoingEmail.objects.values_list("subject", "body_text")
    )

    assert past.exists()
    assert not [number for (number,) in past if number in mails]


def test_no_round_is_published_before_its_deliveries_are_planned(settings):
    settings.DEMO_HISTORY_DAYS = 7  # one week of Tuesday-Saturday slots is enough here
    seed()
    rounds = Round.objects.filter(date__lt=timezone.localdate()).prefetch_related("stops")
    assert rounds.exists()
    published = {
        change.object_id: change.at
        for change in StatusChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Round), to_status=RoundStatus.PUBLISHED
        )
    }
    for round_ in rounds:
        at = published[round_.pk]
        assert at == round_.published_at
        ids = {stop.delivery_id for stop in round_.stops.all()}
        assert ids, round_
        planned = DeliveryEvent.objects.filter(delivery__in=ids, kind=EventKind.PLANNED)
        assert {event.delivery_id for event in planned} == ids, round_
        for event in planned.select_related("delivery"):
            assert event.delivery.created_at <= event.occurred_at <= at, (round_, event)
