"""Fixtures for tests of production server processes."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def static_root(tmp_path_factory, django_db_blocker):
    """Collected static files, which production settings serve through their manifest."""
    from tests.processes import collect_static

    root = tmp_path_factory.mktemp("static")
    with django_db_blocker.unblock():
        collect_static(root)
    return root
