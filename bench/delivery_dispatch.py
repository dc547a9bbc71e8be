"""« Répartir et optimiser » end to end, with the database: a slot of 24 deliveries (60 stops)
spread over 4 free couriers and bikes, then the dispatch board of that day.

    .venv/bin/python bench/delivery_dispatch.py [--runs 3] [--deliveries 24]

Uses a throw-away test database of the configured engine (SQLite by default; set
DATABASE_URL=postgres://… to measure on PostgreSQL). Prints the wall-clock time of each
dispatch (reading, locking, solving, writing rounds and stops) and of the board page, with the
number of queries of the page.
"""

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anima.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from delivery import services  # noqa: E402
from delivery.models import CargoBike, Courier, CourierShift, DeliverySlot, Round  # noqa: E402

HUB = (50.9513, 1.8587)


def point(rng: random.Random, spread: float) -> tuple[Decimal, Decimal]:
    return (
        Decimal(f"{HUB[0] + rng.uniform(-spread, spread) * 0.65:.6f}"),
        Decimal(f"{HUB[1] + rng.uniform(-spread, spread):.6f}"),
    )


def day_to_dispatch(count: int) -> DeliverySlot:
    rng = random.Random(7)
    day = timezone.localdate() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(day, clock(10)))
    slot = DeliverySlot.objects.create(
        date=day, start=start, end=start + timedelta(hours=2), cutoff=start, capacity=count
    )
    users = get_user_model().objects
    for n in range(4):
        user = users.create_user(f"coursier{n}@bench.example", "x", first_name=f"C{n}")
        courier = Courier.objects.create(user=user)
        CourierShift.objects.create(
            courier=courier, weekday=day.weekday(), start_time=clock(8), end_time=clock(20)
        )
        CargoBike.objects.create(name=f"Vélo {n}", payload_kg=Decimal(80))
    shops = [point(rng, 0.006) for _ in range(8)]
    for n in range(count):
        lat, lon = point(rng, 0.03)
        pickups = [
            services.PickupRequest(
                shop_id=s,
                shop_name=f"Commerce {s}",
                address="Calais",
                latitude=shops[s][0],
                longitude=shops[s][1],
                weight_grams=rng.randint(500, 9000),
            )
            for s in rng.sample(range(8), 1 if n % 2 else 2)
        ]
        delivery = services.create_delivery(
            services.DeliveryRequest(
                order_number=f"B{n:05d}",
                slot_id=slot.pk,
                contact_name="Client",
                contact_phone="0600000000",
                contact_email="client@bench.example",
                pickups=pickups,
                address="Calais",
                latitude=lat,
                longitude=lon,
            )
        )
        for pickup in pickups:
            services.pickup_ready(delivery.order_number, pickup.shop_id)
    return slot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--deliveries", type=int, default=24)
    args = parser.parse_args()
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0)
    try:
        slot = day_to_dispatch(args.deliveries)
        dispatcher = get_user_model().objects.create_user("regulation@bench.example", "x")
        dispatcher.groups.add(Group.objects.get(name="dispatch"))
        client = Client()
        client.force_login(dispatcher)
        print(f"database {connection.vendor} ({name}), {args.deliveries} deliveries")
        print(
            f"{'run':>4}{'dispatch s':>12}{'rounds':>8}{'unplaced':>10}{'board s':>9}{'queries':>9}"
        )
        for run in range(args.runs):
            for round_ in Round.objects.all():
                services.delete_round(round_.pk, None)
            started = time.perf_counter()
            result = services.dispatch_slot(slot.pk, None)
            dispatched = time.perf_counter() - started
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get("/livraisons/regulation/", {"date": slot.date.isoformat()})
                board = time.perf_counter() - started
            assert response.status_code == 200
            print(
                f"{run:>4}{dispatched:>12.2f}{len(result.rounds):>8}{len(result.unplaced):>10}"
                f"{board:>9.3f}{len(queries):>9}"
            )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
