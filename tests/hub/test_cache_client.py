"""The Redis cache makes one redis-py client per server and shares it between calls and
threads, each thread still reading its own values; on PostgreSQL+Redis runs (CACHE_URL)."""

import os
import threading
import uuid

import pytest

from anima.cache import ResilientRedisCache
from tests.conftest import DEAD_REDIS

REDIS = os.environ.get("CACHE_URL", "")
needs_redis = pytest.mark.skipif(not REDIS.startswith("redis"), reason="needs CACHE_URL (Redis)")


def fresh_cache(location: str) -> ResilientRedisCache:
    prefix = f"test-{uuid.uuid4().hex}"
    return ResilientRedisCache(location, {"KEY_PREFIX": prefix, "OPTIONS": {"socket_timeout": 1}})


@needs_redis
def test_calls_share_one_client_and_read_what_they_wrote():
    cache = fresh_cache(REDIS)
    cache.set("prix", "7,20 €")

    assert cache.get("prix") == "7,20 €"
    assert cache._cache.get_client(write=False) is cache._cache.get_client(write=True)


@needs_redis
def test_threads_sharing_the_client_each_read_their_own_values():
    cache = fresh_cache(REDIS)
    cache.get("warm")  # the client exists before the threads start
    seen, go = {}, threading.Barrier(8)

    def work(n: int) -> None:
        go.wait()
        for round_ in range(50):
            cache.set(f"k{n}", (n, round_))
            seen[n] = cache.get(f"k{n}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert seen == {n: (n, 49) for n in range(8)}


def test_a_shared_client_still_degrades_while_redis_is_down():
    cache = fresh_cache(DEAD_REDIS)

    assert cache.get("k", "défaut") == "défaut"
    cache.set("k", 1)
    assert cache.get_many(["k"]) == {}
