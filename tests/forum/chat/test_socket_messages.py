"""Sending over the chat socket: frames, bad input, idempotent resends, limits and moderation."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.utils import timezone

from forum.actions.chat import (
    disconnect_member,
    hide_message,
    lock_room,
    mute_member,
    set_slow_mode,
)
from forum.models import ChatMessage
from forum.realtime.protocol import message_frame, message_payload, message_text, room_group
from tests.forum.chat.conftest import next_of, open_socket, opening

pytestmark = pytest.mark.django_db(transaction=True)

db = database_sync_to_async


@pytest.fixture
def fast_limits(settings):
    """A wide rate-limit window so a test never straddles two windows."""
    settings.HOMEGROUP = {**settings.HOMEGROUP, "CHAT_RATE_LIMIT": 5, "CHAT_RATE_WINDOW": 3600}


async def pair(room, member, member_factory):
    other = await db(member_factory)(username="Listener")
    mine = await open_socket(member, room.slug)
    await opening(mine)
    theirs = await open_socket(other, room.slug)
    await opening(theirs)
    await next_of(mine, "presence")
    return mine, theirs, other


async def forget_all_groups(layer, groups):
    """What a Redis restart without persistence does to channels_redis: groups are gone."""
    if hasattr(layer, "groups"):  # the in-memory layer
        layer.groups.clear()
        return
    for group in groups:
        connection = layer.connection(layer.consistent_hash(group))
        await connection.delete(layer._group_key(group))


async def send(socket, body, client_id=None):
    frame = {"type": "message", "body": body}
    if client_id is not None:
        frame["client_id"] = client_id
    await socket.send_json_to(frame)


async def test_a_message_reaches_every_socket_and_only_its_author_sees_the_client_id(
    room, member, member_factory
):
    mine, theirs, _ = await pair(room, member, member_factory)

    await send(mine, "Hello <b>everyone</b>", "c-1")
    own = await next_of(mine, "message")
    seen = await next_of(theirs, "message")

    stored = await db(ChatMessage.objects.get)()
    assert stored.body == "Hello <b>everyone</b>"
    assert own == {
        "type": "message",
        "id": stored.pk,
        "seq": 1,
        "author": member.username,
        "body": "Hello <b>everyone</b>",
        "created": stored.created.isoformat(),
        "mine": True,
        "client_id": "c-1",
    }
    assert seen["id"] == stored.pk
    assert seen["mine"] is False
    assert "client_id" not in seen
    await mine.disconnect()
    await theirs.disconnect()


async def test_a_resend_with_the_same_client_id_is_stored_once_and_returns_the_original(
    room, member, member_factory
):
    mine, theirs, _ = await pair(room, member, member_factory)
    await send(mine, "Only once", "same-id")
    original = await next_of(mine, "message")
    await next_of(theirs, "message")

    await send(mine, "Only once (edited resend)", "same-id")
    again = await next_of(mine, "message")

    assert again == original
    assert await db(ChatMessage.objects.count)() == 1
    assert await theirs.receive_nothing(timeout=0.3)
    await mine.disconnect()
    await theirs.disconnect()


async def test_a_resend_after_reconnecting_gets_the_original_back(room, member):
    first = await open_socket(member, room.slug)
    await opening(first)
    await send(first, "Sent just before the line dropped", "resend-1")
    original = await next_of(first, "message")
    await first.disconnect()

    second = await open_socket(member, room.slug, after=original["id"])
    await opening(second)
    await send(second, "Sent just before the line dropped", "resend-1")

    assert await next_of(second, "message") == original
    assert await db(ChatMessage.objects.count)() == 1
    await second.disconnect()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("this is not json", "invalid"),
        ("[1, 2, 3]", "invalid"),
        ('"just a string"', "invalid"),
        ("{}", "invalid"),
        ('{"type": 7}', "invalid"),
        ('{"type": "dance"}', "invalid"),
        ('{"type": "message"}', "invalid"),
        ('{"type": "message", "body": 42}', "invalid"),
        ('{"type": "message", "body": ["a"]}', "invalid"),
        ('{"type": "message", "body": "hi", "client_id": 5}', "invalid"),
        ('{"type": "message", "body": "hi", "client_id": "has spaces in it"}', "invalid"),
        ('{"type": "message", "body": "hi", "client_id": "' + "x" * 65 + '"}', "invalid"),
        ('{"type": "message", "body": ""}', "invalid"),
        ('{"type": "message", "body": "   \\n  "}', "invalid"),
        ('{"type": "message", "body": "' + "a" * 2001 + '"}', "too_long"),
        ('{"type": "message", "body": "' + "a" * 17000 + '"}', "too_long"),
        ("[" * 5000 + "]" * 5000, "invalid"),
    ],
)
async def test_bad_input_gets_an_error_frame_and_the_socket_keeps_working(
    room, member, raw, code, caplog
):
    caplog.set_level("WARNING")
    socket = await open_socket(member, room.slug)
    await opening(socket)

    await socket.send_to(text_data=raw)
    error = await next_of(socket, "error")

    assert error["code"] == code
    assert error["message"]
    assert await db(ChatMessage.objects.count)() == 0
    await send(socket, "still working")
    assert (await next_of(socket, "message"))["body"] == "still working"
    await socket.disconnect()
    assert not [r for r in caplog.records if r.exc_info], "bad input must not log a traceback"


async def test_a_frame_over_16_kb_is_refused_without_being_parsed(room, member):
    socket = await open_socket(member, room.slug)
    await opening(socket)

    await socket.send_to(text_data=json.dumps({"type": "ping", "pad": "é" * 9000}))

    assert (await next_of(socket, "error"))["code"] == "too_long"
    await socket.disconnect()


async def test_a_binary_frame_gets_an_error_frame(room, member):
    socket = await open_socket(member, room.slug)
    await opening(socket)

    await socket.send_to(bytes_data=b"\x00\x01")

    assert (await next_of(socket, "error"))["code"] == "invalid"
    await socket.disconnect()


async def test_a_message_of_exactly_2000_characters_is_accepted(room, member):
    socket = await open_socket(member, room.slug)
    await opening(socket)

    await send(socket, "a" * 2000)

    assert len((await next_of(socket, "message"))["body"]) == 2000
    await socket.disconnect()


async def test_ping_gets_pong(room, member):
    socket = await open_socket(member, room.slug)
    await opening(socket)

    await socket.send_json_to({"type": "ping"})

    assert await socket.receive_json_from(timeout=3) == {"type": "pong"}
    await socket.disconnect()


async def test_the_sixth_message_in_the_window_is_rate_limited_with_retry_after(
    room, member, fast_limits
):
    socket = await open_socket(member, room.slug)
    await opening(socket)

    for n in range(5):
        await send(socket, f"quick {n}")
        assert (await next_of(socket, "message"))["body"] == f"quick {n}"
    await send(socket, "one too many", "c-6")
    error = await next_of(socket, "error")

    assert error["code"] == "rate_limited"
    assert error["client_id"] == "c-6"
    assert 1 <= error["retry_after"] <= 3600
    assert await db(ChatMessage.objects.count)() == 5
    await socket.disconnect()


async def test_the_rate_limit_counts_every_room_of_the_member(room_factory, member, fast_limits):
    rooms = [await db(room_factory)(), await db(room_factory)()]
    sockets = []
    for r in rooms:
        socket = await open_socket(member, r.slug)
        await opening(socket)
        sockets.append(socket)

    for n in range(5):
        await send(sockets[n % 2], f"m{n}")
        await next_of(sockets[n % 2], "message")
    await send(sockets[1], "over")

    assert (await next_of(sockets[1], "error"))["code"] == "rate_limited"
    for socket in sockets:
        await socket.disconnect()


async def test_slow_mode_makes_a_member_wait_and_says_how_long(room_factory, member):
    slow = await db(room_factory)(slow_mode_seconds=30)
    socket = await open_socket(member, slow.slug)
    assert (await opening(socket))[0]["slow_mode_seconds"] == 30

    await send(socket, "first")
    await next_of(socket, "message")
    await send(socket, "second")
    error = await next_of(socket, "error")

    assert error["code"] == "slow_mode"
    assert 25 <= error["retry_after"] <= 30
    assert await db(ChatMessage.objects.count)() == 1
    await socket.disconnect()


async def test_slow_mode_does_not_hold_back_a_moderator(room_factory, moderator):
    slow = await db(room_factory)(slow_mode_seconds=30)
    socket = await open_socket(moderator, slow.slug)
    await opening(socket)

    for body in ("one", "two"):
        await send(socket, body)
        assert (await next_of(socket, "message"))["body"] == body
    await socket.disconnect()


async def test_changing_slow_mode_tells_open_sockets(room, member, moderator):
    socket = await open_socket(member, room.slug)
    await opening(socket)

    await db(set_slow_mode)(room=room, seconds=15, by=moderator)

    assert (await next_of(socket, "room"))["slow_mode_seconds"] == 15
    await socket.disconnect()


async def test_a_locked_room_refuses_members_but_not_moderators(room, member, moderator):
    socket = await open_socket(member, room.slug)
    await opening(socket)
    mod_socket = await open_socket(moderator, room.slug)
    await opening(mod_socket)

    await db(lock_room)(room=room, locked=True, by=moderator)
    assert (await next_of(socket, "room"))["locked"] is True
    await send(socket, "anyone there?")
    assert (await next_of(socket, "error"))["code"] == "locked"
    await send(mod_socket, "Locked for a short break.")
    assert (await next_of(socket, "message"))["body"] == "Locked for a short break."

    await db(lock_room)(room=room, locked=False, by=moderator)
    assert (await next_of(socket, "room"))["locked"] is False
    await send(socket, "thanks")
    assert (await next_of(socket, "message"))["body"] == "thanks"
    await socket.disconnect()
    await mod_socket.disconnect()


async def test_a_muted_member_is_told_and_cannot_send_until_the_mute_ends(room, member, moderator):
    socket = await open_socket(member, room.slug)
    await opening(socket)
    until = timezone.now() + timedelta(minutes=10)

    await db(mute_member)(room=room, member=member, until=until, by=moderator)
    assert (await next_of(socket, "room"))["muted_until"] == until.isoformat()
    await send(socket, "hello?")

    assert (await next_of(socket, "error"))["code"] == "muted"
    assert await db(ChatMessage.objects.count)() == 0
    await socket.disconnect()


async def test_a_mute_that_has_ended_no_longer_applies(room, member, moderator):
    await db(mute_member)(
        room=room, member=member, until=timezone.now() - timedelta(seconds=1), by=moderator
    )
    socket = await open_socket(member, room.slug)
    await opening(socket)

    await send(socket, "back again")

    assert (await next_of(socket, "message"))["body"] == "back again"
    await socket.disconnect()


async def test_an_ended_mentorship_room_refuses_new_messages(room_factory, mentorship_factory):
    from accounts.models import Mentorship

    mentorship = await db(mentorship_factory)(status=Mentorship.Status.ENDED)
    private = await db(room_factory)(mentorship=mentorship)
    socket = await open_socket(mentorship.mentor, private.slug)
    await opening(socket)

    await send(socket, "one more thing")

    assert (await next_of(socket, "error"))["code"] == "read_only"
    await socket.disconnect()


async def test_a_member_suspended_while_connected_cannot_send(room, member):
    socket = await open_socket(member, room.slug)
    await opening(socket)
    member.suspended_until = timezone.now() + timedelta(hours=1)
    await db(member.save)()

    await send(socket, "still here")

    assert (await next_of(socket, "error"))["code"] == "suspended"
    await socket.disconnect()


async def test_hiding_a_message_removes_it_from_every_open_socket(
    room, member, member_factory, moderator
):
    mine, theirs, _ = await pair(room, member, member_factory)
    await send(mine, "something unkind")
    frame = await next_of(theirs, "message")
    await next_of(mine, "message")

    message = await db(ChatMessage.objects.get)(pk=frame["id"])
    await db(hide_message)(message=message, by=moderator)

    assert await next_of(mine, "message_hidden") == {"type": "message_hidden", "id": frame["id"]}
    assert await next_of(theirs, "message_hidden") == {"type": "message_hidden", "id": frame["id"]}
    await mine.disconnect()
    await theirs.disconnect()


async def test_disconnect_member_closes_every_socket_of_that_member_only(
    room_factory, member, member_factory
):
    other = await db(member_factory)()
    rooms = [await db(room_factory)(), await db(room_factory)()]
    sockets = []
    for r in rooms:
        s = await open_socket(member, r.slug)
        await opening(s)
        sockets.append(s)
    bystander = await open_socket(other, rooms[0].slug)
    await opening(bystander)

    await db(disconnect_member)(member=member, code=4403)

    for s in sockets:
        output = await s.receive_output(timeout=3)
        while output["type"] != "websocket.close":
            output = await s.receive_output(timeout=3)
        assert output["code"] == 4403
    await bystander.send_json_to({"type": "ping"})
    frames = []
    while not frames or frames[-1]["type"] != "pong":
        frames.append(await bystander.receive_json_from(timeout=3))
    await bystander.disconnect()


async def test_a_message_whose_event_was_lost_is_filled_in_before_the_next_one(
    room, member, member_factory, message_factory
):
    mine, theirs, other = await pair(room, member, member_factory)

    # Stored without ringing the doorbell, as if the channel layer had dropped the event.
    lost = await db(message_factory)(room, other, body="lost on the way")
    await send(mine, "next one")

    first = await theirs.receive_json_from(timeout=3)
    second = await theirs.receive_json_from(timeout=3)
    assert [first["body"], second["body"]] == ["lost on the way", "next one"]
    assert first["id"] == lost.pk
    await mine.disconnect()
    await theirs.disconnect()


async def test_a_socket_dropped_from_its_groups_rejoins_and_catches_up_on_its_heartbeat(
    room, member, member_factory, settings
):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "CHAT_HEARTBEAT_SECONDS": 0.3}
    mine, theirs, _ = await pair(room, member, member_factory)
    layer = get_channel_layer()

    await forget_all_groups(layer, [room_group(room.pk)])
    await send(mine, "sent while forgotten")
    assert (await next_of(mine, "message"))["body"] == "sent while forgotten"
    caught_up = await next_of(theirs, "message", timeout=3)
    assert caught_up["body"] == "sent while forgotten"

    await asyncio.sleep(0.5)  # both sockets have re-joined by now
    await send(mine, "after re-joining")
    assert (await next_of(theirs, "message"))["body"] == "after re-joining"
    await asyncio.sleep(0.8)  # two more heartbeats: no catch-up may repeat a message
    bodies = []
    while not await theirs.receive_nothing(timeout=0.1):
        frame = await theirs.receive_json_from()
        if frame["type"] == "message":
            bodies.append(frame["body"])
    assert bodies == []
    await mine.disconnect()
    await theirs.disconnect()


async def test_each_member_gets_each_new_message_once_as_they_should_see_it(
    room, member, member_factory
):
    """One text per kind of viewer is shared by every socket of the process (issue 16): the
    author's own, folded for a member who blocked the author, and everyone else's."""
    from accounts.actions.blocking import block_member

    listener, blocker = await db(
        lambda: (member_factory(username="Listener"), member_factory(username="Blocker"))
    )()
    await db(block_member)(blocker=blocker, blocked=member)
    sockets = {}
    for person in (member, listener, blocker):
        sockets[person.username] = await open_socket(person, room.slug)
        await opening(sockets[person.username])

    for n in range(3):  # without waiting for each: the room's events race the sends' replies
        await send(sockets[member.username], f"burst {n}", f"burst-{n}")
    received = {}
    for name, socket in sockets.items():
        await socket.send_json_to({"type": "ping"})  # answered after the author's three sends
        frames = await frames_until_pong_and_messages(socket, messages=3)
        received[name] = [frame for frame in frames if frame["type"] == "message"]

    stored = await db(lambda: list(ChatMessage.objects.order_by("seq")))()
    payloads = [await db(message_payload)(message) for message in stored]
    for person in (member, listener, blocker):
        assert received[person.username] == [
            message_frame(payload, viewer_id=person.pk, blocked_ids={member.pk})
            if person == blocker
            else message_frame(payload, viewer_id=person.pk)
            for payload in payloads
        ]
    assert [frame["body"] for frame in received[listener.username]] == [
        "burst 0",
        "burst 1",
        "burst 2",
    ]
    assert [frame.get("client_id") for frame in received[member.username]] == [
        "burst-0",
        "burst-1",
        "burst-2",
    ]
    assert all(frame["blocked"] for frame in received[blocker.username])
    assert not any("blocked" in frame for frame in received[listener.username])
    for socket in sockets.values():
        await socket.disconnect()


async def frames_until_pong_and_messages(socket, *, messages: int) -> list[dict]:
    """Frames until both the pong and ``messages`` message frames arrived; a duplicate of a
    message the author's socket passed on would come before its pong."""
    frames = []
    while not (
        any(f["type"] == "pong" for f in frames)
        and sum(f["type"] == "message" for f in frames) >= messages
    ):
        frames.append(await socket.receive_json_from(timeout=5))
    return frames


def test_a_message_text_is_its_frame_for_every_kind_of_viewer():
    payload = {
        "id": 7,
        "seq": 3,
        "author_id": 5,
        "author": None,
        "body": 'She said "hi" \u2028 </script> \U0001f600',
        "client_id": "c-1",
        "created": "2026-12-01T10:00:00+00:00",
    }
    for viewer_id, blocked_ids in ((5, frozenset()), (6, frozenset()), (6, frozenset({5}))):
        frame = message_frame(payload, viewer_id=viewer_id, blocked_ids=blocked_ids)
        text = message_text(payload, viewer_id=viewer_id, blocked_ids=blocked_ids)
        assert json.loads(text) == frame
    assert json.loads(message_text(payload, viewer_id=5))["client_id"] == "c-1"
    assert json.loads(message_text(payload, viewer_id=6))["author"] == "former member"
    assert "client_id" not in json.loads(message_text(payload, viewer_id=6))
