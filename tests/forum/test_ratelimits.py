"""The one way every per-member limit is counted (forum/ratelimits.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from forum import ratelimits
from forum.ratelimits import Limit

FIVE_PER_FIVE = Limit(5, 5)
ONE_PER_TEN = Limit(1, 10)


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()


def test_hit_allows_the_count_per_window_and_says_when_to_retry():
    results = [ratelimits.hit("t", 1, FIVE_PER_FIVE, now=1000.0 + n * 0.1) for n in range(6)]

    assert results[:5] == [None] * 5
    assert results[5].retry_after == 5
    assert ratelimits.hit("t", 1, FIVE_PER_FIVE, now=1005.0) is None


def test_a_refused_hit_counts_so_hammering_does_not_shorten_the_wait():
    for n in range(7):
        ratelimits.hit("t", 1, Limit(2, 10), now=100.0 + n)

    assert ratelimits.check("t", 1, Limit(2, 10), now=109.0).retry_after == 1


def test_a_refused_hit_without_count_refused_is_given_back():
    assert ratelimits.hit("t", 1, ONE_PER_TEN, now=100.0, count_refused=False) is None
    assert ratelimits.hit("t", 1, ONE_PER_TEN, now=103.0, count_refused=False).retry_after == 7
    assert ratelimits.hit("t", 1, ONE_PER_TEN, now=104.0, count_refused=False).retry_after == 6


def test_the_window_opens_at_the_first_hit_so_an_interval_is_exact():
    ratelimits.record("t", 1, ONE_PER_TEN, now=109.0)

    assert ratelimits.check("t", 1, ONE_PER_TEN, now=118.0).retry_after == 1
    assert ratelimits.check("t", 1, ONE_PER_TEN, now=119.0) is None


def test_subjects_and_names_are_counted_apart():
    ratelimits.hit("t", 1, ONE_PER_TEN, now=100.0)

    assert ratelimits.hit("t", 2, ONE_PER_TEN, now=101.0) is None
    assert ratelimits.hit("u", 1, ONE_PER_TEN, now=101.0) is None
    assert ratelimits.hit("t", 1, ONE_PER_TEN, now=101.0) is not None


def test_check_and_is_limited_count_nothing_and_record_counts_one(member):
    limit = Limit(2, 60)
    for _ in range(3):
        assert not ratelimits.is_limited("t", member.pk, limit)

    ratelimits.record("t", member.pk, limit)
    assert not ratelimits.is_limited("t", member.pk, limit)
    ratelimits.record("t", member.pk, limit)
    assert ratelimits.is_limited("t", member.pk, limit)


def test_release_gives_the_slot_back():
    ratelimits.hit("t", 1, ONE_PER_TEN, now=100.0)

    ratelimits.release("t", 1, ONE_PER_TEN)

    assert ratelimits.hit("t", 1, ONE_PER_TEN) is None


def _at(*seconds: float) -> list[datetime]:
    return [datetime.fromtimestamp(s, tz=UTC) for s in sorted(seconds, reverse=True)]


def test_while_the_cache_is_down_the_writes_in_the_database_are_counted(cache_down):
    recent = lambda since: [at for at in _at(96.0, 98.0, 90.0) if at >= since]  # noqa: E731

    assert ratelimits.check("t", 1, Limit(2, 5), now=100.0, recent=recent).retry_after == 1
    assert ratelimits.check("t", 1, Limit(3, 5), now=100.0, recent=recent) is None
    assert ratelimits.hit("t", 1, Limit(2, 5), now=100.0, recent=recent).retry_after == 1


def test_while_the_cache_is_down_a_limit_without_recent_lapses(cache_down):
    ratelimits.record("t", 1, ONE_PER_TEN)

    assert not ratelimits.is_limited("t", 1, ONE_PER_TEN)
    assert ratelimits.hit("t", 1, ONE_PER_TEN) is None
