"""What one chat send costs the sender's process (issue 16: the load tail), and that the cheaper
send keeps every guarantee: the room's rules, resends, exactly once and in order."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.actions.chat import ChatError, do_store_message, mute_member, send_message
from forum.models import ChatMessage
from forum.realtime.consumers import _send
from forum.realtime.hub import InOrder
from forum.realtime.protocol import room_group
from tests.forum.chat.conftest import open_socket, opening

pytestmark = pytest.mark.django_db(transaction=True)

db = database_sync_to_async
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")


@pytest.fixture
def many_per_window(settings):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "CHAT_RATE_LIMIT": 1000, "CHAT_RATE_WINDOW": 60}


def test_a_send_reads_the_room_once_then_takes_its_seq_and_stores_the_message(
    room, member, many_per_window
):
    """The room, the sender's mute, a live meeting and a resend are one query; then the
    ``seq`` and the row, one statement on PostgreSQL, with no transaction around it. Nothing
    else, whatever the room holds."""
    send_message(member=member, room=room, body="first", client_id="c-1")

    with CaptureQueriesContext(connection) as queries:
        send_message(member=member, room=room, body="second", client_id="c-2")

    statements = [
        q["sql"] for q in queries.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)
    ]
    if connection.vendor == "postgresql":
        assert [sql.split()[0] for sql in statements] == ["SELECT", "WITH"]
        assert len(statements) == len(queries.captured_queries)
    else:
        assert [sql.split()[0] for sql in statements] == ["SELECT", "UPDATE", "INSERT"]
    assert 'FROM "forum_room"' in statements[0]
    assert ChatMessage.objects.filter(room=room).count() == 2


def test_a_client_id_stored_twice_is_refused_whole_and_takes_no_number(
    room, member, many_per_window
):
    """Two copies of a resend that both got past the resend check: the second insert fails
    and gives back the ``seq`` it took, so the room's numbers stay without a hole."""
    first = send_message(member=member, room=room, body="once", client_id="c-1").message
    with pytest.raises(IntegrityError):
        do_store_message(room=room, member=member, body="once", client_id="c-1")
    after = send_message(member=member, room=room, body="next", client_id="c-2").message
    assert after.seq == first.seq + 1
    assert list(ChatMessage.objects.filter(room=room).values_list("seq", "body")) == [
        (first.seq, "once"),
        (after.seq, "next"),
    ]


def test_the_rules_read_with_the_room_still_refuse_and_a_resend_is_still_answered(
    room, member, moderator, many_per_window
):
    sent = send_message(member=member, room=room, body="before", client_id="c-1").message
    mute_member(room=room, member=member, until=timezone.now() + timedelta(minutes=5), by=moderator)

    with pytest.raises(ChatError) as refused:
        send_message(member=member, room=room, body="during", client_id="c-2")
    again = send_message(member=member, room=room, body="before", client_id="c-1")

    assert refused.value.code == "muted"
    assert (again.message, again.created) == (sent, False)
    mute_member(room=room, member=member, until=timezone.now() - timedelta(seconds=1), by=moderator)
    assert send_message(member=member, room=room, body="after", client_id="c-3").created


needs_redis = pytest.mark.skipif(
    not getattr(settings, "REDIS_URL", None), reason="counts round trips to a real Redis"
)


@needs_redis
def test_a_send_asks_redis_for_the_rate_limit_in_one_round_trip(
    room, member, many_per_window, monkeypatch
):
    """A send waited on four rate-limit round trips on the process's one database thread; one
    script answers now (the other round trip reads the watched words)."""
    import redis.connection

    commands = []
    send_packed = redis.connection.Connection.send_packed_command

    def counted(self, command, check_health=True):
        commands.append(bytes(command if isinstance(command, bytes) else b"".join(command)))
        return send_packed(self, command, check_health)

    send_message(member=member, room=room, body="warm", client_id="c-0")
    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counted)

    asyncio.run(_send(member.pk, room.pk, "hello", "c-1"))

    rate_limit = [c for c in commands if b"ratelimit" in c]
    assert len(rate_limit) == 1 and b"EVALSHA" in rate_limit[0]
    assert len(commands) <= 2


async def test_events_of_sends_made_at_once_leave_in_the_order_of_their_seq(
    room, member_factory, many_per_window
):
    senders = await db(lambda: [member_factory() for _ in range(4)])()
    layer = get_channel_layer()
    channel = f"test-listener.{uuid.uuid4().hex}"
    await layer.group_add(room_group(room.pk), channel)

    await asyncio.gather(
        *(_send(senders[n % 4].pk, room.pk, f"burst {n}", f"b-{n}") for n in range(16))
    )
    seqs = [
        (await asyncio.wait_for(layer.receive(channel), 2))["message"]["seq"] for _ in range(16)
    ]

    assert seqs == list(range(1, 17))


async def test_every_socket_gets_a_burst_from_two_members_once_each_and_in_order(
    room, member_factory, many_per_window
):
    people = await db(lambda: [member_factory() for _ in range(3)])()
    sockets = [await open_socket(person, room.slug) for person in people]
    for socket in sockets:
        await opening(socket)

    for n in range(10):  # without waiting for replies: the sends race each other's events
        for socket in sockets[:2]:
            await socket.send_json_to({"type": "message", "body": f"m{n}", "client_id": f"c{n}"})

    for socket in sockets:
        seqs = []
        while len(seqs) < 20:
            frame = await socket.receive_json_from(timeout=5)
            if frame["type"] == "message":
                seqs.append(frame["seq"])
        assert seqs == list(range(1, 21))
        assert "message" not in [frame["type"] for frame in await frames_for(socket, 0.3)]
        await socket.disconnect()


async def frames_for(socket, seconds: float) -> list[dict]:
    frames = []
    while not await socket.receive_nothing(timeout=seconds):
        frames.append(await socket.receive_json_from())
    return frames


def message_event(seq: int) -> dict:
    return {"type": "chat.message", "message": {"seq": seq}}


def seqs_of(events: list[dict]) -> list:
    return [event["message"]["seq"] if "message" in event else event["type"] for event in events]


def test_the_hub_holds_a_message_ahead_of_a_gap_until_the_gap_fills():
    """Two processes' events may reach Redis in either order; the hub puts them back in order
    instead of every socket reading the gap from the database."""
    order = InOrder()

    assert seqs_of(order.arrived(message_event(1))) == [1]
    assert seqs_of(order.arrived(message_event(3))) == []
    assert seqs_of(order.arrived(message_event(4))) == []
    assert seqs_of(order.arrived(message_event(2))) == [2, 3, 4]
    assert order.wait_seconds() is None


def test_the_hub_lets_other_events_pass_only_after_the_messages_that_arrived_before_them():
    order = InOrder()
    order.arrived(message_event(1))
    order.arrived(message_event(3))

    assert seqs_of(order.arrived({"type": "chat.hidden", "id": 9, "seq": 3})) == [3, "chat.hidden"]
    assert seqs_of(order.arrived(message_event(4))) == [4]


def test_a_gap_that_does_not_fill_in_time_is_left_to_the_sockets_to_read(settings):
    """A message held for review takes a number and rings no doorbell: the next one waits at
    most CHAT_REORDER_MS."""
    settings.HOMEGROUP = {**settings.HOMEGROUP, "CHAT_REORDER_MS": 0}
    order = InOrder()
    order.arrived(message_event(1))

    assert seqs_of(order.arrived(message_event(3))) == []
    assert order.wait_seconds() == 0
    assert seqs_of(order.release_all()) == [3]
    assert seqs_of(order.arrived(message_event(4))) == [4]


async def test_a_sender_behind_a_lost_event_gets_the_gap_then_its_own_message(
    room, member, member_factory, message_factory
):
    other = await db(member_factory)()
    mine = await open_socket(member, room.slug)
    await opening(mine)
    lost = await db(message_factory)(room, other, body="lost on the way")

    await mine.send_json_to({"type": "message", "body": "mine", "client_id": "m-1"})

    messages = [frame for frame in await frames_for(mine, 0.5) if frame["type"] == "message"]
    assert [(m["id"], m["body"], m.get("client_id")) for m in messages] == [
        (lost.pk, "lost on the way", None),
        (lost.pk + 1, "mine", "m-1"),
    ]
    await mine.disconnect()
