"""Django's Redis cache, made a doorbell rather than the house: Redis down is a cache miss.

Sessions (``cached_db``), the visitor page cache, the header's counts and every rate limit go
through Django's cache. With the plain ``RedisCache`` a stopped Redis made each of them raise,
so every page was a 500. Here a connection error or timeout is answered as a miss instead:

- reads return their default (sessions and pages then come from the database);
- writes are dropped, and ``add`` reports success (it is only used as a counter's first write
  or as a lock, and there is nothing to lock against);
- ``incr`` raises ``ValueError``, as for a key that is not there.

After one failure the process stops asking Redis for ``RETRY_SECONDS`` (a hung Redis costs one
timeout, not one per call), and logs the outage once, not per call. Callers that must know
(rate limits falling back to the database) ask ``cache_is_available()``.

When Redis answers again, whatever it still holds may be older than the database: a session
ended, a page hidden or a notification read while Redis was away was not written to it. So the
first process to reach Redis after failing to write to it deletes this cache's keys (only its
own prefix: the channel layer and presence live beside it and rebuild from heartbeats).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_SECONDS = 3.0


@dataclass
class Health:
    """One process's view of one Redis server, shared by the per-thread cache objects."""

    down: bool = False
    stale: bool = False
    retry_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    recovery: threading.Lock = field(default_factory=threading.Lock)

    def failed(self, error: Exception, *, wrote: bool) -> None:
        with self.lock:
            if not self.down:
                logger.warning(
                    "cache unavailable (%s); serving without it until it returns",
                    type(error).__name__,
                )
            self.down = True
            self.stale = self.stale or wrote
            self.retry_at = time.monotonic() + RETRY_SECONDS

    def skipped(self, *, wrote: bool) -> None:
        if wrote:
            with self.lock:
                self.stale = True

    def up(self) -> None:
        with self.lock:
            self.down = False
            self.stale = False
        logger.warning("cache is back")


_health: dict[str, Health] = {}
_health_lock = threading.Lock()


# (servers, pool options, pool class) -> (pools by index, clients by pool): one per process.
_shared: dict[tuple, tuple[dict, dict]] = {}
_shared_lock = threading.Lock()
_scripts: dict = {}  # Lua source -> redis-py Script (its SHA), for every client


def _health_for(location: str) -> Health:
    with _health_lock:
        return _health.setdefault(location, Health())


class ReusedClientRedisCacheClient(RedisCacheClient):
    """One redis-py client per connection pool, instead of Django's new one on every call.

    Building a ``redis.Redis`` copies its table of about 250 response callbacks, key by key:
    with a session, the permission set and the header's counts read on every member page,
    that was a sixth of a bare member page's Python calls. A client holds no connection of
    its own (the pool does) and redis-py lets threads share one.

    Django makes a cache object per thread and per async context, so every chat socket (its
    own context) got its own pools, its own Redis connection and client: about 20 KB and a
    TCP connection per idle socket (issue 16). Pools are thread-safe, so every cache object
    of one configuration in the process shares them, and the clients built on them."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        key = (tuple(self._servers), repr(sorted(self._pool_options.items())), self._pool_class)
        with _shared_lock:
            self._pools, self._clients = _shared.setdefault(key, ({}, {}))

    def _get_connection_pool(self, write):
        index = self._get_connection_pool_index(write)
        pool = self._pools.get(index)
        if pool is None:
            with _shared_lock:
                pool = self._pools.get(index)
                if pool is None:
                    pool = self._pools[index] = self._pool_class.from_url(
                        self._servers[index], **self._pool_options
                    )
        return pool

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._health = _health_for(str(server))

    def validate_key(self, key) -> None:
        """Redis takes any key. Django's check is for memcached's limits (a Python loop over
        every character of every key; a topic page reads twenty-odd keys)."""

    def is_available(self) -> bool:
        return not self._health.down

    def _reachable(self) -> bool:
        """True when Redis may be asked; after an outage one thread probes and repairs first."""
        health = self._health
        if not health.down:
            return True
        if time.monotonic() < health.retry_at:
            return False
        with health.recovery:
            if not health.down:
                return True
            if time.monotonic() < health.retry_at:
                return False
            try:
                self._cache.get_client(write=True).ping()
                if health.stale:
                    self._forget_everything()
            except UNREACHABLE as error:
                health.failed(error, wrote=False)
                return False
            health.up()
            return True

    def _call(self, name: str, fallback, *args, wrote: bool):
        if not self._reachable():
            self._health.skipped(wrote=wrote)
            return fallback()
        try:
            return getattr(super(), name)(*args)
        except UNREACHABLE as error:
            self._health.failed(error, wrote=wrote)
            return fallback()

    def _forget_everything(self) -> None:
        """Delete this cache's keys: they may predate writes made while Redis was away."""
        client = self._cache.get_client(write=True)
        batch = []
        for key in client.scan_iter(match=self.make_key("*"), count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                client.unlink(*batch)
                batch = []
        if batch:
            client.unlink(*batch)

    def run_script(self, source: str, *, keys: list[str], args: list) -> Any:
        """Run the Lua script ``source`` on this cache's Redis: atomic, one round trip (EVALSHA;
        the script is loaded on first use). ``keys`` are made with this cache's prefix. None
        while Redis is unreachable."""
        if not self._reachable():
            self._health.skipped(wrote=True)
            return None
        try:
            client = self._cache.get_client(write=True)
            script = _scripts.get(source)
            if script is None:
                script = _scripts[source] = client.register_script(source)
            return script(keys=[self.make_key(key) for key in keys], args=args, client=client)
        except UNREACHABLE as error:
            self._health.failed(error, wrote=True)
            return None

    def get(self, key, default=None, version=None):
        return self._call("get", lambda: default, key, default, version, wrote=False)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version, wrote=False)

    def has_key(self, key, version=None):
        return self._call("has_key", lambda: False, key, version, wrote=False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", lambda: True, key, value, timeout, version, wrote=True)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", lambda: None, key, value, timeout, version, wrote=True)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", lambda: list(data), data, timeout, version, wrote=True)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", lambda: False, key, timeout, version, wrote=True)

    def delete(self, key, version=None):
        return self._call("delete", lambda: False, key, version, wrote=True)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", lambda: None, keys, version, wrote=True)

    def clear(self):
        return self._call("clear", lambda: False, wrote=True)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (cache unavailable)")

        return self._call("incr", missing, key, delta, version, wrote=True)


def cache_is_available(alias: str = "default") -> bool:
    """False while the cache's Redis is unreachable; always True for other backends."""
    is_available = getattr(caches[alias], "is_available", None)
    return is_available() if is_available else True
