"""In-room controls on a chat room's page: lock, slow mode, mute here, hide a message; each live
to connected members and audited."""

import pytest
from channels.db import database_sync_to_async as db
from django.urls import reverse

from forum.actions.moderation import ModerationError, set_room_lock, set_room_slow_mode
from forum.models import AuditLogEntry, ChatMessage, Room, RoomMute
from tests.factories import make_message, make_private_room, make_room
from tests.forum.actions.moderation.conftest import login
from tests.sockets import connect, next_frame

pytestmark = pytest.mark.django_db


def control(client, room, action, **data):
    data.setdefault("reason", f"Room {action}")
    return client.post(reverse("forum:chat_room_control", args=[room.slug, action]), data)


def test_moderators_see_the_controls_on_the_room_page_and_members_do_not(
    moderator_client, client, member
):
    room = make_room()
    assert "Moderator controls" in moderator_client.get(room.get_absolute_url()).content.decode()
    login(client, member)
    assert "Moderator controls" not in client.get(room.get_absolute_url()).content.decode()


def test_locking_and_unlocking_from_the_room_page_is_audited(moderator_client):
    room = make_room()

    control(moderator_client, room, "lock")
    assert Room.objects.get(pk=room.pk).is_locked
    control(moderator_client, room, "unlock")

    assert not Room.objects.get(pk=room.pk).is_locked
    actions = sorted(AuditLogEntry.objects.values_list("action", flat=True))
    assert actions == ["lock", "unlock"]
    assert "chat room" in AuditLogEntry.objects.first().target_description


def test_slow_mode_on_and_off_from_the_room_page_is_audited(moderator_client):
    room = make_room()

    control(moderator_client, room, "slow_mode", seconds=30)
    assert Room.objects.get(pk=room.pk).slow_mode_seconds == 30
    control(moderator_client, room, "slow_mode", seconds=0)

    assert Room.objects.get(pk=room.pk).slow_mode_seconds == 0
    assert AuditLogEntry.objects.filter(action="slow_mode").count() == 2


def test_muting_a_member_in_this_room_from_its_page(moderator_client, member):
    room = make_room()

    control(moderator_client, room, "mute", pseudonym=member.username, duration="1h")

    assert RoomMute.objects.filter(room=room, member=member).exists()
    assert AuditLogEntry.objects.get(action="mute").member == member


def test_hiding_a_message_from_the_room_page(moderator_client, member):
    room = make_room()
    message = make_message(room, member, body="Something unkind")

    control(moderator_client, room, "hide", message_id=message.pk)

    assert ChatMessage.objects.get(pk=message.pk).is_hidden
    assert AuditLogEntry.objects.get(action="hide").target_id == message.pk


def test_a_message_from_another_room_cannot_be_hidden_from_this_one(moderator_client, member):
    room, other = make_room(), make_room()
    message = make_message(other, member)

    control(moderator_client, room, "hide", message_id=message.pk)

    assert not ChatMessage.objects.get(pk=message.pk).is_hidden


def test_a_member_cannot_use_the_room_controls(client, member):
    room = make_room()
    login(client, member)

    assert control(client, room, "lock").status_code == 403
    assert not Room.objects.get(pk=room.pk).is_locked


def test_a_private_room_is_not_moderated_from_its_page(moderator):
    with pytest.raises(ModerationError, match="private"):
        set_room_lock(moderator=moderator, room=make_private_room(), locked=True, reason="No")


def test_slow_mode_out_of_range_is_refused(moderator):
    with pytest.raises(ModerationError, match="0 \\(off\\)"):
        set_room_slow_mode(moderator=moderator, room=make_room(), seconds=99999, reason="No")


@pytest.mark.django_db(transaction=True)
async def test_locking_from_the_room_page_reaches_connected_members_at_once(
    member_factory, moderator
):
    listener = await db(member_factory)(username="Listener")
    room = await db(make_room)()
    socket = await connect(listener, f"/ws/chat/{room.slug}/")
    await next_frame(socket, "presence")

    await db(set_room_lock)(moderator=moderator, room=room, locked=True, reason="Cooling down")

    frame = await next_frame(socket, "room")
    assert frame["locked"] is True
    await db(set_room_slow_mode)(moderator=moderator, room=room, seconds=20, reason="Slow")
    assert (await next_frame(socket, "room"))["slow_mode_seconds"] == 20
    await socket.disconnect()
