"""Permission-rule fixtures: the seeded boards and rooms, and one person of each role."""

from __future__ import annotations

import pytest

from tests.factories import make_admin, make_moderator, make_topic
from tests.permission_world import ensure_seeds


@pytest.fixture(autouse=True)
def _seeds(db):
    ensure_seeds()


@pytest.fixture
def moderator(db):
    return make_moderator(username="SteadyModerator")


@pytest.fixture
def admin_user(db):
    return make_admin(username="TheAdmin")


@pytest.fixture
def opening_post(db):
    return make_topic(title="A hard week", body="Writing it down helps.").posts.get(number=1)
