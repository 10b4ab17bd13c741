"""Fixtures shared by the forum's tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def block_cache(settings):
    """``block_cache(seconds)``: the shared block cache (forum/fragments.py) on, or off at 0."""

    def turn(seconds: int) -> None:
        settings.HOMEGROUP = {**settings.HOMEGROUP, "MEMBER_BLOCK_CACHE_SECONDS": seconds}

    return turn
