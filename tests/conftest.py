"""Shared fixtures: factories with sensible defaults, and a clean cache for every test."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache

from tests.factories import PASSWORD, MemberFactory  # noqa: F401


@pytest.fixture(scope="session", autouse=True)
def _flush_outlasts_a_server_deadlock():
    """A transactional test ends by emptying every table (one TRUNCATE of all of them). A real
    server process of the test (daphne, uvicorn) may be reading two of those tables at that
    moment, and PostgreSQL then breaks the lock cycle by failing the TRUNCATE ("deadlock
    detected"), which would leave the next test a full database. The reader finishes at once,
    so the TRUNCATE is simply tried again."""
    import time

    from django.db import OperationalError

    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # no PostgreSQL driver: nothing to guard
        yield
        return

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        for attempt in range(5):
            try:
                return original(self, sql_list)
            except OperationalError as error:
                if "deadlock detected" not in str(error) or attempt == 4:
                    raise
                time.sleep(0.1 * (attempt + 1))

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    DatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test gets its own channel layer instance.

    Every async test runs in an event loop of its own, and channels_redis binds its receive
    lock and connections to the loop that first used them: a layer kept from an earlier test
    can fail with "bound to a different event loop" when the lock happens to be contended.
    """
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _quiet_defaults(settings):
    """Features other areas' tests are not about, off by default:

    - a new account's first posts wait for a moderator (tests/forum/actions/moderation turns
      it on), and only reporters with standing count toward hiding reported content (the
      report tests turn it on);
    - the visitor page cache, because factories write around the actions that invalidate it
      (tests/forum/test_visitor_cache.py turns it on).
    """
    settings.HOMEGROUP = {
        **settings.HOMEGROUP,
        "NEW_MEMBER_QUEUED_POSTS": 0,
        "REPORT_STANDING_DAYS": 0,
        "REPORT_STANDING_POSTS": 0,
        "VISITOR_PAGE_CACHE_SECONDS": 0,
    }


@pytest.fixture
def member_factory(db):
    """``member_factory(step=3, email="x@example.org")`` -> a saved member with PASSWORD."""

    def make(**kwargs):
        step = kwargs.pop("step", None)
        if step is not None:
            kwargs["current_step"] = step
        return MemberFactory(**kwargs)

    return make


@pytest.fixture
def member(member_factory):
    return member_factory()


@pytest.fixture
def step12_member(member_factory):
    return member_factory(step=12)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def needs_redis() -> bool:
    return bool(os.environ.get("REDIS_URL"))


redis_only = pytest.mark.skipif(
    not needs_redis(),
    reason="needs a real Redis (set REDIS_URL); runs in CI's PostgreSQL + Redis pass",
)


@pytest.fixture
def seeded_transactional_db(transactional_db):
    """A transactional database with the migration-seeded rows (steps, boards, rooms...) present.

    Transactional tests empty every table when they end, seeds included.
    """
    from tests.permission_world import ensure_seeds

    ensure_seeds()


@pytest.fixture
def procs(tmp_path, seeded_transactional_db):
    """Real server processes for this test; all stopped afterwards, logs printed on failure."""
    from tests.processes import Processes

    processes = Processes(tmp_path)
    yield processes
    processes.stop_all()


@pytest.fixture
def chat_clients():
    """``await chat_clients(name, host, slug, member)`` -> a reconnecting ChatClient."""
    from asgiref.sync import sync_to_async

    from tests.processes import ChatClient, session_cookie

    made = []

    async def make(name, host, slug, member):
        client = ChatClient(name, host, slug, await sync_to_async(session_cookie)(member))
        made.append(client)
        return client

    yield make
    for client in made:
        if client.task is not None and not client.task.done():
            client.task.cancel()


@pytest.fixture
def cache_down(settings):
    """Django's cache on a Redis that is not there (nothing listens on its port)."""
    from tests.processes import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
