"""The production layout on one machine: nginx in front of gunicorn (pages) and two ASGI
processes (WebSockets), sharing PostgreSQL and Redis, no sticky sessions.

Runs in CI's PostgreSQL + Redis pass (it needs nginx from Debian; skipped without it).
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import os
import re
import shutil
import urllib.parse
import urllib.request
import uuid

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings

from deploy.render_nginx import render
from tests.factories import PASSWORD
from tests.processes import (
    ChatClient,
    assert_each_acknowledged_message_arrived_once,
    free_port,
    server_env,
)

IP_ADDRESS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(
        not (
            os.environ.get("REDIS_URL")
            and os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
        ),
        reason="needs REDIS_URL and a PostgreSQL DATABASE_URL (CI's PostgreSQL + Redis pass)",
    ),
    pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed"),
    pytest.mark.django_db(transaction=True),
]


class Layout:
    def __init__(self, procs, tmp_path, static_root):
        env = server_env(
            STATIC_ROOT=str(static_root),
            TRUSTED_PROXY_COUNT="1",
            CHAT_HEARTBEAT_SECONDS="1",
            CHAT_PRESENCE_TTL="4",
            CHAT_RATE_LIMIT="1000",
        )
        self.pages_port, _ = procs.production("gunicorn", env=env, workers=2)
        self.asgi = [procs.production("uvicorn", env=env) for _ in range(2)]
        self.port = free_port()
        run_dir = tmp_path / "nginx"
        run_dir.mkdir()
        config = run_dir / "nginx.conf"
        config.write_text(
            render(
                LISTEN_PORT=str(self.port),
                PAGES_PORT=str(self.pages_port),
                ASGI_PORT_1=str(self.asgi[0][0]),
                ASGI_PORT_2=str(self.asgi[1][0]),
                RUN_DIR=str(run_dir),
            )
        )
        procs.nginx(config, self.port)
        self.run_dir = run_dir
        self.host = f"127.0.0.1:{self.port}"

    def backends(self) -> list[int]:
        return [self.pages_port, *(port for port, _ in self.asgi)]


@pytest.fixture
def layout(procs, tmp_path, static_root):
    try:
        yield Layout(procs, tmp_path, static_root)
    except BaseException:
        print(procs.dump_logs())
        raise


def browser_session():
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def sign_up(opener, base: str, pseudonym: str) -> None:
    """Join through the real signup form, which logs the new member in."""
    page = opener.open(f"{base}/account/signup/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {
            "username": pseudonym,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "csrfmiddlewaretoken": token,
        }
    ).encode()
    request = urllib.request.Request(f"{base}/account/signup/", data=data)
    response = opener.open(request, timeout=10)
    assert "/account/signup/" not in response.url, response.read().decode()[-2000:]


def test_a_member_logged_in_through_nginx_is_logged_in_on_every_worker(layout):
    opener = browser_session()

    sign_up(opener, f"http://{layout.host}", "CalmHarbor")

    for _ in range(6):  # round robin over gunicorn's two workers
        html = opener.open(f"http://{layout.host}/me/", timeout=10).read().decode()
        assert "Signed in as <strong>CalmHarbor</strong>" in html
    for port in layout.backends():
        html = opener.open(f"http://127.0.0.1:{port}/me/", timeout=10).read().decode()
        assert "Signed in as <strong>CalmHarbor</strong>" in html, port


def test_nginx_logs_no_client_address(layout, member_factory):
    opener = browser_session()
    for path in ("/", "/steps/1/", "/static/css/site.css"):
        opener.open(f"http://{layout.host}{path}", timeout=10).read()

    log = (layout.run_dir / "nginx-access.log").read_text()

    assert '"GET /steps/1/ HTTP/1.1" 200' in log
    assert not IP_ADDRESS.search(log), log


async def test_chat_crosses_asgi_processes_and_survives_losing_one(
    layout, procs, chat_clients, member_factory
):
    from accounts.actions.roles import grant_moderator
    from forum.actions.chat import create_room

    def setup():
        creator = member_factory(username="RoomMaker")
        grant_moderator(member=creator)
        room = create_room(by=creator, title="Scale out", slug="scale-out")
        return room, [member_factory(username=f"Layout{n}") for n in range(4)]

    room, members = await sync_to_async(setup)()
    direct = [f"127.0.0.1:{port}" for port, _ in layout.asgi]
    # Two members directly on different ASGI processes, two through nginx.
    people: list[ChatClient] = [
        await chat_clients("direct-1", direct[0], room.slug, members[0]),
        await chat_clients("direct-2", direct[1], room.slug, members[1]),
        await chat_clients("nginx-a", layout.host, room.slug, members[2]),
        await chat_clients("nginx-b", layout.host, room.slug, members[3]),
    ]
    people[0].keep_reconnecting = people[1].keep_reconnecting = False

    async def talk(person: ChatClient, rounds: int, tag: str) -> None:
        for n in range(rounds):
            await person.send(f"{person.name} {tag} {n} {uuid.uuid4().hex[:6]}")
            await asyncio.sleep(0.1)

    async def scenario() -> set[int]:
        for person in people:
            person.start()
        for person in people:
            await person.wait_for(
                lambda p=person: p.presence and p.presence["count"] == 4, what="everyone present"
            )
        await people[0].send("hello from process one")
        await people[1].wait_for(
            lambda: "hello from process one" in people[1].bodies(),
            what="a message from the other process",
        )
        await people[0].wait_for(lambda: not people[0].pending, what="its own message back")
        await asyncio.gather(*(talk(p, 4, "before") for p in people[2:]))

        # Stop one ASGI process outright; the nginx clients reconnect through nginx and backfill.
        procs.kill(layout.asgi[0][1])
        await asyncio.gather(*(talk(p, 6, "after") for p in people[2:]))
        for person in people[2:]:
            await person.wait_for(lambda p=person: not p.pending, timeout=30, what="all acked")
        acked = {i for p in people[2:] for i in p.acked.values()}
        for person in people[2:]:
            await person.wait_for(
                lambda p=person: acked <= set(p.message_frames), timeout=30, what="every message"
            )
        await asyncio.sleep(2.5)
        return acked

    try:
        acked = await asyncio.wait_for(scenario(), 120)
    finally:
        for person in people:
            await person.close()

    assert len(acked) == 2 * 10
    assert_each_acknowledged_message_arrived_once(people[2:], acked)
    stored = await sync_to_async(lambda: set(room.messages.values_list("pk", flat=True)))()
    assert acked <= stored
    assert settings.REDIS_URL
