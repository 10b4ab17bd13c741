"""What moderation does to chat messages reaches the sockets that are already open."""

import pytest
from channels.db import database_sync_to_async as db
from django.contrib.auth.models import Permission

from forum.actions.moderation import approve_item, dismiss_reports, hide_item, unhide_item
from forum.actions.moderation.approval import is_pending
from forum.actions.moderation.common import resolve_target
from forum.actions.safety import queue_for_approval
from forum.models import ChatMessage, Notification, NotificationKind, Report
from tests.factories import make_message, make_room
from tests.sockets import connect, next_frame

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(member_factory):
    from accounts.actions.roles import grant_moderator

    moderator = member_factory(username="RoomModerator")
    grant_moderator(member=moderator)
    return moderator, member_factory(username="Listener"), make_room()


async def test_an_unhidden_chat_message_reaches_an_open_socket(scene):
    moderator, listener, room = scene
    message = await db(make_message)(room, listener, body="Back again")
    await db(hide_item)(
        moderator=moderator, kind="chat_message", target_id=message.pk, reason="Checking"
    )
    socket = await connect(listener, f"/ws/chat/{room.slug}/")
    await next_frame(socket, "presence")

    await db(unhide_item)(
        moderator=moderator, kind="chat_message", target_id=message.pk, reason="It was fine"
    )

    frame = await next_frame(socket, "message")
    assert frame["id"] == message.pk and frame["body"] == "Back again"
    await socket.disconnect()


async def test_an_approved_chat_message_reaches_an_open_socket_and_notifies_mentions(
    scene, member_factory
):
    moderator, listener, room = scene
    author = await db(member_factory)(username="Writer")
    held = await db(make_message)(room, author, body="Hello @Listener", state="held")
    await db(queue_for_approval)(
        kind="chat_message", target_id=held.pk, author=author, why="Watched word"
    )
    socket = await connect(listener, f"/ws/chat/{room.slug}/")
    await next_frame(socket, "presence")

    await db(approve_item)(
        moderator=moderator, kind="chat_message", target_id=held.pk, reason="Fine"
    )

    frame = await next_frame(socket, "message")
    assert frame["id"] == held.pk
    told = await db(Notification.objects.get)(recipient=listener)
    assert told.kind == NotificationKind.MENTION
    await socket.disconnect()


async def test_dismissing_the_reports_on_a_held_chat_message_brings_it_back_to_open_sockets(
    scene, member_factory
):
    moderator, listener, room = scene
    message = await db(make_message)(room, listener, body="Was reported")
    await db(ChatMessage.objects.filter(pk=message.pk).update)(state="held")
    reporter = await db(member_factory)(username="Reporter")
    await db(Report.objects.create)(
        target_kind="chat_message", target_id=message.pk, reporter=reporter, reason="spam"
    )
    socket = await connect(listener, f"/ws/chat/{room.slug}/")
    await next_frame(socket, "presence")

    await db(dismiss_reports)(
        moderator=moderator, kind="chat_message", target_id=message.pk, reason="Fine"
    )

    assert (await next_frame(socket, "message"))["id"] == message.pk
    await socket.disconnect()


def test_a_role_holding_only_moderate_content_can_hide_a_chat_message(member_factory):
    holder = member_factory(username="ContentOnly")
    holder.user_permissions.add(Permission.objects.get(codename="moderate_content"))
    author = member_factory(username="Someone")
    message = make_message(make_room(), author)

    hide_item(moderator=holder, kind="chat_message", target_id=message.pk, reason="Unkind")

    assert ChatMessage.objects.get(pk=message.pk).is_hidden
    assert not is_pending(resolve_target("chat_message", message.pk))


def test_a_chat_message_has_one_state_through_hold_hide_and_release(member_factory, moderator):
    from forum.actions.chat import hold_message, release_message
    from forum.models.chat import ContentState

    message = make_message(make_room(), member_factory())
    assert ChatMessage.objects.get(pk=message.pk).state == ContentState.PUBLISHED

    hold_message(message=message)
    assert ChatMessage.objects.get(pk=message.pk).state == ContentState.HELD
    assert not ChatMessage.objects.published().filter(pk=message.pk).exists()

    hide_item(moderator=moderator, kind="chat_message", target_id=message.pk, reason="Unkind")
    assert ChatMessage.objects.get(pk=message.pk).state == ContentState.HIDDEN

    assert release_message(message=ChatMessage.objects.get(pk=message.pk)) is False
    assert ChatMessage.objects.get(pk=message.pk).state == ContentState.HIDDEN
