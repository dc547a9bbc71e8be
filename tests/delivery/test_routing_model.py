"""The round model of issue 10: shop hours and ready times, one stop per shop visit, courier
hours and breaks, true reasons for what is left out, determinism, a round re-planned on the way."""

from dataclasses import replace

from delivery.routing import (
    BREAK_S,
    Bike,
    Break,
    Job,
    Options,
    Pickup,
    Point,
    courier_breaks,
    solve,
)

HUB = Point(50.9536, 1.8592)
H = 3600
OPTIONS = Options(depot=HUB)
BEFFROI = Point(50.9528, 1.8555)
LAFAYETTE = Point(50.9496, 1.8629)


def home(n: int) -> Point:
    return Point(50.9470 + 0.0012 * (n % 6), 1.8500 + 0.0020 * (n // 6))


def parcel(key, point=BEFFROI, weight=2000, place="beffroi", **extra):
    return Pickup(key, point, weight, place=place, **extra)


def job(key, pickups, dropoff=None, window=(10 * H, 12 * H), **extra):
    return Job(key, tuple(pickups), dropoff or home(len(key)), window, **extra)


def bike(key="velo", payload_kg=80, window=(9 * H, 13 * H), **extra):
    return Bike(key, payload_kg * 1000, window, **extra)


def stops_of(plan, job_key):
    return [s for r in plan.routes for s in r.stops if s.job_key == job_key]


def test_a_part_is_collected_only_once_the_shop_has_it_ready():
    plan = solve([job("d1", [parcel("p1", ready_s=11 * H)])], [bike()], OPTIONS)

    pickup = stops_of(plan, "d1")[0]
    assert pickup.kind == "pickup"
    assert pickup.arrival_s >= 11 * H


def test_a_shop_closed_for_lunch_is_visited_when_it_opens_again():
    lunch = ((9 * H, 12 * H + 1800), (14 * H, 19 * H))
    ready_after_closing = 12 * H + 2400
    order = job(
        "d1", [parcel("p1", opening=lunch, ready_s=ready_after_closing)], window=(14 * H, 16 * H)
    )

    plan = solve([order], [bike(window=(12 * H, 17 * H))], OPTIONS)

    assert not plan.unplaced
    assert stops_of(plan, "d1")[0].arrival_s >= 14 * H


def test_a_shop_closed_during_the_whole_slot_is_the_reason_given():
    closed = ((14 * H, 19 * H),)
    order = job("d1", [parcel("p1", opening=closed, label="Boucherie Lafayette")])

    plan = solve([order], [bike()], OPTIONS)

    assert plan.routes == []
    assert "Boucherie Lafayette est fermé" in plan.unplaced[0].reason


def test_a_part_ready_after_the_slot_is_the_reason_given():
    order = job("d1", [parcel("p1", ready_s=12 * H + 600, label="Épicerie Mollien")])

    plan = solve([order], [bike()], OPTIONS)

    assert "Épicerie Mollien n'a pas la commande prête" in plan.unplaced[0].reason


def test_no_courier_working_during_the_slot_is_the_reason_given():
    plan = solve([job("d1", [parcel("p1")])], [bike(window=(14 * H, 19 * H))], OPTIONS)

    assert "Aucun coursier ne travaille pendant ce créneau (10 h 00 – 12 h 00)" in (
        plan.unplaced[0].reason
    )


def test_a_bulky_order_is_reported_as_too_bulky():
    order = job("d1", [parcel("p1", volume_l=300)])

    plan = solve([order], [bike(volume_l=200)], OPTIONS)

    assert "Trop volumineux" in plan.unplaced[0].reason


def test_the_round_ends_at_the_hub_within_the_courier_window():
    jobs = [job(f"d{n}", [parcel(f"p{n}")], home(n)) for n in range(6)]

    plan = solve(jobs, [bike(window=(9 * H + 1800, 12 * H + 1800))], OPTIONS)

    route = plan.routes[0]
    assert route.start_s >= 9 * H + 1800
    assert route.start_s + route.duration_s <= 12 * H + 1800


def test_parcels_of_several_orders_at_one_shop_are_one_visit_with_one_setup():
    jobs = [job(f"d{n}", [parcel(f"p{n}")], home(n)) for n in range(3)]
    alone = solve(jobs[:1], [bike()], OPTIONS).routes[0]

    plan = solve(jobs, [bike()], OPTIONS)

    pickups = [s for s in plan.routes[0].stops if s.kind == "pickup"]
    assert len({s.visit for s in pickups}) == 1, "the three parcels are taken in one visit"
    first, *_others, last = sorted(s.arrival_s for s in pickups)
    # The shop's setup is spent once; each further parcel takes only its handling time.
    assert last - first == OPTIONS.pickup_setup_s + 2 * OPTIONS.parcel_s
    assert plan.routes[0].stops[0].arrival_s == alone.stops[0].arrival_s


def test_drop_offs_at_one_relay_point_are_one_visit():
    relay = Point(50.9515, 1.8560)
    jobs = [job(f"d{n}", [parcel(f"p{n}", LAFAYETTE, place="lafayette")], relay) for n in range(3)]

    plan = solve(jobs, [bike()], OPTIONS)

    drops = [s for s in plan.routes[0].stops if s.kind == "dropoff"]
    assert len(drops) == 3
    assert len({s.visit for s in drops}) == 1


def test_an_order_of_ten_shops_is_planned_in_one_go_on_one_bike():
    shops = [Point(50.9500 + 0.0005 * n, 1.8540 + 0.0008 * n) for n in range(10)]
    order = job("d1", [parcel(f"p{n}", p, 1000, f"s{n}") for n, p in enumerate(shops)])

    plan = solve([order], [bike("a"), bike("b")], OPTIONS)

    assert len(plan.routes) == 1
    kinds = [s.kind for s in plan.routes[0].stops]
    assert kinds == ["pickup"] * 10 + ["dropoff"]


def test_few_bikes_ride_full_rather_than_many_empty():
    jobs = [job(f"d{n}", [parcel(f"p{n}", weight=1000)], home(n)) for n in range(4)]

    plan = solve(jobs, [bike(f"v{n}") for n in range(4)], OPTIONS)

    assert len(plan.routes) == 1


def test_a_long_shift_gets_its_legal_break_inside_the_round():
    shift = (8 * H, 16 * H)  # 8 hours: the 6-hour mark is at 14 h
    breaks = courier_breaks(shift, (12 * H, 16 * H))
    assert breaks == (Break(12 * H, 14 * H, BREAK_S),)
    jobs = [
        job(f"d{n}", [parcel(f"p{n}")], home(n), window=(12 * H + n * 1800, 14 * H + n * 1800))
        for n in range(4)
    ]

    plan = solve(jobs, [bike(window=(12 * H, 16 * H), breaks=breaks)], OPTIONS)

    assert not plan.unplaced
    (start, duration), *_ = plan.routes[0].breaks
    assert 12 * H <= start <= 14 * H and duration == BREAK_S


def test_a_short_shift_or_a_round_outside_the_six_hour_mark_takes_no_break():
    assert courier_breaks((9 * H, 13 * H), (9 * H, 13 * H)) == ()
    assert courier_breaks((8 * H, 18 * H), (15 * H, 18 * H)) == ()


def test_a_delivery_is_left_out_only_when_it_fits_no_round_and_dispatch_is_told_why():
    window = (10 * H, 10 * H + 1200)
    jobs = [job(f"d{n}", [parcel(f"p{n}", weight=45_000)], home(n), window) for n in range(3)]

    plan = solve(jobs, [bike(payload_kg=50, window=(9 * H + 1800, 10 * H + 1800))], OPTIONS)

    placed = {s.job_key for r in plan.routes for s in r.stops}
    assert len(placed) + len(plan.unplaced) == 3
    assert plan.unplaced
    assert all(u.reason.startswith("Plus de place") for u in plan.unplaced)


def test_the_smallest_search_still_places_every_delivery_that_fits():
    jobs = [
        job(f"d{n}", [parcel(f"p{n}", place=f"s{n % 5}", weight=1500)], home(n)) for n in range(24)
    ]
    bikes = [bike(f"v{n}") for n in range(4)]

    plan = solve(jobs, bikes, replace(OPTIONS, effort=0))

    assert plan.unplaced == []
    assert {s.job_key for r in plan.routes for s in r.stops} == {j.key for j in jobs}


def test_the_same_deliveries_give_the_same_plan():
    jobs = [
        job(f"d{n}", [parcel(f"p{n}", place=f"s{n % 4}", weight=2500)], home(n)) for n in range(20)
    ]
    bikes = [bike(f"v{n}") for n in range(3)]

    first, second = solve(jobs, bikes, OPTIONS), solve(jobs, bikes, OPTIONS)

    assert first == second


def test_a_round_on_the_way_starts_where_the_courier_is_with_what_is_on_the_bike():
    here = Point(50.9490, 1.8600)
    on_board = job("d1", [], home(1), on_board_g=12_000)
    to_collect = job("d2", [parcel("p2", LAFAYETTE, 3000, "lafayette")], home(2))

    plan = solve(
        [on_board, to_collect], [bike(window=(10 * H + 1200, 13 * H), start=here)], OPTIONS
    )

    route = plan.routes[0]
    assert route.start_s == 10 * H + 1200
    assert [s.kind for s in stops_of(plan, "d1")] == ["dropoff"]
    loads = {(s.job_key, s.kind): s.load_g for s in route.stops}
    assert loads[("d2", "pickup")] in (15_000, 3_000)  # with d1 still on board, or after it
    assert all(s.load_g <= 80_000 for s in route.stops)


def test_what_is_already_on_the_bike_counts_against_its_payload():
    on_board = job("d1", [], home(1), on_board_g=70_000)
    heavy = job("d2", [parcel("p2", weight=20_000)], home(2), window=(10 * H, 10 * H + 1800))

    plan = solve(
        [on_board, heavy],
        [bike(window=(10 * H, 13 * H), start=Point(50.9470, 1.8500))],
        OPTIONS,
    )

    for route in plan.routes:
        assert all(s.load_g <= 80_000 for s in route.stops)
