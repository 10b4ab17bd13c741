"""Privacy of the workbook: a canary written into every workbook field, a draft, a check-in and
a moving-on reflection never reaches another role — not a page, a search result, a
notification or a log line, for visitors, members, mentors, moderators and admins alike — nor
a ``pg_dump`` of the database. (Pages and WebSocket frames in a real browser:
tests/browser/test_privacy_crawl.py.)"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import subprocess

import pytest
from django.db import connection
from django.test import Client

from forum.models import Notification
from tests.accounts.workbook.canary import CANARY, write_canary_everywhere
from tests.permission_world import ROLES, build_world, fill
from tests.test_permission_matrix import EXPECTED, values

pytestmark = pytest.mark.django_db


def pages_for(world) -> list[str]:
    paths = [
        fill(route, values(route, variant, world))
        for (route, variant), (method, _) in EXPECTED.items()
        if method == "GET"
    ]
    for number in range(1, 13):
        paths += [f"/steps/{number}/", f"/steps/{number}/workbook/"]
    paths += [
        f"/search/?q={CANARY}",
        f"/search/?q={CANARY}+draft",
        "/steps/12/?kind=message",
        f"/mentoring/{world.mentorship.pk}/workbook/",
        f"/u/{world.mentee.username}/",
        "/notifications/",
        "/me/export/",
    ]
    return paths


def test_the_canary_reaches_no_page_search_result_notification_or_log_of_any_other_role(
    caplog,
):
    caplog.set_level(logging.DEBUG)
    world = build_world()
    written = write_canary_everywhere(world.mentee)
    assert written > 30
    seen = Client()
    seen.force_login(world.mentee)
    assert CANARY in seen.get("/steps/4/workbook/").content.decode()  # the writer sees it

    findings = []
    requests = 0
    for role in ROLES:
        client = Client()
        if world.person(role) is not None:
            client.force_login(world.person(role))
        for path in pages_for(world):
            response = client.get(path)
            requests += 1
            body = response.content.decode("utf-8", "replace")
            if path.startswith("/search/?q=") and response.status_code == 200:
                # The page echoes what was typed, so what counts is that nothing was found.
                # (A banned member is sent to their own page instead: checked below as any page.)
                assert "Nothing matched" in body and "search-results" not in body, (role, path)
                continue
            if CANARY in body or any(CANARY in str(v) for v in response.headers.values()):
                findings.append(f"{role} {path}")
    assert requests > 8 * 80
    assert findings == []
    assert not Notification.objects.filter(text__contains=CANARY).exists()
    assert not Notification.objects.filter(url__contains=CANARY).exists()
    assert CANARY not in caplog.text


def _pg_dump() -> str | None:
    found = shutil.which("pg_dump") or next(
        iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))), None
    )
    return found


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""), reason="pg_dump needs PostgreSQL"
)
def test_a_pg_dump_of_the_database_holds_no_workbook_text(seeded_transactional_db):
    from tests.factories import MemberFactory

    writer = MemberFactory(username="DumpedWriter", current_step=4)
    write_canary_everywhere(writer)
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = [
        _pg_dump(),
        "--data-only",
        "-h",
        settings["HOST"] or "127.0.0.1",
        "-p",
        str(settings["PORT"] or 5432),
        "-U",
        settings["USER"] or "postgres",
        settings["NAME"],
    ]

    dump = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=True)

    assert "DumpedWriter" in dump.stdout  # the dump is real and holds the member row
    assert "gAAAA" in dump.stdout  # and the workbook rows, as tokens
    assert CANARY not in dump.stdout
