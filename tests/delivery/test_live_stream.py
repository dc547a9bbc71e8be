"""Live news (server-sent events): dispatch hears failures and stops as they are recorded, a
courier hears their own round published or changed; nobody else listens; nothing is heard of a
change before it commits, nor ever of one rolled back. Read through Django's WSGI test client
(a plain generator) and its ASGI one (an async generator), with Redis when configured."""

import json
import threading
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection, transaction
from django.test import AsyncClient, Client
from django.utils import timezone

from delivery import services
from delivery.models import LiveEvent, StopKind
from delivery.services import live
from tests.delivery.factories import CourierFactory, RoundFactory, make_delivery, published_round
from tests.hub.factories import StaffFactory, UserFactory

BOARD_STREAM = "/livraisons/regulation/flux/"
COURIER_STREAM = "/coursier/flux/"


@pytest.fixture(autouse=True)
def _quiet_stream(settings):
    # No keep-alive comes between two pieces of news unless a test asks for it.
    settings.DELIVERY_LIVE_KEEPALIVE_SECONDS = 3600
    settings.DELIVERY_LIVE_STREAM_SECONDS = 3600
    settings.DELIVERY_LIVE_POLL_SECONDS = 0.01


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Commit as the request would: the callbacks (Redis ring, pruning) run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def round_(db):
    return published_round(deliveries=[make_delivery(shops=1)])


@pytest.fixture
def dispatch(client, db):
    client.force_login(StaffFactory(roles=["dispatch"]))
    return client


class Stream:
    """A stream opened through a test client, read one piece of news at a time."""

    def __init__(self, response):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/event-stream")
        self.response = response
        self.chunks = iter(response.streaming_content)
        self.preamble = next(self.chunks).decode()

    def next_news(self) -> dict:
        for chunk in self.chunks:
            text = chunk.decode()
            if text.startswith("id: "):
                head, data = text.split("\n")[:2]
                news = json.loads(data.removeprefix("data: "))
                assert head == f"id: {news['id']}"
                return news
        raise AssertionError("the stream ended without news")

    def close(self):
        self.response.close()


@pytest.fixture
def open_stream():
    opened = []

    def open_(client, url, **headers):
        stream = Stream(client.get(url, headers=headers))
        opened.append(stream)
        return stream

    yield open_
    for stream in opened:
        stream.close()


def dropoff(round_):
    return round_.stops.get(kind=StopKind.DROPOFF)


def pick_all(round_):
    for stop in round_.stops.filter(kind=StopKind.PICKUP):
        services.record_pickup(round_.courier.user, stop.pk)


# --- Who may listen -------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_dispatch_may_listen_to_the_board(client, round_, open_stream):
    assert client.get(BOARD_STREAM).status_code == 403  # no login page: a stream cannot follow
    client.force_login(UserFactory())
    assert client.get(BOARD_STREAM).status_code == 403
    client.force_login(round_.courier.user)
    assert client.get(BOARD_STREAM).status_code == 403
    client.force_login(StaffFactory(roles=["cip"]))
    assert client.get(BOARD_STREAM).status_code == 403
    client.force_login(StaffFactory(roles=["dispatch"]))
    assert client.post(BOARD_STREAM).status_code == 405
    stream = open_stream(client, BOARD_STREAM)
    assert stream.response["X-Accel-Buffering"] == "no"
    assert "no-cache" in stream.response["Cache-Control"]
    assert stream.preamble.startswith("retry: ")


@pytest.mark.django_db
def test_only_a_courier_may_listen_to_a_courier_stream(client, round_, open_stream):
    assert client.get(COURIER_STREAM).status_code == 403
    client.force_login(StaffFactory(roles=["dispatch"]))
    assert client.get(COURIER_STREAM).status_code == 403
    client.force_login(round_.courier.user)
    open_stream(client, COURIER_STREAM)


# --- What dispatch hears ----------------------------------------------------------------------


@pytest.mark.django_db
def test_dispatch_hears_a_failure_recorded_by_the_courier(dispatch, round_, open_stream, on_commit):
    stream = open_stream(dispatch, BOARD_STREAM)
    pick_all(round_)
    assert stream.next_news()["kind"] == "stop"
    with on_commit():
        services.record_failure(round_.courier.user, dropoff(round_).pk, "absent")
    news = stream.next_news()
    assert news["kind"] == "failure"
    assert news["delivery"] == dropoff(round_).delivery_id
    assert news["day"] == round_.date.isoformat()
    # Ids and a day only: the board asks its own views for names and addresses.
    assert set(news) == {"id", "kind", "day", "round", "stop", "delivery"}


@pytest.mark.django_db
def test_dispatch_hears_a_stop_done_and_a_round_changed(dispatch, round_, open_stream):
    stream = open_stream(dispatch, BOARD_STREAM)
    pick_all(round_)
    news = stream.next_news()
    assert (news["kind"], news["round"]) == ("stop", round_.pk)
    other = RoundFactory()
    services.add_deliveries(other.pk, [make_delivery(shops=1).pk], None)
    assert stream.next_news() == {
        "id": LiveEvent.objects.latest("id").pk,
        "kind": "round",
        "day": other.date.isoformat(),
        "round": other.pk,
    }


@pytest.mark.django_db
def test_dispatch_hears_a_failure_handled(dispatch, round_, open_stream):
    pick_all(round_)
    services.record_failure(round_.courier.user, dropoff(round_).pk, "absent")
    stream = open_stream(dispatch, BOARD_STREAM)  # a new stream starts with the present
    services.return_to_shops(dropoff(round_).delivery_id, None, "Client injoignable")
    news = stream.next_news()
    assert (news["kind"], news["delivery"]) == ("failure", dropoff(round_).delivery_id)


@pytest.mark.django_db
def test_nothing_is_ever_heard_of_a_change_rolled_back(dispatch, round_, open_stream):
    stream = open_stream(dispatch, BOARD_STREAM)
    pick_all(round_)
    assert stream.next_news()["kind"] == "stop"
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record_failure(round_.courier.user, dropoff(round_).pk, "absent")
        raise RuntimeError("the request fails after the service")
    marker = RoundFactory()
    services.add_deliveries(marker.pk, [make_delivery(shops=1).pk], None)
    news = stream.next_news()
    assert (news["kind"], news["round"]) == ("round", marker.pk)


# --- What a courier hears ---------------------------------------------------------------------


def courier_listening(client, open_stream):
    """A courier signed in on ``client``, listening, and their round in preparation."""
    courier = CourierFactory()
    round_ = RoundFactory(courier=courier)
    services.add_deliveries(round_.pk, [make_delivery(shops=1).pk], None)
    client.force_login(courier.user)
    return courier, round_, open_stream(client, COURIER_STREAM)


@pytest.mark.django_db
def test_a_courier_hears_their_round_published_then_changed(client, open_stream):
    courier, round_, stream = courier_listening(client, open_stream)
    services.publish_round(round_.pk, None)
    assert stream.next_news() == {
        "id": LiveEvent.objects.filter(channel=f"courier:{courier.pk}").latest("id").pk,
        "kind": "round",
        "round": round_.pk,
    }
    services.add_deliveries(round_.pk, [make_delivery(shops=1).pk], None)
    assert stream.next_news()["round"] == round_.pk


@pytest.mark.django_db
def test_a_courier_hears_nothing_of_a_draft_nor_of_another_courier(client, open_stream):
    mine, theirs = CourierFactory(), CourierFactory()
    client.force_login(mine.user)
    stream = open_stream(client, COURIER_STREAM)
    draft = RoundFactory(courier=mine)
    services.add_deliveries(draft.pk, [make_delivery(shops=1).pk], None)  # not published yet
    published_round(courier=theirs, deliveries=[make_delivery(shops=1)])
    services.publish_round(draft.pk, None)
    news = stream.next_news()
    assert news["round"] == draft.pk


@pytest.mark.django_db
def test_a_courier_hears_a_round_taken_from_them(client, open_stream):
    before, after = CourierFactory(), CourierFactory()
    round_ = published_round(courier=before, deliveries=[make_delivery(shops=1)])
    client.force_login(before.user)
    stream = open_stream(client, COURIER_STREAM)
    services.change_round(round_.pk, None, courier_id=after.pk)
    assert stream.next_news()["round"] == round_.pk


# --- The pages ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_pages_listen_from_the_news_they_show(dispatch, client, round_):
    pick_all(round_)
    newest = LiveEvent.objects.filter(channel="board").latest("id").pk
    page = dispatch.get("/livraisons/regulation/").content.decode()
    assert f'data-live-stream="{BOARD_STREAM}?depuis={newest}"' in page
    assert 'data-live-poll="20"' in page
    client.force_login(round_.courier.user)
    mine = LiveEvent.objects.filter(channel=f"courier:{round_.courier_id}").latest("id").pk
    page = client.get("/coursier/").content.decode()
    assert f'data-live-stream="{COURIER_STREAM}?depuis={mine}"' in page
    assert 'data-live-poll="60"' in page


@pytest.mark.django_db
def test_with_the_stream_switched_off_the_pages_only_poll(dispatch, settings):
    settings.DELIVERY_LIVE_STREAM = False
    settings.DELIVERY_BOARD_POLL_SECONDS = 5
    page = dispatch.get("/livraisons/regulation/").content.decode()
    assert 'data-live-stream="" data-live-poll="5"' in page


# --- The stream itself ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_stream_resumes_after_its_last_event_id(dispatch, round_, open_stream):
    pick_all(round_)
    first = LiveEvent.objects.latest("id")
    services.record_failure(round_.courier.user, dropoff(round_).pk, "absent")
    stream = open_stream(dispatch, BOARD_STREAM, **{"Last-Event-ID": str(first.pk)})
    assert stream.next_news()["kind"] == "failure"


@pytest.mark.django_db
def test_a_nonsense_last_event_id_starts_from_the_present(dispatch, round_, open_stream):
    pick_all(round_)
    stream = open_stream(dispatch, BOARD_STREAM, **{"Last-Event-ID": "x'; DROP"})
    services.record_failure(round_.courier.user, dropoff(round_).pk, "absent")
    assert stream.next_news()["kind"] == "failure"
    ahead = open_stream(dispatch, BOARD_STREAM, **{"Last-Event-ID": "99999999"})
    services.return_to_shops(dropoff(round_).delivery_id, None)
    assert ahead.next_news()["kind"] == "failure"


@pytest.mark.django_db
def test_a_quiet_stream_sends_keep_alives_and_ends_on_its_own(dispatch, settings, open_stream):
    settings.DELIVERY_LIVE_KEEPALIVE_SECONDS = 0
    settings.DELIVERY_LIVE_STREAM_SECONDS = 0
    stream = open_stream(dispatch, BOARD_STREAM)
    rest = [chunk.decode() for chunk in stream.chunks]
    assert rest == [": keep-alive\n\n"]  # then the browser comes back after ``retry``


@pytest.mark.django_db
def test_news_older_than_an_hour_is_dropped(round_, on_commit):
    old = live.publish(live.BOARD, "stop", {})
    LiveEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2))
    with on_commit():
        kept = live.publish(live.BOARD, "stop", {})
    assert list(LiveEvent.objects.filter(pk__in=[old.pk, kept.pk])) == [kept]


async def open_board_stream_under_asgi(user):
    """``user``'s board stream served by the ASGI handler, read past its « retry: » line."""
    client = AsyncClient()
    await client.aforce_login(user)
    response = await client.get(BOARD_STREAM)
    assert response.status_code == 200
    assert response.is_async
    chunks = aiter(response.streaming_content)
    assert (await anext(chunks)).startswith(b"retry: ")
    return client, chunks


@pytest.mark.django_db
def test_under_asgi_the_view_streams_an_async_generator(round_):
    user = StaffFactory(roles=["dispatch"])

    async def scenario():
        _client, chunks = await open_board_stream_under_asgi(user)
        await sync_to_async(pick_all)(round_)
        frame = (await anext(chunks)).decode()
        await chunks.aclose()
        return frame

    frame = async_to_sync(scenario)()
    assert json.loads(frame.split("data: ", 1)[1])["kind"] == "stop"


# --- The session ends, the stream ends -------------------------------------------------------
# A stream checks its session before each read of the news: once it no longer signs in the same
# active user, the stream ends before sending anything more (on the former code it kept
# streaming for DELIVERY_LIVE_STREAM_SECONDS, here an hour: the news below would be heard).


def ended(stream) -> bool:
    """Whether the stream ends without sending anything more (news arrived meanwhile)."""
    return next(stream.chunks, None) is None


@pytest.mark.django_db
def test_logging_out_ends_the_courier_stream_and_it_is_not_opened_again(client, open_stream):
    courier, round_, stream = courier_listening(client, open_stream)
    client.logout()  # the phone handed back
    services.publish_round(round_.pk, None)
    assert ended(stream)
    assert client.get(COURIER_STREAM).status_code == 403  # the browser's reconnection


@pytest.mark.django_db
def test_logging_out_ends_only_that_sessions_stream(round_, open_stream):
    person, colleague = StaffFactory(roles=["dispatch"]), StaffFactory(roles=["dispatch"])
    dispatch, same_person, desk = Client(), Client(), Client()
    dispatch.force_login(person)
    same_person.force_login(person)
    desk.force_login(colleague)
    phone, kept, other = (open_stream(c, BOARD_STREAM) for c in (dispatch, same_person, desk))
    dispatch.logout()
    pick_all(round_)
    assert ended(phone)
    assert dispatch.get(BOARD_STREAM).status_code == 403
    # The same person's other session, and someone else's, still stream.
    assert kept.next_news()["kind"] == "stop"
    assert other.next_news()["kind"] == "stop"


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["deactivated", "password changed", "role taken"])
def test_a_stream_ends_when_its_user_may_no_longer_listen(client, round_, open_stream, change):
    user = StaffFactory(roles=["dispatch"])
    client.force_login(user)
    stream = open_stream(client, BOARD_STREAM)
    if change == "deactivated":
        user.is_active = False
        user.save()
    elif change == "password changed":  # elsewhere: this session's hash no longer matches
        user.set_password("un autre mot de passe 2026")
        user.save()
    else:
        user.groups.clear()
    pick_all(round_)
    assert ended(stream)
    assert client.get(BOARD_STREAM).status_code == 403


@pytest.mark.django_db
def test_a_courier_profile_switched_off_ends_its_stream(client, open_stream):
    courier, round_, stream = courier_listening(client, open_stream)
    courier.is_active = False  # dispatch took the account off the rounds
    courier.save()
    services.publish_round(round_.pk, None)
    assert ended(stream)
    assert client.get(COURIER_STREAM).status_code == 403


@pytest.mark.django_db
def test_a_still_valid_session_keeps_streaming(client, round_, open_stream):
    user = StaffFactory(roles=["dispatch"])
    client.force_login(user)
    stream = open_stream(client, BOARD_STREAM)
    user.first_name = "Autre"
    user.save()  # the user's cache entry is forgotten, the session still holds
    pick_all(round_)
    assert stream.next_news()["kind"] == "stop"


@pytest.mark.django_db
def test_under_asgi_logging_out_ends_the_stream(round_):
    user = StaffFactory(roles=["dispatch"])

    async def scenario():
        client, chunks = await open_board_stream_under_asgi(user)
        await client.alogout()
        await sync_to_async(pick_all)(round_)
        rest = await anext(chunks, None)  # the former code sent the news
        refused = await client.get(BOARD_STREAM)
        return rest, refused.status_code

    assert async_to_sync(scenario)() == (None, 403)


# --- After commit, with Redis -----------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_news_is_heard_only_once_its_transaction_commits(round_):
    written, release = threading.Event(), threading.Event()
    start = live.newest_id([live.BOARD])

    def courier_fails():
        try:
            with transaction.atomic():
                pick_all(round_)
                written.set()
                release.wait()
        finally:
            connection.close()

    worker = threading.Thread(target=courier_fails)
    worker.start()
    try:
        written.wait()
        assert live.news_since([live.BOARD], start) == []
    finally:
        release.set()
        worker.join()
    assert [news["kind"] for news in live.news_since([live.BOARD], start)] == ["stop"]


@pytest.mark.django_db(transaction=True)
def test_redis_rings_the_streams_once_the_news_commits(settings, round_):
    if not live.redis_url():
        pytest.skip("Redis is not configured (CACHE_URL): streams poll the table")
    bell = live.Bell([live.BOARD])
    try:
        with transaction.atomic():
            live.publish(live.BOARD, "stop", {})
            assert not any(bell.wait(0) for _ in range(3))  # not before commit
        # Rung at once: the poll interval is made too long to be the one that answers.
        settings.DELIVERY_LIVE_POLL_SECONDS = 3600
        assert any(bell.wait(60) for _ in range(3))
    finally:
        bell.close()
