"""Each moderator action on a member: what it changes, and one audit entry."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.standing import is_suspended
from forum.actions.moderation import report_item
from forum.models import (
    AuditLogEntry,
    ChatMessage,
    Notification,
    NotificationKind,
    Post,
    Report,
    RoomMute,
)
from tests.forum.actions.moderation.conftest import act_on_member, login, one_entry
from tests.forum.actions.moderation.factories import make_message, make_room

pytestmark = pytest.mark.django_db


def test_warn_sends_the_member_the_moderators_words(moderator_client, client, reported_reply):
    response = act_on_member(
        moderator_client,
        reported_reply.author,
        "warn",
        message="Please keep links out of support threads.",
        item_kind="post",
        item_id=reported_reply.pk,
    )

    assert response.status_code == 302
    entry = one_entry("warn")
    assert entry.reason == "Please keep links out of support threads."
    note = Notification.objects.get(recipient=reported_reply.author)
    assert note.kind == NotificationKind.MODERATOR_WARNING
    assert "Please keep links out of support threads." in note.text
    assert not Report.objects.filter(status="open").exists()


def test_mute_stops_the_member_writing_in_that_room_for_the_duration(
    moderator_client, client, member, member_factory
):
    room = make_room()
    writer = member_factory()
    message = make_message(room, writer, body="Loud words")
    report_item(reporter=member, kind="chat_message", target_id=message.pk, reason="harassment")

    act_on_member(
        moderator_client,
        writer,
        "mute",
        room=room.pk,
        duration="1h",
        reason="Cooling off",
        item_kind="chat_message",
        item_id=message.pk,
    )

    one_entry("mute")
    mute = RoomMute.objects.get(member=writer, room=room)
    assert timedelta(minutes=59) < mute.until - timezone.now() <= timedelta(hours=1)
    login(client, writer)
    response = client.post(
        reverse("forum:chat_send", args=[room.slug]), {"body": "Hello again"}, follow=True
    )
    assert "paused your messages" in response.content.decode()
    assert not ChatMessage.objects.filter(body="Hello again").exists()


def test_suspend_lets_the_member_read_but_not_post(moderator_client, client, topic, reported_reply):
    author = reported_reply.author
    act_on_member(moderator_client, author, "suspend", duration="3d", reason="Repeated spam")

    one_entry("suspend")
    author.refresh_from_db()
    assert is_suspended(author)
    assert (
        timedelta(days=2, hours=23) < author.suspended_until - timezone.now() <= timedelta(days=3)
    )
    login(client, author)
    assert client.get(topic.get_absolute_url()).status_code == 200
    response = client.post(reverse("forum:reply", args=[topic.pk]), {"body": "Still here"})
    assert response.status_code == 403
    assert not Post.objects.filter(body="Still here").exists()


def test_ban_ends_every_session_of_the_member(moderator_client, client, topic, reported_reply):
    author = reported_reply.author
    login(client, author)
    assert client.get(reverse("accounts:me")).status_code == 200

    act_on_member(moderator_client, author, "ban", reason="Threats")

    one_entry("ban")
    author.refresh_from_db()
    assert not author.is_active
    assert client.get(reverse("accounts:me")).status_code == 302
    assert not client.login(username=author.username, password="a-long-quiet-passphrase")


def test_moderators_cannot_act_on_moderators_or_admins(
    moderator_client, member_factory, admin_user
):
    from accounts.actions.roles import grant_moderator

    other = member_factory()
    grant_moderator(member=other)
    for target in (other, admin_user):
        act_on_member(moderator_client, target, "ban", reason="No")
    assert not AuditLogEntry.objects.exists()
    other.refresh_from_db()
    assert other.is_active
