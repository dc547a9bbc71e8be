"""Real races for tests on PostgreSQL: each call in its own thread and database connection."""

import threading
from contextlib import contextmanager

from django.db import close_old_connections, connection, transaction

from hub.exceptions import Conflict


def run_together(calls) -> list[str]:
    """Run each call in its own thread and connection, all released at once by a barrier;
    return "ok" or "conflict" per call, in the order they finished."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def worker(call):
        close_old_connections()
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@contextmanager
def rows_locked_elsewhere(queryset):
    """Hold the row locks of ``queryset`` from another thread and connection for the block."""
    held, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def hold():
        try:
            with transaction.atomic():
                list(queryset.select_for_update())
                held.set()
                release.wait()
        except BaseException as error:
            failures.append(error)
        finally:
            held.set()
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    try:
        assert not failures, failures
        yield
    finally:
        release.set()
        thread.join()


def someone_waits_on_a_lock(at_least: int = 1) -> bool:
    """Whether a session (``at_least`` sessions) of the test database is blocked on a lock
    (PostgreSQL's pg_stat_activity): what a race test waits for instead of sleeping."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] >= at_least
