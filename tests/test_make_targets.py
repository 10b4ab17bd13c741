"""`make run` installs only what running the site needs; `make test` installs the test tools and
axe-core too (read from `make -n --always-make` on a fresh virtualenv path, so nothing is
installed and what is already built elsewhere does not hide a step)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.processes import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def planned(target: str, tmp_path) -> str:
    result = subprocess.run(
        [
            "make",
            "-n",
            "--always-make",
            "--no-print-directory",
            target,
            f"VENV={tmp_path / 'venv'}",
        ],
        cwd=ROOT,
        # Under `make test` the outer make's flags would be inherited (and its directory lines).
        env={
            k: v
            for k, v in os.environ.items()
            if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "PYTEST_ARGS"}
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_make_run_installs_only_the_site(tmp_path):
    plan = planned("run", tmp_path)

    assert "pip install --quiet -c constraints.txt -e .\n" in plan
    assert "[dev]" not in plan and "npm" not in plan
    assert "manage.py runserver" in plan


def test_make_test_installs_the_test_tools_and_axe_core(tmp_path):
    plan = planned("test", tmp_path)

    assert "-e '.[dev]'" in plan and "npm ci" in plan
    assert plan.rstrip().splitlines()[-1].endswith("-m pytest")
