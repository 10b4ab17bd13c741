"""Chat sockets under uvicorn, the README's production ASGI server (issue 11, item 12).

uvicorn raises ``ClientDisconnected`` when an application sends on a socket the client already
closed; the chat must announce a departure to the others and log nothing about it.
"""

from __future__ import annotations

import asyncio
import os

import pytest
from asgiref.sync import sync_to_async

from tests.processes import server_env

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(
        not (
            os.environ.get("REDIS_URL")
            and os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
        ),
        reason="needs REDIS_URL and a PostgreSQL DATABASE_URL (CI's PostgreSQL + Redis pass)",
    ),
    pytest.mark.django_db(transaction=True),
]


async def test_a_departure_is_announced_to_the_others_and_logs_nothing(
    procs, chat_clients, room_factory, member_factory
):
    room, ann, bob = await sync_to_async(
        lambda: (
            room_factory(title="Leaving"),
            member_factory(username="Ann"),
            member_factory(username="Bob"),
        )
    )()
    # Heartbeats far apart: only the departure announcement can tell Ann in time.
    env = server_env(CHAT_HEARTBEAT_SECONDS="120", CHAT_PRESENCE_TTL="300")
    port, _ = procs.production("uvicorn", env=env)
    host = f"127.0.0.1:{port}"
    a = await chat_clients("ann", host, room.slug, ann)
    b = await chat_clients("bob", host, room.slug, bob)

    async def scenario():
        a.start()
        b.start()
        await a.wait_for(lambda: a.presence and a.presence["count"] == 2, what="both present")
        for _ in range(3):  # each close used to log a traceback and announce nothing
            await b.close()
            await a.wait_for(lambda: a.presence["count"] == 1, timeout=5, what="Bob's departure")
            assert a.presence["members"] == ["Ann"]
            b.stopping = False
            b.start()
            await a.wait_for(lambda: a.presence["count"] == 2, timeout=5, what="Bob back")
        await b.close()
        await a.wait_for(lambda: a.presence["count"] == 1, timeout=5, what="Bob's last departure")
        await a.close()
        await asyncio.sleep(0.5)

    try:
        await asyncio.wait_for(scenario(), 60)
    finally:
        procs.stop_all()
    log = procs.logs[0].read_text(errors="replace")
    assert "Traceback" not in log, log
    assert "ClientDisconnected" not in log, log
    assert "could not announce" not in log, log


async def test_a_lone_surrogate_over_a_real_socket_gets_a_permanent_error_and_is_not_stored(
    procs, chat_clients, room_factory, member_factory
):
    from forum.models import ChatMessage

    room, ann = await sync_to_async(
        lambda: (room_factory(title="Broken text"), member_factory(username="Ann"))
    )()
    port, _ = procs.production("uvicorn", env=server_env())
    a = await chat_clients("ann", f"127.0.0.1:{port}", room.slug, ann)

    async def scenario():
        a.start()
        await a.wait_for(lambda: a.presence is not None, what="connected")
        # json.dumps escapes the lone surrogate as \ud83d, as a browser's JSON.stringify does.
        await a.send_raw({"type": "message", "body": "half \ud83d", "client_id": "c-1"})
        await a.wait_for(lambda: a.frames_of("error"), what="the error")
        await a.send("whole text", client_id="c-2")
        await a.wait_for(lambda: "c-2" in a.acked, what="the next message")
        await a.close()

    try:
        await asyncio.wait_for(scenario(), 60)
    finally:
        procs.stop_all()
    error = a.frames_of("error")[0]
    assert (error["code"], error["client_id"], error["permanent"]) == (
        "bad_characters",
        "c-1",
        True,
    )
    bodies = await sync_to_async(lambda: list(ChatMessage.objects.values_list("body", flat=True)))()
    assert bodies == ["whole text"]
    assert a.connections == 1, "the socket stayed open"
    log = procs.logs[0].read_text(errors="replace")
    assert "Traceback" not in log, log


async def test_the_socket_limit_counts_the_sockets_of_every_process(procs, member_factory):
    """Item 14: one member's sockets on two processes count together; the oldest go first."""
    from django.conf import settings
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    from forum.realtime.socket_limit import CLOSE_TOO_MANY
    from tests.processes import session_cookie

    member = await sync_to_async(member_factory)(username="ManyTabs")
    cookie = await sync_to_async(session_cookie)(member)
    env = server_env(SOCKETS_PER_MEMBER="3")
    ports = [procs.production("uvicorn", env=env)[0] for _ in range(2)]

    async def open_on(port: int):
        socket = await connect(
            f"ws://127.0.0.1:{port}/ws/notifications/",
            additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
            origin=f"http://127.0.0.1:{port}",
            open_timeout=5,
        )
        await socket.recv()  # the unread count: the socket is counted before it is sent
        return socket

    async def close_code(socket) -> int | None:
        try:
            await asyncio.wait_for(socket.recv(), 5)
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
        return None

    async def answers_ping(socket) -> bool:
        await socket.send('{"type": "ping"}')
        return "pong" in await asyncio.wait_for(socket.recv(), 5)

    async def scenario():
        sockets = [await open_on(ports[n % 2]) for n in range(5)]
        assert [await close_code(s) for s in sockets[:2]] == [CLOSE_TOO_MANY] * 2
        assert [await answers_ping(s) for s in sockets[2:]] == [True] * 3
        for socket in sockets[2:]:
            await socket.close()

    try:
        await asyncio.wait_for(scenario(), 60)
    except BaseException:
        print(procs.dump_logs())
        raise
    finally:
        procs.stop_all()
