"""Every per-member limit (posts, topics, reactions, reports, drafts, lookups, chat messages and
chat slow mode), counted one way in Django's cache (Redis when REDIS_URL is set).

A window opens at the first counted hit and lasts ``window_seconds``; the hits in it are counted
up to ``count``. So "one post per 30 seconds" and a room's slow mode are exact intervals, and
"five chat messages per five seconds" waits from the first of the five. The cache holds when the
open window opened (``cache.add``, ``SET NX``) and a counter for that window (``cache.incr``,
``INCRBY``), both atomic, so limits hold across processes. On Redis ``hit`` does both, and the
answer, in one Lua script: one round trip (it was four).

Two ways to ask:

- ``is_limited`` in a check step and ``record`` in the do step, so a refused attempt stores
  nothing and is not counted (posts, topics, reactions, reports, drafts, lookups);
- ``hit``, which counts and answers in one atomic step (chat). With ``count_refused`` a refused
  attempt counts too, so hammering does not shorten the wait (the chat rate limit); without it
  the refused hit is given back (slow mode). ``release`` gives back a hit whose write did not
  happen after all.

While the cache is unavailable (Redis stopped) the limits still hold: the caller's ``recent``
lists the subject's writes in the window from the database, newest first, and they are counted
instead. Without ``recent`` (lookups, and saves that overwrite one private row such as a draft)
the limit lapses while the cache is down: there is nothing in the database to count, and
nothing a flood could add.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache

from config.cache import cache_is_available

logger = logging.getLogger(__name__)

Recent = Callable[[datetime], Sequence[datetime]]


def writes_since(queryset, field: str = "created_at") -> Recent:
    """The database's count for a limit while the cache cannot answer: the times of
    ``queryset``'s rows (a member's writes) since then, newest first."""
    return lambda since: (
        queryset.filter(**{f"{field}__gte": since})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
    )


@dataclass(frozen=True)
class Limit:
    count: int
    window_seconds: int


@dataclass(frozen=True)
class Limited:
    """Over the limit: try again in ``retry_after`` seconds."""

    retry_after: int


def _pointer(name: str, subject: str | int) -> str:
    return f"ratelimit:{name}:{subject}"


def _ms(seconds: float) -> int:
    """Times are kept in whole milliseconds: an integer is stored as such in Redis (Django
    pickles other values), so the Lua script below reads the same keys as this module."""
    return round(seconds * 1000)


def _open_window(pointer: str, limit: Limit, now: int, *, open_one: bool) -> int | None:
    """When the open window opened (ms); with ``open_one``, open one now if none is open.

    A window whose end has passed by ``now`` is closed even if its key has not expired yet (the
    key lives one second longer, and tests pass their own clock).
    """
    for _ in range(3):
        if open_one and cache.add(pointer, now, timeout=limit.window_seconds + 1):
            return now
        opened = cache.get(pointer)
        if opened is not None and opened + _ms(limit.window_seconds) > now:
            return opened
        if not open_one:
            return None
        if opened is not None:
            cache.delete(pointer)
    return now


def _counter(pointer: str, opened: int) -> str:
    return f"{pointer}:{opened}"


def _add(pointer: str, opened: int, limit: Limit, amount: int) -> int:
    key = _counter(pointer, opened)
    cache.add(key, 0, timeout=limit.window_seconds + 1)
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add and incr
        cache.add(key, max(amount, 0), timeout=limit.window_seconds + 1)
        return max(amount, 0)


def _retry_after(opened: int, limit: Limit, now: int) -> int:
    return max(1, math.ceil((opened + _ms(limit.window_seconds) - now) / 1000))


# ``hit`` on Redis in one round trip: the same keys as ``_open_window`` and ``_add``, atomic.
# KEYS[1] the window's pointer; ARGV now (ms), window (ms), keys' lifetime (s), count,
# count_refused (1 or 0). Returns when the window opened and the count after this hit.
HIT_SCRIPT = """
local opened = redis.call('GET', KEYS[1])
if (not opened) or tonumber(opened) == nil
    or tonumber(opened) + tonumber(ARGV[2]) <= tonumber(ARGV[1]) then
  opened = ARGV[1]
  redis.call('SET', KEYS[1], opened, 'EX', ARGV[3])
end
local counter = KEYS[1] .. ':' .. opened
local count = redis.call('INCR', counter)
if count == 1 then
  redis.call('EXPIRE', counter, ARGV[3])
end
if count > tonumber(ARGV[4]) and ARGV[5] == '0' then
  redis.call('DECR', counter)
end
return {opened, count}
"""


def _hit_in_one_step(pointer: str, limit: Limit, now: int, count_refused: bool):
    """(opened, count) from the script when the cache runs scripts (Redis); None when it
    cannot answer; ``NotImplemented`` for other caches, which count step by step."""
    run_script = getattr(cache, "run_script", None)
    if run_script is None:
        return NotImplemented
    reply = run_script(
        HIT_SCRIPT,
        keys=[pointer],
        args=[
            now,
            _ms(limit.window_seconds),
            limit.window_seconds + 1,
            limit.count,
            int(count_refused),
        ],
    )
    return None if reply is None else (int(reply[0]), int(reply[1]))


def _from_database(limit: Limit, now: int, recent: Recent) -> Limited | None:
    """Counted from the database: over when ``limit.count`` writes fall in the last window; the
    wait runs until the oldest of the newest ``limit.count`` leaves it."""
    since = datetime.fromtimestamp(now / 1000 - limit.window_seconds, tz=UTC)
    newest = list(recent(since)[: limit.count])
    if len(newest) < limit.count:
        return None
    return Limited(_retry_after(_ms(newest[-1].timestamp()), limit, now))


def check(
    name: str,
    subject: str | int,
    limit: Limit,
    *,
    now: float | None = None,
    recent: Recent | None = None,
) -> Limited | None:
    """Over the limit already? Counts nothing."""
    now = _ms(time.time() if now is None else now)
    pointer = _pointer(name, subject)
    opened = _open_window(pointer, limit, now, open_one=False)
    count = 0 if opened is None else cache.get(_counter(pointer, opened)) or 0
    if not cache_is_available():
        return None if recent is None else _from_database(limit, now, recent)
    if count >= limit.count:
        return Limited(_retry_after(opened, limit, now))
    return None


def is_limited(
    name: str,
    member_id: int,
    limit: Limit,
    *,
    recent: Recent | None = None,
) -> bool:
    """Over the limit? ``recent(since)`` lists the member's writes since then in the database,
    newest first; it is asked only when the cache cannot answer."""
    return check(name, member_id, limit, recent=recent) is not None


def record(name: str, subject: str | int, limit: Limit, *, now: float | None = None) -> None:
    """Count one hit in the open window (opening one if none is open)."""
    now = _ms(time.time() if now is None else now)
    pointer = _pointer(name, subject)
    _add(pointer, _open_window(pointer, limit, now, open_one=True), limit, 1)


def hit(
    name: str,
    subject: str | int,
    limit: Limit,
    *,
    now: float | None = None,
    recent: Recent | None = None,
    count_refused: bool = True,
) -> Limited | None:
    """Count one hit and answer whether it is over the limit, in one atomic step (one round
    trip on Redis)."""
    now = _ms(time.time() if now is None else now)
    pointer = _pointer(name, subject)
    try:
        counted = _hit_in_one_step(pointer, limit, now, count_refused)
        if counted is NotImplemented:
            opened = _open_window(pointer, limit, now, open_one=True)
            counted = opened, _add(pointer, opened, limit, 1)
            if counted[1] > limit.count and not count_refused:
                _add(pointer, opened, limit, -1)
    except Exception:
        logger.warning("rate limit %s unavailable; letting the hit through", name, exc_info=True)
        return None
    if counted is None or not cache_is_available():
        return None if recent is None else _from_database(limit, now, recent)
    opened, count = counted
    if count <= limit.count:
        return None
    return Limited(_retry_after(opened, limit, now))


def release(name: str, subject: str | int, limit: Limit) -> None:
    """Give back a hit whose write did not happen after all."""
    pointer = _pointer(name, subject)
    try:
        opened = _open_window(pointer, limit, _ms(time.time()), open_one=False)
        if opened is not None and _add(pointer, opened, limit, -1) <= 0:
            cache.delete_many([pointer, _counter(pointer, opened)])
    except Exception:
        logger.warning("could not give back a %s hit", name, exc_info=True)
