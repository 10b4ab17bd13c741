"""A notification reaches a member whose socket is on a DIFFERENT server process, through Redis.

A real daphne process serves the socket; this test process stores the notification and sends
the event through the real Redis channel layer. Needs REDIS_URL and a PostgreSQL DATABASE_URL
(the daphne process must see the test database the test writes to).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from forum.actions.notifications import notify

ROOT = Path(__file__).resolve().parents[3]
DAPHNE = Path(sys.executable).with_name("daphne")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.processes,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL")
        or not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs REDIS_URL and a PostgreSQL DATABASE_URL",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def url_of_the_test_database() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def daphne_server():
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url_of_the_test_database(),
        "REDIS_URL": os.environ["REDIS_URL"],
    }
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [str(DAPHNE), "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_listening(process, port, log)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def wait_until_listening(process, port: int, log) -> None:
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            log.seek(0)
            pytest.fail(f"daphne exited early:\n{log.read().decode(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail("daphne did not start listening in 30 s")
            time.sleep(0.2)


def test_a_notification_reaches_a_member_connected_to_another_process(
    transactional_db, client, member_factory, daphne_server
):
    from websockets.sync.client import connect

    assert "RedisChannelLayer" in settings.CHANNEL_LAYERS["default"]["BACKEND"]
    member = member_factory(username="FarAway")
    client.force_login(member)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    port = daphne_server

    with connect(
        f"ws://127.0.0.1:{port}/ws/notifications/",
        origin=f"http://127.0.0.1:{port}",
        additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
        open_timeout=10,
    ) as ws:
        assert json.loads(ws.recv(timeout=10)) == {"type": "count", "unread": 0}

        row = notify(
            recipient=member, kind="mention", text="Someone mentioned you.", url="/steps/12/"
        )

        frame = json.loads(ws.recv(timeout=10))
        assert frame["type"] == "notification"
        assert frame["id"] == row.pk
        assert frame["text"] == "Someone mentioned you."
        assert frame["unread"] == 1


def test_a_socket_without_a_session_is_closed_by_the_other_process(transactional_db, daphne_server):
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    port = daphne_server
    with (
        connect(
            f"ws://127.0.0.1:{port}/ws/notifications/",
            origin=f"http://127.0.0.1:{port}",
            open_timeout=10,
        ) as ws,
        pytest.raises(ConnectionClosed) as closed,
    ):
        ws.recv(timeout=10)
    assert closed.value.rcvd.code == 4401
