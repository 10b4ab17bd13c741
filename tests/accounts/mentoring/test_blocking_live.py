"""In a live chat room, messages from a member the viewer blocked arrive folded."""

import pytest
from channels.db import database_sync_to_async

from accounts.actions.blocking import block_member, unblock_member
from forum.actions.chat import send_message
from forum.models import Room
from tests.factories import make_member
from tests.sockets import socket_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_thread_connections"),
]


async def next_message(socket) -> dict:
    while True:
        frame = await socket.receive_json_from(timeout=3)
        if frame["type"] == "message":
            return frame


async def open_room(member, slug):
    socket = await socket_for(member, f"/ws/chat/{slug}/")
    connected, _ = await socket.connect(timeout=5)
    assert connected
    return socket


async def test_history_and_new_messages_from_a_blocked_member_are_flagged_and_blocks_apply_live():
    @database_sync_to_async
    def setup():
        room = Room.objects.create(title="Evening", slug="evening-live")
        viewer, pest, friend = make_member(), make_member(), make_member()
        send_message(member=pest, room=room, body="earlier words")
        block_member(blocker=viewer, blocked=pest)
        return room, viewer, pest, friend

    room, viewer, pest, friend = await setup()
    socket = await open_room(viewer, room.slug)

    history = await next_message(socket)
    assert history["body"] == "earlier words"
    assert history["blocked"] is True

    await database_sync_to_async(send_message)(member=friend, room=room, body="from a friend")
    assert "blocked" not in await next_message(socket)

    await database_sync_to_async(unblock_member)(blocker=viewer, blocked_id=pest.pk)
    await database_sync_to_async(send_message)(member=friend, room=room, body="sync point")
    await next_message(socket)
    await database_sync_to_async(send_message)(member=pest, room=room, body="after unblock")
    frame = await next_message(socket)
    assert frame["body"] == "after unblock"
    assert "blocked" not in frame

    await database_sync_to_async(block_member)(blocker=viewer, blocked=pest)
    await database_sync_to_async(send_message)(member=friend, room=room, body="sync point 2")
    await next_message(socket)
    await database_sync_to_async(send_message)(member=pest, room=room, body="after block")
    frame = await next_message(socket)
    assert frame["body"] == "after block"
    assert frame["blocked"] is True
    await socket.disconnect()
