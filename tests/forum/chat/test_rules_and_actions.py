"""Chat rules (one test per branch) and actions: events after commit, hooks for other issues."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from accounts.models import Mentorship
from forum.actions.chat import (
    ChatError,
    disconnect_member,
    hide_message,
    lock_room,
    mute_member,
    open_mentorship_room,
    send_message,
)
from forum.models import ChatMessage, Room
from forum.permissions.chat import can_send_in_room, get_room_for, send_refusal
from forum.realtime import presence
from forum.realtime.events import member_group
from forum.realtime.protocol import room_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def listen():
    """``poll = listen(group)``: ``poll()`` returns the next event sent to the group, or None."""
    layer = get_channel_layer()

    def subscribe(group: str):
        # A plain (not process-specific) channel name: it can be read from any event loop.
        channel = f"test-listener.{uuid.uuid4().hex}"
        async_to_sync(layer.group_add)(group, channel)

        async def receive():
            try:
                return await asyncio.wait_for(layer.receive(channel), 0.5)
            except TimeoutError:
                return None

        return async_to_sync(receive)

    return subscribe


def test_get_room_for_returns_a_public_room_to_any_member(room, member):
    assert get_room_for(member, room.slug) == room


def test_get_room_for_hides_a_private_room_from_outsiders_and_moderators(
    room_factory, mentorship_factory, member, moderator
):
    private = room_factory(mentorship=mentorship_factory())

    for outsider in (member, moderator):
        with pytest.raises(Http404):
            get_room_for(outsider, private.slug)


def test_get_room_for_raises_404_for_a_missing_room(member):
    with pytest.raises(Http404):
        get_room_for(member, "missing")


def test_a_member_may_send_in_an_open_room(room, member):
    assert send_refusal(member, room) is None
    assert can_send_in_room(member, room)


def test_an_ended_mentorship_room_is_read_only_for_both(room_factory, mentorship_factory):
    mentorship = mentorship_factory(status=Mentorship.Status.ENDED)
    private = room_factory(mentorship=mentorship)

    assert send_refusal(mentorship.mentor, private) == "read_only"
    assert send_refusal(mentorship.mentee, private) == "read_only"


def test_a_suspended_member_may_not_send(room, suspended_member):
    assert send_refusal(suspended_member, room) == "suspended"


def test_a_locked_room_refuses_members_but_lets_moderators_explain(room_factory, member, moderator):
    locked = room_factory(is_locked=True)

    assert send_refusal(member, locked) == "locked"
    assert send_refusal(moderator, locked) is None


def test_a_muted_member_may_not_send_until_the_mute_ends(room, member, moderator):
    mute_member(room=room, member=member, until=timezone.now() + timedelta(minutes=5), by=moderator)

    assert send_refusal(member, room) == "muted"
    assert send_refusal(member, room, now=timezone.now() + timedelta(minutes=6)) is None


def test_an_outsider_cannot_send_in_a_private_room(room_factory, mentorship_factory, member):
    private = room_factory(mentorship=mentorship_factory())

    assert not can_send_in_room(member, private)


def test_a_message_event_leaves_only_after_commit(
    room, member, listen, django_capture_on_commit_callbacks
):
    poll = listen(room_group(room.pk))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = send_message(member=member, room=room, body="hi", client_id="a")
    assert poll() is None
    for callback in callbacks:
        callback()

    event = poll()
    assert event["type"] == "chat.message"
    assert event["message"]["id"] == result.message.pk
    assert event["message"]["body"] == "hi"


def test_hiding_sends_message_hidden_to_the_room_after_commit(
    room, member, moderator, message_factory, listen, django_capture_on_commit_callbacks
):
    message = message_factory(room, member)
    poll = listen(room_group(room.pk))

    with django_capture_on_commit_callbacks(execute=True):
        hide_message(message=message, by=moderator)

    assert poll() == {"type": "chat.hidden", "id": message.pk, "seq": message.seq}


def test_disconnect_member_rings_the_member_group(
    member, listen, django_capture_on_commit_callbacks
):
    poll = listen(member_group(member.pk))

    with django_capture_on_commit_callbacks(execute=True):
        disconnect_member(member=member, code=4403)

    assert poll() == {"type": "member.disconnect", "code": 4403}


def test_seq_and_id_increase_per_room(room_factory, member):
    first, second = room_factory(), room_factory()
    a1 = send_message(member=member, room=first, body="a1").message
    b1 = send_message(member=member, room=second, body="b1").message
    a2 = send_message(member=member, room=first, body="a2").message

    assert (a1.seq, a2.seq, b1.seq) == (1, 2, 1)
    assert a1.pk < a2.pk
    first.refresh_from_db()
    assert first.last_seq == 2


def test_a_resend_does_not_count_against_the_rate_limit(room, member, settings):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "CHAT_RATE_LIMIT": 1, "CHAT_RATE_WINDOW": 3600}
    original = send_message(member=member, room=room, body="once", client_id="x").message

    again = send_message(member=member, room=room, body="once", client_id="x")

    assert (again.message, again.created) == (original, False)
    assert ChatMessage.objects.count() == 1


def test_the_same_client_id_from_two_members_is_two_messages(room, member_factory):
    for author in (member_factory(), member_factory()):
        send_message(member=author, room=room, body="hi", client_id="same")

    assert ChatMessage.objects.count() == 2


def test_send_message_refuses_with_a_code(room_factory, member):
    locked = room_factory(is_locked=True)

    with pytest.raises(ChatError) as error:
        send_message(member=member, room=locked, body="hi")

    assert error.value.code == "locked"


def test_a_room_locked_after_the_socket_opened_is_seen_at_send_time(room, member, moderator):
    stale = Room.objects.get(pk=room.pk)
    lock_room(room=room, locked=True, by=moderator)

    with pytest.raises(ChatError):
        send_message(member=member, room=stale, body="hi")


def test_moderation_hooks_refuse_members(room, member, member_factory, message_factory):
    message = message_factory(room, member_factory())

    with pytest.raises(PermissionDenied):
        hide_message(message=message, by=member)
    with pytest.raises(PermissionDenied):
        lock_room(room=room, locked=True, by=member)
    with pytest.raises(PermissionDenied):
        mute_member(room=room, member=member, until=timezone.now(), by=member)
    message.refresh_from_db()
    room.refresh_from_db()
    assert not message.is_hidden and not room.is_locked


def test_hide_message_records_who_and_when(room, member, moderator, message_factory):
    message = message_factory(room, member)

    hide_message(message=message, by=moderator)

    message.refresh_from_db()
    assert message.is_hidden and message.hidden_by == moderator and message.hidden_at


def test_open_mentorship_room_creates_one_private_room_once(mentorship_factory):
    mentorship = mentorship_factory()

    room = open_mentorship_room(mentorship=mentorship)
    again = open_mentorship_room(mentorship=mentorship)

    assert room == again
    assert room.is_private
    assert mentorship.mentor.username in room.title
    assert get_room_for(mentorship.mentee, room.slug) == room


def test_presence_counts_members_not_connections_and_forgets_stale_ones(
    member, member_factory, settings
):
    other = member_factory(username="Other")
    presence.touch(7, "a", member.pk, member.username)
    presence.touch(7, "b", member.pk, member.username)
    presence.touch(7, "c", other.pk, other.username)

    assert presence.room_presence(7).count == 2
    presence.leave(7, "c", other.pk, other.username)
    assert presence.room_presence(7).pseudonyms == [member.username]

    settings.HOMEGROUP = {**settings.HOMEGROUP, "CHAT_PRESENCE_TTL": -1}
    assert presence.room_presence(7).count == 0


def test_a_resend_of_a_hidden_message_is_not_handed_back_as_published(
    room, member, moderator, message_factory
):
    held = message_factory(room, member, body="waiting", client_id="held", hidden=True)
    removed = message_factory(room, member, body="gone", client_id="removed")
    hide_message(message=removed, by=moderator)

    with pytest.raises(ChatError) as waiting:
        send_message(member=member, room=room, body=held.body, client_id="held")
    with pytest.raises(ChatError) as gone:
        send_message(member=member, room=room, body=removed.body, client_id="removed")

    assert waiting.value.code == "held_for_review"
    assert gone.value.code == "invalid"
    assert ChatMessage.objects.count() == 2


def test_while_the_cache_is_down_the_chat_limits_are_counted_in_the_database(
    room, member, settings, cache_down
):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "CHAT_RATE_LIMIT": 2, "CHAT_RATE_WINDOW": 3600}
    send_message(member=member, room=room, body="one")
    send_message(member=member, room=room, body="two")

    with pytest.raises(ChatError) as refused:
        send_message(member=member, room=room, body="three")

    assert refused.value.code == "rate_limited"
    assert ChatMessage.objects.count() == 2


def test_while_the_cache_is_down_slow_mode_is_counted_in_the_database(
    room, member, settings, cache_down
):
    room.slow_mode_seconds = 30
    room.save(update_fields=["slow_mode_seconds"])
    send_message(member=member, room=room, body="one")

    with pytest.raises(ChatError) as refused:
        send_message(member=member, room=room, body="two")

    assert refused.value.code == "slow_mode"
    assert 25 <= refused.value.retry_after <= 30
    assert ChatMessage.objects.count() == 1
