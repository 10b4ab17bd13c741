"""Errors about a message say whether resending can help, and name the message (issue 11,
item 13): text no database can store is refused at the protocol layer, with its client_id."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async

from forum.models import ChatMessage
from forum.realtime.protocol import error_frame
from tests.forum.chat.conftest import next_of, open_socket, opening

pytestmark = pytest.mark.django_db(transaction=True)

db = database_sync_to_async

# JSON as a browser's JSON.stringify writes it: a lone surrogate travels escaped.
LONE_SURROGATE = '{"type": "message", "body": "half an emoji \\ud83d here", "client_id": "c-1"}'


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (LONE_SURROGATE, "bad_characters"),
        ('{"type": "message", "body": "\\udc00", "client_id": "c-1"}', "bad_characters"),
        ('{"type": "message", "body": "", "client_id": "c-1"}', "invalid"),
        ('{"type": "message", "body": "\\u0000 ", "client_id": "c-1"}', "invalid"),
        ('{"type": "message", "body": 5, "client_id": "c-1"}', "invalid"),
        ('{"type": "message", "body": "' + "a" * 2001 + '", "client_id": "c-1"}', "too_long"),
        ('{"type": "message", "client_id": "c-1", "body": "' + "a" * 17000 + '"}', "too_long"),
        ('{"type": "message", "body": "' + "a" * 17000 + '", "client_id": "c-1"}', "too_long"),
        ('{"type": "shout", "body": "hi", "client_id": "c-1"}', "invalid"),
    ],
)
async def test_a_refused_message_gets_a_permanent_error_with_its_client_id(
    room, member, raw, code, caplog
):
    caplog.set_level("WARNING")
    socket = await open_socket(member, room.slug)
    await opening(socket)

    await socket.send_to(text_data=raw)
    error = await next_of(socket, "error")

    assert error["code"] == code
    assert error["client_id"] == "c-1"
    assert error["permanent"] is True
    assert error["message"]
    assert await db(ChatMessage.objects.count)() == 0
    await socket.send_json_to({"type": "message", "body": "still working", "client_id": "c-2"})
    assert (await next_of(socket, "message"))["client_id"] == "c-2"
    await socket.disconnect()
    assert not [r for r in caplog.records if r.exc_info], "bad input must not log a traceback"


async def test_a_lone_surrogate_is_refused_with_a_clear_message(room, member):
    socket = await open_socket(member, room.slug)
    await opening(socket)

    await socket.send_to(text_data=LONE_SURROGATE)
    error = await next_of(socket, "error")

    assert "cannot be stored" in error["message"]
    await socket.disconnect()


async def test_nul_characters_are_dropped_and_the_rest_is_stored(room, member):
    socket = await open_socket(member, room.slug)
    await opening(socket)

    await socket.send_to(
        text_data=json.dumps({"type": "message", "body": "one\x00two", "client_id": "c-1"})
    )

    assert (await next_of(socket, "message"))["body"] == "onetwo"
    assert await db(lambda: list(ChatMessage.objects.values_list("body", flat=True)))() == [
        "onetwo"
    ]
    await socket.disconnect()


async def test_refusals_by_the_room_are_permanent_too(room, member, settings):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "CHAT_RATE_LIMIT": 1, "CHAT_RATE_WINDOW": 3600}
    socket = await open_socket(member, room.slug)
    await opening(socket)
    await socket.send_json_to({"type": "message", "body": "first", "client_id": "c-1"})
    await next_of(socket, "message")

    await socket.send_json_to({"type": "message", "body": "second", "client_id": "c-2"})
    error = await next_of(socket, "error")

    assert (error["code"], error["client_id"], error["permanent"]) == ("rate_limited", "c-2", True)
    await socket.disconnect()


def test_only_unavailable_is_worth_resending():
    assert error_frame("unavailable", "later", client_id="c-1") == {
        "type": "error",
        "code": "unavailable",
        "message": "later",
        "permanent": False,
        "client_id": "c-1",
    }
    assert error_frame("not_stored", "no")["permanent"] is True
