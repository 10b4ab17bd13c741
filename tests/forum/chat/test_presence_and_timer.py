"""Big rooms (issue 16): joins are announced as one coalesced diff per room per second, and one
timer per server process keeps every socket's heartbeat, whatever the number of sockets."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async

from tests.forum.chat.conftest import open_socket, opening
from tests.processes import presence_after
from tests.sockets import connect

pytestmark = pytest.mark.django_db(transaction=True)

JOINERS = 8


async def presence_frames(socket, *, within: float) -> list[dict]:
    frames = []
    loop = asyncio.get_running_loop()
    until = loop.time() + within
    while (left := until - loop.time()) > 0:
        if await socket.receive_nothing(timeout=min(left, 0.1)):
            continue
        frame = await socket.receive_json_from()
        if frame["type"] == "presence":
            frames.append(frame)
    return frames


async def test_eight_members_joining_at_once_reach_the_first_as_at_most_two_diffs(
    room, member, member_factory
):
    others = await database_sync_to_async(
        lambda: [member_factory(username=f"Joiner{i}") for i in range(JOINERS)]
    )()
    first = await open_socket(member, room.slug)
    shown = (await opening(first))[-1]

    joiners = await asyncio.gather(*(open_socket(other, room.slug) for other in others))
    frames = await presence_frames(first, within=2.5)

    assert 1 <= len(frames) <= 2
    assert all(set(frame) == {"type", "count", "joined", "left"} for frame in frames)
    for frame in frames:
        shown = presence_after(shown, frame)
    assert shown["count"] == JOINERS + 1
    assert shown["members"] == sorted(
        [member.username, *(o.username for o in others)], key=str.casefold
    )
    for socket in [first, *joiners]:
        await socket.disconnect()


async def test_a_joining_member_alone_is_sent_the_full_list(room, member, member_factory):
    other = await database_sync_to_async(member_factory)(username="Newcomer")
    first = await open_socket(member, room.slug)
    await opening(first)

    second = await open_socket(other, room.slug)
    opened = (await opening(second))[-1]

    assert opened == {
        "type": "presence",
        "count": 2,
        "members": sorted([member.username, "Newcomer"], key=str.casefold),
    }
    assert await presence_frames(second, within=1.5) == []
    await first.disconnect()
    await second.disconnect()


def timer_tasks() -> list[asyncio.Task]:
    """Running tasks whose coroutine is our realtime code (not channels' or asgiref's)."""
    tasks = []
    for task in asyncio.all_tasks():
        code = getattr(task.get_coro(), "cr_code", None)
        if code is not None and "/forum/realtime/" in code.co_filename:
            tasks.append(task)
    return tasks


async def test_one_timer_task_serves_every_socket_of_the_process(room, member, member_factory):
    others = await database_sync_to_async(lambda: [member_factory() for _ in range(4)])()
    sockets = []
    for person in [member, *others]:
        socket = await open_socket(person, room.slug)
        await opening(socket)
        sockets.append(socket)
    notifications = await connect(member, "/ws/notifications/")
    await notifications.receive_json_from(timeout=3)

    # One timer for the process and one listener for the room, however many sockets.
    assert sorted(task.get_name() for task in timer_tasks()) == [
        "homegroup-room-events",
        "homegroup-socket-hub",
    ]

    for socket in [*sockets, notifications]:
        await socket.disconnect()
    await asyncio.sleep(1.2)
    assert timer_tasks() == []
