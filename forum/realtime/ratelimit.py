"""Chat rate limit and slow mode, shared by every server process through Django's cache.

With ``REDIS_URL`` set the cache is Redis, so limits hold across processes; ``cache.add`` is
``SET NX`` and ``cache.incr`` is ``INCRBY``, both atomic. Without Redis the cache is local
memory, which is right for the single embedded process.

If the cache is unavailable (Redis stopped, see ``config/cache.py``), the caller's ``recent``
and ``last_sent`` count from the database instead, so the limits still hold; without them they
fail open.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

from config.cache import cache_is_available

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limited:
    code: str
    retry_after: int


def _settings() -> tuple[int, int]:
    conf = settings.HOMEGROUP
    return conf.get("CHAT_RATE_LIMIT", 5), conf.get("CHAT_RATE_WINDOW", 5)


def hit_rate_limit(
    member_id: int,
    *,
    now: float | None = None,
    recent: Callable[[datetime], int] | None = None,
) -> Limited | None:
    """Count one message for ``member_id``; Limited when over the limit in this window.

    A fixed window per member: ``limit`` messages per ``window`` seconds across all rooms.
    Refused attempts count too, so hammering the server does not shorten the wait. Without the
    cache, ``recent(since)`` counts the member's stored messages in the window instead.
    """
    limit, window = _settings()
    now = time.time() if now is None else now
    window_start = int(now // window) * window
    key = f"chat:rate:{member_id}:{window_start}"
    try:
        cache.add(key, 0, timeout=window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window + 1)
            count = 1
    except Exception:
        logger.warning("chat rate limit unavailable; letting the message through", exc_info=True)
        return None
    if not cache_is_available():
        if recent is None:
            return None
        count = recent(datetime.fromtimestamp(window_start, tz=UTC)) + 1
    if count > limit:
        return Limited("rate_limited", max(1, math.ceil(window_start + window - now)))
    return None


def hit_slow_mode(
    room_id: int,
    member_id: int,
    seconds: int,
    *,
    now: float | None = None,
    last_sent: Callable[[], datetime | None] | None = None,
):
    """Claim the member's slot in a slow-mode room; Limited with the wait when it is taken.

    Without the cache, ``last_sent()`` (the member's last stored message here) decides instead.
    """
    if seconds <= 0:
        return None
    now = time.time() if now is None else now
    key = f"chat:slow:{room_id}:{member_id}"
    try:
        claimed = cache.add(key, now, timeout=seconds)
        since = None if claimed else cache.get(key)
    except Exception:
        logger.warning("chat slow mode unavailable; letting the message through", exc_info=True)
        return None
    if not cache_is_available():
        last = last_sent() if last_sent is not None else None
        since = last.timestamp() if last is not None and last.timestamp() > now - seconds else None
        claimed = since is None
    if claimed:
        return None
    if since is None:  # expired just now: try once more
        return hit_slow_mode(room_id, member_id, seconds, now=now, last_sent=last_sent)
    return Limited("slow_mode", max(1, math.ceil(since + seconds - now)))


def release_slow_mode(room_id: int, member_id: int) -> None:
    """Give the slot back when the message was not stored after all."""
    try:
        cache.delete(f"chat:slow:{room_id}:{member_id}")
    except Exception:
        logger.warning("could not release a slow-mode slot", exc_info=True)
