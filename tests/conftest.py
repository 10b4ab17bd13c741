"""Shared fixtures: factories with sensible defaults, and a clean cache for every test."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache

from tests.factories import PASSWORD, MemberFactory  # noqa: F401


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


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
