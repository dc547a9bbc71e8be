"""The round solver: precedence, payload, windows, one visit per delivery, unplaceable jobs."""

from delivery.routing import Bike, Job, Options, Pickup, Point, solve

HUB = Point(50.9513, 1.8587)
H = 3600
OPTIONS = Options(depot=HUB)


def shop(n: int) -> Point:
    return Point(50.9513 + 0.002 * (n % 5), 1.8587 + 0.003 * (n // 5))


def home(n: int) -> Point:
    return Point(50.9513 - 0.004 + 0.0015 * (n % 7), 1.8587 - 0.005 + 0.002 * (n // 7))


def job(key, pickups, dropoff, window=(10 * H, 12 * H)):
    return Job(
        key, tuple(Pickup(f"{key}-{i}", p, w) for i, (p, w) in enumerate(pickups)), dropoff, window
    )


def bike(key="velo-1", payload_kg=100, window=(9 * H, 19 * H)):
    return Bike(key, payload_kg * 1000, window)


def positions(route):
    return {(s.job_key, s.kind, s.pickup_key): i for i, s in enumerate(route.stops)}


def test_every_pickup_comes_before_its_dropoff_on_the_same_bike():
    jobs = [job(f"d{n}", [(shop(n), 2000), (shop(n + 3), 1500)], home(n)) for n in range(8)]

    plan = solve(jobs, [bike("a"), bike("b")], OPTIONS)

    assert not plan.unplaced
    for route in plan.routes:
        order = positions(route)
        for stop in route.stops:
            if stop.kind == "dropoff":
                pickups = [
                    i
                    for (key, kind, _), i in order.items()
                    if key == stop.job_key and kind == "pickup"
                ]
                assert len(pickups) == 2, "both pickups of a delivery are on the same bike"
                assert max(pickups) < order[(stop.job_key, "dropoff", None)]


def test_each_delivery_is_dropped_off_in_one_visit():
    plan = solve(
        [job("d1", [(shop(1), 1000), (shop(2), 1000), (shop(3), 1000)], home(1))], [bike()], OPTIONS
    )

    dropoffs = [s for s in plan.routes[0].stops if s.kind == "dropoff"]
    assert len(dropoffs) == 1
    assert dropoffs[0].load_g == 0


def test_the_bike_payload_is_never_exceeded():
    jobs = [job(f"d{n}", [(shop(n), 30_000)], home(n)) for n in range(6)]

    plan = solve(jobs, [bike(payload_kg=70)], OPTIONS)

    assert not plan.unplaced
    assert all(stop.load_g <= 70_000 for stop in plan.routes[0].stops)


def test_dropoffs_happen_inside_their_slot_window():
    morning = [job(f"m{n}", [(shop(n), 1000)], home(n), (10 * H, 12 * H)) for n in range(4)]
    afternoon = [job(f"a{n}", [(shop(n), 1000)], home(n + 10), (14 * H, 16 * H)) for n in range(4)]

    plan = solve(morning + afternoon, [bike()], OPTIONS)

    assert not plan.unplaced
    for stop in plan.routes[0].stops:
        if stop.kind == "dropoff":
            low, high = (10 * H, 12 * H) if stop.job_key.startswith("m") else (14 * H, 16 * H)
            assert low <= stop.arrival_s <= high


def test_routes_start_and_end_at_the_hub_and_report_distance_and_duration():
    plan = solve([job("d1", [(shop(1), 1000)], home(1))], [bike()], OPTIONS)

    route = plan.routes[0]
    assert route.distance_m > 0
    assert route.duration_s > 0
    assert plan.distance_m == route.distance_m


def test_a_delivery_too_heavy_for_every_bike_is_reported_with_the_reason():
    plan = solve([job("lourd", [(shop(1), 1150)], home(1))], [bike(payload_kg=1)], OPTIONS)

    assert plan.routes == []
    assert [u.job_key for u in plan.unplaced] == ["lourd"]
    # The weight as every page writes it (hub.formatting.kilograms): rounded half up, NBSP.
    assert plan.unplaced[0].reason == "Trop lourd pour tous les vélos disponibles (1,2\u00a0kg)."


def test_an_unreachable_window_is_reported():
    far = Point(51.05, 2.10)  # Gravelines direction: far beyond a 30-minute window by bike
    plan = solve(
        [job("loin", [(shop(1), 1000)], far, (10 * H, 10 * H + 1800))],
        [bike(window=(10 * H, 19 * H))],
        OPTIONS,
    )

    assert plan.unplaced[0].job_key == "loin"
    assert "Créneau intenable" in plan.unplaced[0].reason


def test_without_bikes_nothing_is_placed_and_dispatch_is_told_why():
    plan = solve([job("d1", [(shop(1), 1000)], home(1))], [], OPTIONS)
    assert "Aucun vélo" in plan.unplaced[0].reason


def test_when_the_bikes_are_full_the_extra_deliveries_are_reported():
    jobs = [job(f"d{n}", [(shop(n), 40_000)], home(n), (10 * H, 11 * H)) for n in range(5)]

    plan = solve(jobs, [bike(payload_kg=80, window=(10 * H, 11 * H))], OPTIONS)

    placed = {s.job_key for r in plan.routes for s in r.stops}
    assert len(placed) + len(plan.unplaced) == 5
    assert plan.unplaced, "one bike for an hour cannot carry 200 kg"
    assert all("Plus de place" in u.reason for u in plan.unplaced)


def test_deliveries_are_split_over_the_bikes_when_one_cannot_do_them_all():
    window = (10 * H, 11 * H)
    jobs = [job(f"d{n}", [(shop(n), 20_000)], home(n), window) for n in range(10)]
    bikes = [bike(key, 60, window) for key in "abcd"]

    plan = solve(jobs, bikes, OPTIONS)

    assert not plan.unplaced
    assert len(plan.routes) >= 2
