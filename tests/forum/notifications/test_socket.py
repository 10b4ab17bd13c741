"""The per-member socket /ws/notifications/ (in-process channel layer)."""

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async

from forum.actions.notifications import mark_all_read, notify
from forum.realtime.events import member_group, send_event
from tests.factories import MemberFactory
from tests.sockets import close_code, socket_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_thread_connections"),
]

PATH = "/ws/notifications/"


async def connected(member):
    socket = await socket_for(member, PATH)
    ok, _ = await socket.connect(timeout=5)
    assert ok
    return socket


async def test_a_visitor_is_closed_with_4401():
    assert await close_code(await socket_for(None, PATH)) == 4401


async def test_a_connected_member_gets_the_count_then_each_new_notification():
    member = await database_sync_to_async(MemberFactory)()
    await database_sync_to_async(notify)(recipient=member, kind="mention", text="earlier")
    socket = await connected(member)

    assert await socket.receive_json_from(timeout=3) == {"type": "count", "unread": 1}

    row = await database_sync_to_async(notify)(
        recipient=member, kind="topic_reply", text="A reply to your topic", url="/t/1/"
    )
    frame = await socket.receive_json_from(timeout=3)
    assert frame == {
        "type": "notification",
        "id": row.pk,
        "kind": "topic_reply",
        "text": "A reply to your topic",
        "url": "/t/1/",
        "unread": 2,
    }

    await database_sync_to_async(mark_all_read)(member=member)
    assert await socket.receive_json_from(timeout=3) == {"type": "count", "unread": 0}
    await socket.disconnect()


async def test_another_members_notification_does_not_arrive():
    member, other = await database_sync_to_async(MemberFactory.create_batch)(2)
    socket = await connected(member)
    await socket.receive_json_from(timeout=3)

    await database_sync_to_async(notify)(recipient=other, kind="mention", text="not yours")

    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_chat_events_on_the_member_group_are_ignored_and_disconnect_closes():
    member = await database_sync_to_async(MemberFactory)()
    socket = await connected(member)
    await socket.receive_json_from(timeout=3)

    await sync_to_async(send_event)(member_group(member.pk), {"type": "chat.muted", "room_id": 1})
    assert await socket.receive_nothing(timeout=0.3)
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from(timeout=3) == {"type": "pong"}

    await sync_to_async(send_event)(
        member_group(member.pk), {"type": "member.disconnect", "code": 4403}
    )
    output = await socket.receive_output(timeout=3)
    assert output == {"type": "websocket.close", "code": 4403}


async def test_bad_frames_do_not_break_the_socket():
    member = await database_sync_to_async(MemberFactory)()
    socket = await connected(member)
    await socket.receive_json_from(timeout=3)

    await socket.send_to(text_data="{not json")
    await socket.send_json_to(["a", "list"])
    await socket.send_json_to({"type": "ping"})

    assert await socket.receive_json_from(timeout=3) == {"type": "pong"}
    await socket.disconnect()
