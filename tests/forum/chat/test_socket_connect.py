"""Opening a chat socket: who is refused with which code, and what an accepted socket receives."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from accounts.models import Mentorship
from tests.forum.chat.conftest import frames_until, next_of, open_socket, opening
from tests.sockets import socket_for

pytestmark = pytest.mark.django_db(transaction=True)


async def closed_with(communicator) -> int:
    output = await communicator.receive_output(timeout=3)
    assert output["type"] == "websocket.close"
    return output["code"]


async def test_a_visitor_is_refused_with_4401(room):
    socket = await open_socket(None, room.slug)

    assert await closed_with(socket) == 4401


async def test_a_suspended_member_is_refused_with_4403(room, suspended_member):
    socket = await open_socket(suspended_member, room.slug)

    assert await closed_with(socket) == 4403


async def test_an_unknown_room_is_refused_with_4404(member):
    socket = await open_socket(member, "no-such-room")

    assert await closed_with(socket) == 4404


async def test_a_private_room_does_not_exist_for_an_outsider_or_a_moderator(
    room_factory, mentorship_factory, member, moderator
):
    private = await database_sync_to_async(lambda: room_factory(mentorship=mentorship_factory()))()

    for outsider in (member, moderator):
        socket = await open_socket(outsider, private.slug)
        assert await closed_with(socket) == 4404


async def test_mentor_and_mentee_can_open_their_private_room(room_factory, mentorship_factory):
    mentorship = await database_sync_to_async(mentorship_factory)()
    private = await database_sync_to_async(room_factory)(mentorship=mentorship)

    for person in (mentorship.mentor, mentorship.mentee):
        socket = await open_socket(person, private.slug)
        frames = await opening(socket)
        assert frames[0]["type"] == "room"
        assert frames[0]["read_only"] is False
        await socket.disconnect()


async def test_an_ended_mentorship_room_opens_read_only(room_factory, mentorship_factory):
    mentorship = await database_sync_to_async(mentorship_factory)(status=Mentorship.Status.ENDED)
    private = await database_sync_to_async(room_factory)(mentorship=mentorship)

    socket = await open_socket(mentorship.mentee, private.slug)

    assert (await opening(socket))[0]["read_only"] is True
    await socket.disconnect()


async def test_on_connect_the_last_50_messages_come_oldest_first_then_presence(
    room, member, member_factory, message_factory
):
    def seed():
        author = member_factory(username="Writer")
        for n in range(60):
            message_factory(room, author, body=f"message {n}")

    await database_sync_to_async(seed)()

    socket = await open_socket(member, room.slug)
    frames = await opening(socket)

    assert frames[0]["type"] == "room"
    assert frames[0]["title"] == room.title
    messages = [f for f in frames if f["type"] == "message"]
    assert [m["body"] for m in messages] == [f"message {n}" for n in range(10, 60)]
    assert messages[0]["author"] == "Writer"
    assert messages[0]["mine"] is False
    assert "client_id" not in messages[0]
    assert [m["id"] for m in messages] == sorted(m["id"] for m in messages)
    assert frames[-1] == {"type": "presence", "count": 1, "members": [member.username]}
    await socket.disconnect()


async def test_after_sends_every_message_after_that_id(room, member, message_factory):
    stored = await database_sync_to_async(
        lambda: [message_factory(room, member, body=f"m{n}") for n in range(80)]
    )()

    socket = await open_socket(member, room.slug, after=stored[9].pk)
    messages = [f for f in await opening(socket) if f["type"] == "message"]

    assert [m["body"] for m in messages] == [f"m{n}" for n in range(10, 80)]
    await socket.disconnect()


async def test_after_with_nothing_new_sends_no_history(room, member, message_factory):
    last = await database_sync_to_async(message_factory)(room, member)

    socket = await open_socket(member, room.slug, after=last.pk)

    assert [f["type"] for f in await opening(socket)] == ["room", "presence"]
    await socket.disconnect()


async def test_a_malformed_after_falls_back_to_recent_history(room, member, message_factory):
    await database_sync_to_async(message_factory)(room, member, body="still here")

    for bad in ("after=abc", "after=-1", "after=" + "9" * 30, "after="):
        socket = await open_socket(member, room.slug, query=bad)
        frames = await opening(socket)
        assert [f["body"] for f in frames if f["type"] == "message"] == ["still here"]
        await socket.disconnect()


async def test_hidden_messages_are_not_in_history(room, member, message_factory):
    await database_sync_to_async(message_factory)(room, member, body="kept")
    await database_sync_to_async(message_factory)(room, member, body="hidden one", hidden=True)

    socket = await open_socket(member, room.slug)
    bodies = [f["body"] for f in await opening(socket) if f["type"] == "message"]

    assert bodies == ["kept"]
    await socket.disconnect()


async def test_resuming_tells_the_client_about_messages_hidden_while_it_was_away(
    room, member, message_factory
):
    seen = await database_sync_to_async(message_factory)(
        room, member, body="seen then hidden", hidden=True
    )
    last = await database_sync_to_async(message_factory)(room, member, body="last seen")

    socket = await open_socket(member, room.slug, after=last.pk)
    frames = await opening(socket)

    assert {"type": "message_hidden", "id": seen.pk} in frames
    await socket.disconnect()


async def test_a_second_member_joining_updates_presence_for_everyone(room, member, member_factory):
    other = await database_sync_to_async(member_factory)(username="Zed")
    first = await open_socket(member, room.slug)
    await opening(first)

    second = await open_socket(other, room.slug)
    await opening(second)

    assert await next_of(first, "presence") == {
        "type": "presence",
        "count": 2,
        "joined": ["Zed"],
        "left": [],
    }
    await second.disconnect()
    assert await next_of(first, "presence") == {
        "type": "presence",
        "count": 1,
        "joined": [],
        "left": ["Zed"],
    }
    await first.disconnect()


async def test_two_tabs_of_one_member_count_once(room, member):
    first = await open_socket(member, room.slug)
    await opening(first)
    second = await open_socket(member, room.slug)

    frames = await frames_until(second, "presence")

    assert frames[-1]["count"] == 1
    await first.disconnect()
    await second.disconnect()


async def test_a_suspended_member_gets_4403_even_for_a_private_room_of_others(
    room_factory, mentorship_factory, suspended_member
):
    private = await database_sync_to_async(lambda: room_factory(mentorship=mentorship_factory()))()

    socket = await open_socket(suspended_member, private.slug)

    assert await closed_with(socket) == 4403


async def test_a_session_from_before_a_password_change_is_refused_as_a_visitor(room, member):
    """Sockets read the member from the session cookie themselves (forum/realtime/auth.py):
    a session whose password hash no longer matches opens nothing."""
    socket = await socket_for(member, f"/ws/chat/{room.slug}/")

    def change_password():
        member.set_password("a new and long passphrase")
        member.save()

    await database_sync_to_async(change_password)()
    await socket.connect(timeout=5)

    assert await closed_with(socket) == 4401


async def test_a_made_up_session_cookie_is_refused_as_a_visitor(room):
    from config.asgi import application

    socket = WebsocketCommunicator(
        application,
        f"/ws/chat/{room.slug}/",
        headers=[
            (b"origin", b"http://127.0.0.1"),
            (b"host", b"127.0.0.1"),
            (b"cookie", f"{settings.SESSION_COOKIE_NAME}=not-a-session-we-made".encode()),
        ],
    )
    await socket.connect(timeout=5)

    assert await closed_with(socket) == 4401
