"""Fixtures shared by the forum's tests."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture
def block_cache(settings):
    """``block_cache(seconds)``: the shared block cache (forum/fragments.py) on, or off at 0."""

    def turn(seconds: int) -> None:
        settings.HOMEGROUP = {**settings.HOMEGROUP, "MEMBER_BLOCK_CACHE_SECONDS": seconds}

    return turn


@pytest.fixture
def next_release(settings, tmp_path):
    """Turns to this project's templates as a release that prints each post with one more
    comment (as a deploy would, with what the release before it cached still in the cache)."""
    from forum.fragments import templates_version

    def deploy() -> None:
        shutil.copytree(settings.BASE_DIR / "templates", tmp_path / "templates")
        post = tmp_path / "templates" / "forum" / "_post.html"
        post.write_text("<!-- the next release -->" + post.read_text())
        settings.BASE_DIR = tmp_path
        settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates"]}]
        templates_version.cache_clear()

    yield deploy
    templates_version.cache_clear()
