"""At most SOCKETS_PER_MEMBER sockets per member; the oldest close with 4429 (issue 11,
item 14). Chat and notification sockets count together."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async

from forum.realtime.socket_limit import CLOSE_TOO_MANY
from tests.forum.chat.conftest import open_socket, opening
from tests.sockets import closed_with, connect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def limit_of_three(settings):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "SOCKETS_PER_MEMBER": 3}


async def notifications_socket(member):
    socket = await connect(member, "/ws/notifications/")
    assert (await socket.receive_json_from(timeout=3))["type"] == "count"
    return socket


async def still_open(socket) -> bool:
    await socket.send_json_to({"type": "ping"})
    while True:
        output = await socket.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            return False
        if '"pong"' in output.get("text", ""):
            return True


async def test_a_fourth_socket_closes_the_oldest_with_4429(
    room, member, member_factory, limit_of_three
):
    first = await open_socket(member, room.slug)
    await opening(first)
    second = await notifications_socket(member)
    third = await open_socket(member, room.slug)
    await opening(third)
    other = await notifications_socket(await database_sync_to_async(member_factory)())

    fourth = await notifications_socket(member)

    assert await closed_with(first) == CLOSE_TOO_MANY
    for socket in (second, third, fourth, other):
        assert await still_open(socket)
    fifth = await open_socket(member, room.slug)
    await opening(fifth)
    assert await closed_with(second) == CLOSE_TOO_MANY
    for socket in (third, fourth, fifth, other):
        assert await still_open(socket)
        await socket.disconnect()


async def test_a_closed_socket_frees_its_place(room, member, limit_of_three):
    sockets = [await notifications_socket(member) for _ in range(3)]
    await sockets[0].disconnect()

    sockets.append(await notifications_socket(member))

    for socket in sockets[1:]:
        assert await still_open(socket)
        await socket.disconnect()


async def test_thirty_sockets_leave_the_ten_newest_open(member, settings):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "SOCKETS_PER_MEMBER": 10}
    sockets = [await notifications_socket(member) for _ in range(30)]

    codes = await asyncio.gather(*(closed_with(s, timeout=5) for s in sockets[:20]))

    assert codes == [CLOSE_TOO_MANY] * 20
    for socket in sockets[20:]:
        assert await still_open(socket)
        await socket.disconnect()
