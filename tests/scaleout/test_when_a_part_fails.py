"""The site keeps working when a part fails: PostgreSQL connections reset, Redis stopped.

Real production server processes (ASGI) on loopback, sharing the test database.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

from tests.processes import server_env, session_cookie

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs a PostgreSQL DATABASE_URL (CI's PostgreSQL + Redis pass)",
    ),
    pytest.mark.django_db(transaction=True),
]


def fetch(url: str, *, cookie: str | None = None, data: bytes | None = None) -> tuple[int, str]:
    """``(status, body)`` for one request, errors included, redirects not followed."""
    request = urllib.request.Request(url, data=data)
    if cookie:
        request.add_header("Cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}")
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def reset_database_connections() -> int:
    """Terminate every other session on the test database, as a PostgreSQL restart would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("server", ["daphne", "uvicorn"])
def test_after_database_connections_are_reset_a_members_404_is_still_a_404(
    procs, static_root, member, server
):
    env = server_env(STATIC_ROOT=str(static_root), DB_CONN_MAX_AGE="60")
    port, _ = procs.production(server, env=env)
    base = f"http://127.0.0.1:{port}"
    cookie = session_cookie(member)
    try:
        for _ in range(5):
            assert fetch(f"{base}/no-such-page/", cookie=cookie)[0] == 404
        assert fetch(f"{base}/", cookie=cookie)[0] == 200

        assert reset_database_connections() >= 1

        answers = [fetch(f"{base}/no-such-page/", cookie=cookie) for _ in range(10)]
        answers += [fetch(f"{base}/u/NoSuchMember/", cookie=cookie) for _ in range(5)]
        answers += [fetch(f"{base}/", cookie=cookie) for _ in range(3)]
    except BaseException:
        print(procs.dump_logs())
        raise
    assert [status for status, _ in answers] == [404] * 15 + [200] * 3
    assert all(member.username in body for _, body in answers), "the member stays signed in"
