"""Django's cache on Redis answers like an empty cache while Redis is down (config/cache.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from config.cache import ResilientRedisCache, cache_is_available
from tests.conftest import redis_only


def test_a_cache_whose_redis_is_down_answers_like_an_empty_cache(cache_down):
    cache.set("greeting", "hello")

    assert cache.get("greeting") is None
    assert cache.get("greeting", "default") == "default"
    assert cache.get_many(["greeting"]) == {}
    assert cache.has_key("greeting") is False
    assert cache.add("lock", True) is True, "a lock with nothing to guard is taken"
    with pytest.raises(ValueError):
        cache.incr("counter")
    assert cache.delete("greeting") is False
    assert cache_is_available() is False


@pytest.mark.django_db
def test_a_page_with_a_session_works_while_the_cache_is_down(cache_down, member_client):
    response = member_client.get("/me/")

    assert response.status_code == 200
    assert "Signed in as" in response.content.decode()


@redis_only
def test_one_redis_client_serves_every_call_and_values_round_trip():
    """Django built a new redis-py client (and its callback table) for each call."""
    from django.conf import settings

    redis_cache = ResilientRedisCache(settings.CACHES["default"]["LOCATION"], {})
    redis_cache.set("client-reuse", {"unread": 3})
    first = redis_cache._cache.get_client(write=True)

    assert redis_cache.get("client-reuse") == {"unread": 3}
    assert redis_cache.get_many(["client-reuse", "absent"]) == {"client-reuse": {"unread": 3}}
    assert redis_cache._cache.get_client() is first
    redis_cache.delete("client-reuse")
    assert redis_cache.get("client-reuse") is None


@redis_only
def test_cache_objects_of_one_process_share_one_pool_and_client():
    """Django makes a cache object per thread and per async context (each chat socket is
    one); each used to open its own pool and Redis connection and hold it while it lived."""
    from django.conf import settings

    location = settings.CACHES["default"]["LOCATION"]
    one, other = ResilientRedisCache(location, {}), ResilientRedisCache(location, {})
    one.set("shared-pool", "written by one")

    assert other.get("shared-pool") == "written by one"
    assert other._cache.get_client() is one._cache.get_client(write=True)
    assert other._cache._get_connection_pool(False) is one._cache._get_connection_pool(True)
    elsewhere = ResilientRedisCache(location, {"OPTIONS": {"socket_timeout": 7}})
    assert elsewhere._cache._get_connection_pool(True) is not one._cache._get_connection_pool(True)
    one.delete("shared-pool")
