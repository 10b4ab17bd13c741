"""Fixtures for the boards area."""

from __future__ import annotations

import pytest

from tests.factories import general_board, make_post, make_topic, step_board


@pytest.fixture
def topic_factory(db):
    """``topic_factory(board, kind="message", replies=3, ...)`` -> a saved Topic."""
    return make_topic


@pytest.fixture
def post_factory(db):
    """``post_factory(topic, author=..., body=...)`` -> a saved reply."""
    return make_post


@pytest.fixture
def support_board(db):
    return general_board("general-support")


@pytest.fixture
def newcomers_board(db):
    return general_board("newcomers")


@pytest.fixture
def members_only_board(db):
    return general_board("starting-again")


@pytest.fixture
def step_board_factory(db):
    return step_board


@pytest.fixture
def no_rate_limits(settings):
    """Lift the write limits for tests that post several times in a row."""
    settings.HOMEGROUP = {
        **settings.HOMEGROUP,
        "TOPICS_PER_HOUR": 10_000,
        "TOPICS_PER_HOUR_FIRST_DAY": 10_000,
        "POST_INTERVAL_SECONDS": 0,
        "POST_INTERVAL_SECONDS_FIRST_DAY": 0,
        "REACTIONS_PER_MINUTE": 10_000,
    }


@pytest.fixture
def seasoned_member(member_factory):
    """A member past their first day (the stricter first-day limits do not apply)."""
    from datetime import timedelta

    from django.utils import timezone

    return member_factory(date_joined=timezone.now() - timedelta(days=30))
