"""Per-member write limits, counted in Django's cache (Redis when REDIS_URL is set).

Fixed windows: simple, cheap and good enough to stop floods. Callers ask ``is_limited`` in their
check step and ``record`` in their do step, so a refused attempt stores nothing and is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    count: int
    window_seconds: int


def _key(name: str, member_id: int) -> str:
    return f"ratelimit:{name}:{member_id}"


def is_limited(name: str, member_id: int, limit: Limit) -> bool:
    return (cache.get(_key(name, member_id)) or 0) >= limit.count


def record(name: str, member_id: int, limit: Limit) -> None:
    key = _key(name, member_id)
    if cache.add(key, 1, timeout=limit.window_seconds):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=limit.window_seconds)
