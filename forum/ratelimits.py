"""Per-member write limits, counted in Django's cache (Redis when REDIS_URL is set).

Fixed windows: simple, cheap and good enough to stop floods. Callers ask ``is_limited`` in their
check step and ``record`` in their do step, so a refused attempt stores nothing and is not counted.

While the cache is unavailable (Redis stopped) the limits still hold: ``is_limited`` counts the
member's writes in the window from the database instead, through the caller's ``recent``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone

from config.cache import cache_is_available


@dataclass(frozen=True)
class Limit:
    count: int
    window_seconds: int


def _key(name: str, member_id: int) -> str:
    return f"ratelimit:{name}:{member_id}"


def is_limited(
    name: str,
    member_id: int,
    limit: Limit,
    *,
    recent: Callable[[datetime], int] | None = None,
) -> bool:
    """Over the limit? ``recent(since)`` counts the member's writes since then in the database;
    it is asked only when the cache cannot answer.

    Without ``recent`` (lookups, and saves that overwrite one private row such as a draft) the
    limit lapses while the cache is down: there is nothing in the database to count, and
    nothing a flood could add.
    """
    count = cache.get(_key(name, member_id))
    if not cache_is_available():
        if recent is None:
            return False
        count = recent(timezone.now() - timedelta(seconds=limit.window_seconds))
    return (count or 0) >= limit.count


def record(name: str, member_id: int, limit: Limit) -> None:
    key = _key(name, member_id)
    if cache.add(key, 1, timeout=limit.window_seconds):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=limit.window_seconds)
