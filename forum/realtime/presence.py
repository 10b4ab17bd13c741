"""Who is in a chat room now, correct across server processes.

Each open socket is one entry ``<connection id>|<member id>|<pseudonym>`` in a Redis sorted set
per room, scored with the time of its last heartbeat. Sockets refresh their entry every
``CHAT_HEARTBEAT_SECONDS``; readers ignore and prune entries older than ``CHAT_PRESENCE_TTL``,
so members of a process that died stop counting as present within that time. A member with two
tabs open counts once.

Without ``REDIS_URL`` (the single embedded process) the same structure lives in memory.
These functions are synchronous (network I/O); consumers call them through ``sync_to_async``.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings

logger = logging.getLogger(__name__)


@dataclass
class Presence:
    count: int = 0
    pseudonyms: list[str] = field(default_factory=list)

    def as_frame(self) -> dict:
        return {"type": "presence", "count": self.count, "members": self.pseudonyms}


def ttl() -> int:
    return settings.HOMEGROUP.get("CHAT_PRESENCE_TTL", 35)


def _entry(connection_id: str, member_id: int, pseudonym: str) -> str:
    return f"{connection_id}|{member_id}|{pseudonym}"


def _summarise(entries) -> Presence:
    members: dict[str, str] = {}
    for raw in entries:
        text = raw.decode() if isinstance(raw, bytes) else raw
        _, member_id, pseudonym = text.split("|", 2)
        members[member_id] = pseudonym
    names = sorted(members.values(), key=str.casefold)
    return Presence(count=len(names), pseudonyms=names)


# Many rooms' entries in one command: prune each room's stale entries, then read what is left
# (a pipeline of two commands per room cost a home page more than all its queries).
_READ_ROOMS = """
local rooms = {}
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[1])
  rooms[i] = redis.call('ZRANGE', key, 0, -1)
end
return rooms
"""


class RedisPresence:
    def __init__(self, url: str, prefix: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix
        self.read_rooms = self.client.register_script(_READ_ROOMS)

    def key(self, room_id: int) -> str:
        return f"{self.prefix}:chat:presence:{room_id}"

    def touch(self, room_id: int, connection_id: str, member_id: int, pseudonym: str) -> None:
        key = self.key(room_id)
        pipe = self.client.pipeline()
        pipe.zadd(key, {_entry(connection_id, member_id, pseudonym): time.time()})
        pipe.expire(key, ttl() * 2)
        pipe.execute()

    def touch_many(self, entries) -> None:
        """``entries``: (room id, connection id, member id, pseudonym); one round trip."""
        pipe = self.client.pipeline(transaction=False)
        now = time.time()
        for room_id, connection_id, member_id, pseudonym in entries:
            pipe.zadd(self.key(room_id), {_entry(connection_id, member_id, pseudonym): now})
        for room_id in {entry[0] for entry in entries}:
            pipe.expire(self.key(room_id), ttl() * 2)
        pipe.execute()

    def leave(self, room_id: int, connection_id: str, member_id: int, pseudonym: str) -> None:
        self.client.zrem(self.key(room_id), _entry(connection_id, member_id, pseudonym))

    def get(self, room_id: int) -> Presence:
        return self.get_many([room_id]).get(room_id, Presence())

    def get_many(self, room_ids) -> dict[int, Presence]:
        room_ids = list(room_ids)
        if not room_ids:
            return {}
        cutoff = time.time() - ttl()
        rooms = self.read_rooms(keys=[self.key(room_id) for room_id in room_ids], args=[cutoff])
        return {
            room_id: _summarise(entries) for room_id, entries in zip(room_ids, rooms, strict=True)
        }


class MemoryPresence:
    def __init__(self):
        self.rooms: dict[int, dict[str, float]] = {}
        self.lock = threading.Lock()

    def touch(self, room_id: int, connection_id: str, member_id: int, pseudonym: str) -> None:
        with self.lock:
            room = self.rooms.setdefault(room_id, {})
            room[_entry(connection_id, member_id, pseudonym)] = time.time()

    def touch_many(self, entries) -> None:
        for entry in entries:
            self.touch(*entry)

    def leave(self, room_id: int, connection_id: str, member_id: int, pseudonym: str) -> None:
        with self.lock:
            self.rooms.get(room_id, {}).pop(_entry(connection_id, member_id, pseudonym), None)

    def get(self, room_id: int) -> Presence:
        return self.get_many([room_id]).get(room_id, Presence())

    def get_many(self, room_ids) -> dict[int, Presence]:
        cutoff = time.time() - ttl()
        result = {}
        with self.lock:
            for room_id in room_ids:
                room = self.rooms.get(room_id, {})
                for entry in [e for e, seen in room.items() if seen < cutoff]:
                    del room[entry]
                result[room_id] = _summarise(list(room))
        return result

    def clear(self) -> None:
        with self.lock:
            self.rooms.clear()


@lru_cache(maxsize=1)
def _backend_for(url: str, prefix: str):
    return RedisPresence(url, prefix) if url else MemoryPresence()


def backend():
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "") or "hg"
    return _backend_for(getattr(settings, "REDIS_URL", "") or "", prefix)


def touch(room_id: int, connection_id: str, member_id: int, pseudonym: str) -> None:
    try:
        backend().touch(room_id, connection_id, member_id, pseudonym)
    except Exception:
        logger.warning("presence unavailable (touch)", exc_info=True)


def touch_many(entries) -> None:
    """Refresh many sockets' entries at once (the process-wide heartbeat)."""
    entries = list(entries)
    if not entries:
        return
    try:
        backend().touch_many(entries)
    except Exception:
        logger.warning("presence unavailable (touch_many)", exc_info=True)


def leave(room_id: int, connection_id: str, member_id: int, pseudonym: str) -> None:
    try:
        backend().leave(room_id, connection_id, member_id, pseudonym)
    except Exception:
        logger.warning("presence unavailable (leave)", exc_info=True)


def room_presence(room_id: int) -> Presence:
    try:
        return backend().get(room_id)
    except Exception:
        logger.warning("presence unavailable (get)", exc_info=True)
        return Presence()


def rooms_presence(room_ids) -> dict[int, Presence]:
    room_ids = list(room_ids)
    try:
        return backend().get_many(room_ids)
    except Exception:
        logger.warning("presence unavailable (get_many)", exc_info=True)
        return {room_id: Presence() for room_id in room_ids}


def read_rooms(room_ids) -> dict[int, Presence] | None:
    """Like ``rooms_presence``, but None when Redis cannot be reached: the caller keeps what it
    last told members instead of announcing that everyone left."""
    try:
        return backend().get_many(list(room_ids))
    except Exception as error:
        logger.warning("presence unavailable (%s)", type(error).__name__)
        return None
