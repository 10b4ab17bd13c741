"""Suspending or banning a member closes every socket they have open, within a second."""

import time
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async

from forum.actions.moderation import ban_member, mute_in_chat, suspend_member
from tests.factories import make_room
from tests.sockets import closed_with, connect, next_frame

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(member_factory):
    from accounts.actions.roles import grant_moderator

    moderator = member_factory(username="SocketModerator")
    grant_moderator(member=moderator)
    return moderator, member_factory(username="Chatty"), make_room()


async def test_a_suspension_closes_every_open_socket_within_a_second(scene):
    moderator, chatty, room = scene
    chat = await connect(chatty, f"/ws/chat/{room.slug}/")
    await next_frame(chat, "presence")
    notifications = await connect(chatty, "/ws/notifications/")

    started = time.monotonic()
    await database_sync_to_async(suspend_member)(
        moderator=moderator, member=chatty, duration=timedelta(days=1), reason="Cooling off"
    )

    assert await closed_with(chat, timeout=1) == 4403
    assert await closed_with(notifications, timeout=1) == 4403
    assert time.monotonic() - started < 1


async def test_a_suspended_member_cannot_reconnect(scene):
    moderator, chatty, room = scene
    await database_sync_to_async(suspend_member)(
        moderator=moderator, member=chatty, duration=timedelta(hours=1), reason="Pause"
    )

    socket = await connect(chatty, f"/ws/chat/{room.slug}/")

    assert await closed_with(socket) == 4403


async def test_a_ban_closes_the_members_sockets(scene):
    moderator, chatty, room = scene
    chat = await connect(chatty, f"/ws/chat/{room.slug}/")
    await next_frame(chat, "presence")

    await database_sync_to_async(ban_member)(moderator=moderator, member=chatty, reason="Threats")

    assert await closed_with(chat, timeout=1) in (4401, 4403)


async def test_a_mute_reaches_the_open_socket_and_refuses_messages(scene):
    moderator, chatty, room = scene
    chat = await connect(chatty, f"/ws/chat/{room.slug}/")
    await next_frame(chat, "presence")

    await database_sync_to_async(mute_in_chat)(
        moderator=moderator, member=chatty, room=room, duration=timedelta(minutes=15), reason="Loud"
    )
    state = await next_frame(chat, "room")
    assert state["muted_until"]

    await chat.send_json_to({"type": "message", "body": "still talking", "client_id": "m1"})
    error = await next_frame(chat, "error")
    assert error["code"] == "muted"
    await chat.disconnect()
