"""Real races for tests on PostgreSQL: each call in its own thread and database connection."""

import threading

from django.db import close_old_connections, connection

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
