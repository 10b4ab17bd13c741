"""Chat across real server processes: two daphne processes sharing PostgreSQL and Redis.

These start real processes, so they run only where REDIS_URL and a PostgreSQL DATABASE_URL are
set (CI's PostgreSQL + Redis pass). The restart test starts its own redis-server on a free port
and never touches the shared one.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import urllib.request
import uuid

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings

from forum.actions.chat import hide_message
from forum.models import ChatMessage
from tests.processes import ChatClient, assert_each_acknowledged_message_arrived_once

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


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


async def bounded(coroutine, seconds: float = 90):
    return await asyncio.wait_for(coroutine, seconds)


async def test_messages_presence_hiding_and_limits_cross_processes(
    procs, chat_clients, room_factory, member_factory, moderator
):
    room, slow, ann, bob, cat = await sync_to_async(
        lambda: (
            room_factory(title="Across"),
            room_factory(title="Slow", slow_mode_seconds=60),
            *(member_factory(username=n) for n in ("Ann", "Bob", "Cat")),
        )
    )()
    env = {"CHAT_RATE_LIMIT": "5", "CHAT_RATE_WINDOW": "3600"}
    one, _ = procs.daphne(redis_url=settings.REDIS_URL, **env)
    two, _ = procs.daphne(redis_url=settings.REDIS_URL, **env)
    a = await chat_clients("ann@1", one, room.slug, ann)
    b = await chat_clients("bob@2", two, room.slug, bob)

    async def scenario():
        a.start()
        await a.wait_for(lambda: a.presence and a.presence["count"] == 1, what="own presence")
        b.start()
        # Presence: the join on process two reaches the socket on process one.
        await a.wait_for(lambda: a.presence["count"] == 2, what="Bob's arrival")
        assert a.presence["members"] == ["Ann", "Bob"]
        await b.wait_for(lambda: b.presence and b.presence["count"] == 2)
        # Both processes report the same count on /chat/.
        for host in (one, two):
            html = await asyncio.to_thread(fetch, f"http://{host}/chat/")
            assert "2 present now" in html

        # Messages cross in both directions.
        await a.send("hello from process one")
        await b.wait_for(lambda: "hello from process one" in b.bodies(), what="Ann's message")
        await b.send("and back from process two")
        await a.wait_for(lambda: "and back from process two" in a.bodies(), what="Bob's reply")

        # Hiding, done by a third process (this one), disappears from both.
        message = await sync_to_async(ChatMessage.objects.get)(body="hello from process one")
        await sync_to_async(hide_message)(message=message, by=moderator)
        for client in (a, b):
            await client.wait_for(
                lambda c=client: {"type": "message_hidden", "id": message.pk} in c.frames,
                what="message_hidden",
            )

        # The rate limit counts one member's sockets on both processes together.
        c1 = await chat_clients("cat@1", one, room.slug, cat)
        c2 = await chat_clients("cat@2", two, room.slug, cat)
        c1.start()
        c2.start()
        for c in (c1, c2):
            await c.wait_for(lambda c=c: c.presence is not None, what="cat connected")
        for n in range(5):
            target = (c1, c2)[n % 2]
            await target.send(f"cat {n}")
            await target.wait_for(lambda t=target: not t.pending, what=f"ack of cat {n}")
        await c2.send("cat over the limit")
        await c2.wait_for(lambda: c2.frames_of("error"), what="rate limit error")
        assert c2.frames_of("error")[-1]["code"] == "rate_limited"
        assert c2.frames_of("error")[-1]["retry_after"] >= 1

        # Slow mode holds across processes too.
        s1 = await chat_clients("bob-slow@1", one, slow.slug, bob)
        s2 = await chat_clients("bob-slow@2", two, slow.slug, bob)
        s1.start()
        s2.start()
        for s in (s1, s2):
            await s.wait_for(lambda s=s: s.presence is not None, what="slow room connected")
        await s1.send("first in slow room")
        await s1.wait_for(lambda: not s1.pending, what="slow ack")
        await s2.send("too soon, other process")
        await s2.wait_for(lambda: s2.frames_of("error"), what="slow mode error")
        assert s2.frames_of("error")[-1]["code"] == "slow_mode"

        # A process that dies does not leave its members present for ever.
        three, doomed = procs.daphne(redis_url=settings.REDIS_URL, **env)
        d = await chat_clients("cat@3", three, room.slug, cat)
        d.keep_reconnecting = False
        await b.wait_for(lambda: b.presence["count"] == 3, what="Cat counted")
        d.start()
        await d.wait_for(lambda: d.presence is not None, what="cat on three")
        await c1.close()
        await c2.close()
        await asyncio.sleep(1.0)  # the departures of Cat's first two sockets are announced
        await b.wait_for(lambda: b.presence["count"] == 3, what="Cat still present via three")
        procs.kill(doomed)
        await b.wait_for(lambda: b.presence["count"] == 2, timeout=15, what="Cat gone after crash")
        assert b.presence["members"] == ["Ann", "Bob"]

        for client in (a, b, d, s1, s2):
            await client.close()

    try:
        await bounded(scenario())
    except BaseException:
        print(procs.dump_logs())
        print("presence frames seen by Bob:", b.frames_of("presence"))
        raise
    assert await sync_to_async(ChatMessage.objects.filter(room=room).count)() == 7


async def test_after_a_redis_restart_every_acknowledged_message_reaches_everyone_once(
    procs, chat_clients, room_factory, member_factory
):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    redis_port, redis = procs.redis()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    room, members = await sync_to_async(
        lambda: (
            room_factory(title="Restart"),
            [member_factory(username=f"R{n}") for n in range(4)],
        )
    )()
    env = {"CHAT_RATE_LIMIT": "1000"}
    hosts = [procs.daphne(redis_url=redis_url, **env)[0] for _ in range(2)]
    people = [
        await chat_clients(f"r{n}", hosts[n % 2], room.slug, m) for n, m in enumerate(members)
    ]

    async def talk(client: ChatClient, rounds: int, tag: str):
        for n in range(rounds):
            await client.send(f"{client.name} {tag} {n} {uuid.uuid4().hex[:6]}")
            await asyncio.sleep(0.15)

    async def scenario():
        for person in people:
            person.start()
        for person in people:
            await person.wait_for(
                lambda p=person: p.presence and p.presence["count"] == 4, what="all four present"
            )
        await asyncio.gather(*(talk(p, 6, "before") for p in people))

        # Restart Redis (no persistence) in the middle of the conversation.
        procs.kill(redis)
        during = asyncio.gather(*(talk(p, 4, "during") for p in people))
        await asyncio.sleep(1.0)
        procs.redis(redis_port)
        await during
        await asyncio.gather(*(talk(p, 6, "after") for p in people))

        for person in people:
            await person.wait_for(lambda p=person: not p.pending, timeout=30, what="all acked")
        acked = {i for p in people for i in p.acked.values()}
        for person in people:
            await person.wait_for(
                lambda p=person: acked <= set(p.message_frames),
                timeout=30,
                what="every acknowledged message",
            )
        await asyncio.sleep(2.5)  # two more heartbeats: nothing may arrive twice
        return acked

    try:
        acked = await bounded(scenario(), 120)
    except BaseException:
        print(procs.dump_logs())
        raise
    finally:
        for person in people:
            await person.close()

    # Sockets may live through the restart (the cache reads as a miss while Redis is away,
    # config/cache.py); the groups Redis forgot are re-joined on the next heartbeat.
    assert len(acked) == 4 * 16
    stored = await sync_to_async(lambda: set(room.messages.values_list("pk", flat=True)))()
    assert stored == acked, "every stored message was acknowledged, once"
    assert_each_acknowledged_message_arrived_once(people, acked)
