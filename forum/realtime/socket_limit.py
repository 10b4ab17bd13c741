"""At most SOCKETS_PER_MEMBER open sockets per member, counted across every server process.

Each accepted socket (chat or notifications) is one entry ``<opened at>|<channel name>`` in a
Redis sorted set per member, scored with the time of its last heartbeat. When a socket opens and
the member has more than the limit, the oldest sockets are closed with ``CLOSE_TOO_MANY`` (4429,
see ``forum/realtime/protocol.py``): the channel layer carries a ``member.disconnect`` to their
channel, on whichever process holds them. Entries of a process that died stop counting after
``socket_ttl()`` seconds without a heartbeat (and, being the oldest, are the first to go anyway).

Without ``REDIS_URL`` (the single embedded process) the same structure lives in memory. If Redis
cannot be reached the limit is not applied: the chat keeps working and says so in the log.
These functions are synchronous (network I/O); consumers call them through ``sync_to_async``.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import lru_cache

from asgiref.sync import sync_to_async
from django.conf import settings

logger = logging.getLogger(__name__)

CLOSE_TOO_MANY = 4429


def socket_ttl() -> float:
    """Seconds an entry counts without a heartbeat (sockets refresh every 10-20 s)."""
    return max(90.0, 3.0 * float(settings.HOMEGROUP.get("CHAT_HEARTBEAT_SECONDS", 10)))


def limit() -> int:
    return int(settings.HOMEGROUP.get("SOCKETS_PER_MEMBER", 10))


def _entry(opened_at: float, channel_name: str) -> str:
    return f"{opened_at:.6f}|{channel_name}"


def _channel(entry) -> str:
    text = entry.decode() if isinstance(entry, bytes) else entry
    return text.split("|", 1)[1]


def _opened_at(entry) -> float:
    text = entry.decode() if isinstance(entry, bytes) else entry
    return float(text.split("|", 1)[0])


def _oldest_first(entries) -> list:
    return sorted(entries, key=_opened_at)


class RedisSockets:
    def __init__(self, url: str, prefix: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix

    def key(self, member_id: int) -> str:
        return f"{self.prefix}:sockets:{member_id}"

    def open(self, member_id: int, entry: str, keep: int) -> list[str]:
        key, now = self.key(member_id), time.time()
        pipe = self.client.pipeline()
        pipe.zadd(key, {entry: now})
        pipe.zremrangebyscore(key, "-inf", now - socket_ttl())
        pipe.expire(key, int(socket_ttl() * 2))
        pipe.zrange(key, 0, -1)
        entries = pipe.execute()[-1]
        extra = _oldest_first(entries)[: max(0, len(entries) - keep)]
        if extra:
            self.client.zrem(key, *extra)
        return [_channel(e) for e in extra]

    def refresh(self, member_id: int, entry: str) -> None:
        key = self.key(member_id)
        pipe = self.client.pipeline()
        pipe.zadd(key, {entry: time.time()}, xx=True)
        pipe.expire(key, int(socket_ttl() * 2))
        pipe.execute()

    def refresh_many(self, entries) -> None:
        """``entries``: (member id, entry) pairs; one round trip."""
        pipe = self.client.pipeline(transaction=False)
        now = time.time()
        for member_id, entry in entries:
            pipe.zadd(self.key(member_id), {entry: now}, xx=True)
            pipe.expire(self.key(member_id), int(socket_ttl() * 2))
        pipe.execute()

    def close(self, member_id: int, entry: str) -> None:
        self.client.zrem(self.key(member_id), entry)


class MemorySockets:
    def __init__(self):
        self.members: dict[int, dict[str, float]] = {}
        self.lock = threading.Lock()

    def open(self, member_id: int, entry: str, keep: int) -> list[str]:
        now = time.time()
        with self.lock:
            entries = self.members.setdefault(member_id, {})
            entries[entry] = now
            for stale in [e for e, seen in entries.items() if seen < now - socket_ttl()]:
                del entries[stale]
            extra = _oldest_first(entries)[: max(0, len(entries) - keep)]
            for gone in extra:
                del entries[gone]
        return [_channel(e) for e in extra]

    def refresh(self, member_id: int, entry: str) -> None:
        with self.lock:
            entries = self.members.get(member_id, {})
            if entry in entries:
                entries[entry] = time.time()

    def refresh_many(self, entries) -> None:
        for member_id, entry in entries:
            self.refresh(member_id, entry)

    def close(self, member_id: int, entry: str) -> None:
        with self.lock:
            self.members.get(member_id, {}).pop(entry, None)

    def clear(self) -> None:
        with self.lock:
            self.members.clear()


@lru_cache(maxsize=1)
def _backend_for(url: str, prefix: str):
    return RedisSockets(url, prefix) if url else MemorySockets()


def backend():
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "") or "hg"
    return _backend_for(getattr(settings, "REDIS_URL", "") or "", prefix)


def new_entry(channel_name: str) -> str:
    return _entry(time.time(), channel_name)


def opened(member_id: int, entry: str) -> list[str]:
    """Count a newly accepted socket; the channel names of the member's sockets to close."""
    try:
        return backend().open(member_id, entry, limit())
    except Exception as error:
        logger.warning("socket limit unavailable (%s)", type(error).__name__)
        return []


def refresh_many(entries) -> None:
    """Refresh the entries of many sockets at once: (member id, entry) pairs."""
    entries = [(member_id, entry) for member_id, entry in entries if entry is not None]
    if not entries:
        return
    try:
        backend().refresh_many(entries)
    except Exception as error:
        logger.warning("socket limit unavailable (%s)", type(error).__name__)


def closed(member_id: int, entry: str) -> None:
    try:
        backend().close(member_id, entry)
    except Exception as error:
        logger.warning("socket limit unavailable (%s)", type(error).__name__)


class CountedSocket:
    """Mixin for the site's socket consumers: count the socket once accepted, refresh it on each
    heartbeat (``refresh_many`` from the process-wide hub), and close the member's oldest
    sockets when there are too many."""

    socket_entry: str | None = None
    socket_member_id: int | None = None

    async def count_socket(self, member_id: int) -> None:
        self.socket_member_id = member_id
        self.socket_entry = new_entry(self.channel_name)
        extra = await sync_to_async(opened, thread_sensitive=False)(member_id, self.socket_entry)
        for channel in extra:
            try:
                await self.channel_layer.send(
                    channel, {"type": "member.disconnect", "code": CLOSE_TOO_MANY}
                )
            except Exception as error:
                logger.warning("could not close an extra socket (%s)", type(error).__name__)

    async def uncount_socket(self) -> None:
        if self.socket_entry is not None:
            await sync_to_async(closed, thread_sensitive=False)(
                self.socket_member_id, self.socket_entry
            )
