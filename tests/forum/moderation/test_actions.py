"""Each moderator action: its effect on what members see, and exactly one audit entry."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.standing import is_suspended
from forum.actions.moderation import ModerationError, report_item
from forum.models import (
    AuditLogEntry,
    ChatMessage,
    Notification,
    NotificationKind,
    Post,
    Report,
    RoomMute,
    Topic,
)
from tests.forum.moderation.conftest import login
from tests.forum.moderation.factories import board, make_message, make_post, make_room

pytestmark = pytest.mark.django_db


def act(client, kind, target_id, action, **data):
    data.setdefault("reason", f"Reason for {action}")
    return client.post(
        reverse("forum:moderation_item_action", args=[kind, target_id, action]), data
    )


def act_on_member(client, member, action, **data):
    return client.post(reverse("forum:moderation_member_action", args=[member.pk, action]), data)


@pytest.fixture
def reported_reply(topic, member):
    reply = make_post(topic, body="Words that were reported")
    report_item(reporter=member, kind="post", target_id=reply.pk, reason="spam")
    return reply


def one_entry(action: str) -> AuditLogEntry:
    entries = list(AuditLogEntry.objects.all())
    assert len(entries) == 1, entries
    assert entries[0].action == action
    return entries[0]


def test_hide_shows_members_a_placeholder_and_closes_the_reports(
    moderator_client, moderator, client, member_factory, topic, reported_reply
):
    response = act(moderator_client, "post", reported_reply.pk, "hide")

    assert response.status_code == 302
    entry = one_entry("hide")
    assert entry.moderator == moderator and entry.member == reported_reply.author
    assert entry.reason == "Reason for hide"
    assert f"post #{reported_reply.pk}" in entry.target_description
    login(client, member_factory())
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Words that were reported" not in page
    assert "hidden by the moderators" in page
    assert not Report.objects.filter(status="open").exists()


def test_unhide_brings_the_post_back(moderator_client, moderator, client, topic, reported_reply):
    act(moderator_client, "post", reported_reply.pk, "hide")
    AuditLogEntry.objects.all()  # the hide wrote its own entry

    act(moderator_client, "post", reported_reply.pk, "unhide")

    assert AuditLogEntry.objects.filter(action="unhide").count() == 1
    assert "Words that were reported" in client.get(topic.get_absolute_url()).content.decode()


def test_delete_removes_the_text_for_good_and_keeps_the_place(
    moderator_client, client, topic, reported_reply
):
    act(moderator_client, "post", reported_reply.pk, "delete")

    one_entry("delete")
    reply = Post.objects.get(pk=reported_reply.pk)
    assert reply.removed_by_moderator and reply.body == "" and reply.body_html == ""
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "removed by a moderator" in page
    assert "Words that were reported" not in page


def test_deleting_a_topic_takes_it_off_its_board(moderator_client, client, member, topic):
    report_item(reporter=member, kind="topic", target_id=topic.pk, reason="spam")

    act(moderator_client, "topic", topic.pk, "delete")

    entry = one_entry("delete")
    assert topic.title in entry.target_description
    assert not Topic.objects.filter(pk=topic.pk).exists()
    assert client.get(f"/t/{topic.pk}/").status_code == 404
    assert topic.title not in client.get(board().get_absolute_url()).content.decode()


def test_hiding_a_topic_takes_it_off_the_board_for_members(moderator_client, client, member, topic):
    report_item(reporter=member, kind="topic", target_id=topic.pk, reason="off_topic")

    act(moderator_client, "topic", topic.pk, "hide")

    one_entry("hide")
    login(client, member)
    assert client.get(topic.get_absolute_url()).status_code == 404
    assert topic.title not in client.get(board().get_absolute_url()).content.decode()
    assert moderator_client.get(topic.get_absolute_url()).status_code == 200


def test_edit_shows_edited_by_a_moderator_and_keeps_the_old_version(
    moderator_client, moderator, client, topic, reported_reply
):
    response = act(moderator_client, "post", reported_reply.pk, "edit", body="A kinder version")

    assert response.status_code == 302
    one_entry("edit")
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "A kinder version" in page and "Words that were reported" not in page
    assert "edited by a moderator" in page
    revision = reported_reply.revisions.get()
    assert revision.body == "Words that were reported" and revision.replaced_by == moderator


def test_an_empty_edit_is_refused_and_changes_nothing(moderator_client, reported_reply):
    act(moderator_client, "post", reported_reply.pk, "edit", body="   ")

    assert Post.objects.get(pk=reported_reply.pk).body == "Words that were reported"
    assert not AuditLogEntry.objects.exists()


def test_an_action_without_a_reason_is_refused(moderator_client, reported_reply):
    response = act(moderator_client, "post", reported_reply.pk, "hide", reason="  ")

    assert response.status_code == 302
    assert not Post.objects.get(pk=reported_reply.pk).is_hidden
    assert not AuditLogEntry.objects.exists()


def test_lock_refuses_replies_and_unlock_allows_them(
    moderator_client, client, member, topic, reported_reply
):
    act(moderator_client, "post", reported_reply.pk, "lock")
    one_entry("lock")
    login(client, member)
    refused = client.post(reverse("forum:reply", args=[topic.pk]), {"body": "Late reply"})
    assert refused.status_code == 403
    assert "locked" in refused.content.decode()

    report_item(reporter=member, kind="topic", target_id=topic.pk, reason="other")
    act(moderator_client, "topic", topic.pk, "unlock")
    assert (
        client.post(reverse("forum:reply", args=[topic.pk]), {"body": "Now it works"}).status_code
        == 302
    )


def test_pin_puts_the_topic_first_on_its_board(moderator_client, client, member, topic):
    from tests.forum.moderation.factories import make_topic

    make_topic(title="A newer topic here")
    report_item(reporter=member, kind="topic", target_id=topic.pk, reason="other")

    act(moderator_client, "topic", topic.pk, "pin")

    one_entry("pin")
    page = client.get(board().get_absolute_url()).content.decode()
    assert page.index(topic.title) < page.index("A newer topic here")
    act(moderator_client, "topic", topic.pk, "unpin")
    assert not Topic.objects.get(pk=topic.pk).is_pinned


def test_move_takes_the_topic_to_another_board(moderator_client, client, member, topic):
    report_item(reporter=member, kind="topic", target_id=topic.pk, reason="off_topic")
    newcomers = board("newcomers")

    act(moderator_client, "topic", topic.pk, "move", board=newcomers.pk)

    entry = one_entry("move")
    assert "to Newcomers" in entry.target_description
    assert topic.title in client.get(newcomers.get_absolute_url()).content.decode()
    assert topic.title not in client.get(board().get_absolute_url()).content.decode()


def test_moving_to_an_unknown_board_is_refused(moderator_client, member, topic):
    report_item(reporter=member, kind="topic", target_id=topic.pk, reason="off_topic")

    act(moderator_client, "topic", topic.pk, "move", board=999999)

    assert Topic.objects.get(pk=topic.pk).board == board()
    assert not AuditLogEntry.objects.exists()


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


def test_an_unknown_action_is_404(moderator_client, reported_reply, member):
    assert act(moderator_client, "post", reported_reply.pk, "explode").status_code == 404
    assert act_on_member(moderator_client, member, "explode", reason="x").status_code == 404


def test_moderators_can_act_on_a_public_item_nobody_reported(moderator_client, client, topic):
    reply = make_post(topic, body="Unreported words")

    assert act(moderator_client, "post", reply.pk, "hide").status_code == 302

    one_entry("hide")
    assert "Unreported words" not in client.get(topic.get_absolute_url()).content.decode()


def test_a_private_room_message_nobody_reported_is_out_of_reach(moderator_client):
    from tests.forum.moderation.factories import make_private_room

    room = make_private_room()
    message = make_message(room, room.mentorship.mentee, body="Private")

    assert act(moderator_client, "chat_message", message.pk, "hide").status_code == 404
    assert not ChatMessage.objects.get(pk=message.pk).is_hidden


def test_unknown_items_are_404(moderator_client):
    assert act(moderator_client, "post", 999999, "hide").status_code == 404
    assert act(moderator_client, "planet", 1, "hide").status_code == 404


def test_a_member_cannot_take_any_action(client, member, reported_reply):
    login(client, member)

    for action in ("hide", "delete", "dismiss"):
        assert act(client, "post", reported_reply.pk, action).status_code == 403
    assert act_on_member(client, reported_reply.author, "ban", reason="x").status_code == 403
    assert not AuditLogEntry.objects.exists()


def test_a_chat_message_hide_leaves_history_for_everyone(
    moderator_client, client, member, member_factory
):
    room = make_room()
    message = make_message(room, member_factory(), body="Hurtful words")
    report_item(reporter=member, kind="chat_message", target_id=message.pk, reason="harassment")

    act(moderator_client, "chat_message", message.pk, "hide")

    one_entry("hide")
    login(client, member)
    assert "Hurtful words" not in client.get(room.get_absolute_url()).content.decode()


def test_actions_refuse_in_the_wrong_state(moderator, member, reported_reply):
    from forum.actions.moderation import approve_item, ban_member, edit_item

    with pytest.raises(ModerationError):
        approve_item(moderator=moderator, kind="post", target_id=reported_reply.pk, reason="ok")
    with pytest.raises(ModerationError):
        edit_item(moderator=moderator, kind="member", target_id=member.pk, body="x", reason="x")
    ban_member(moderator=moderator, member=member, reason="first")
    with pytest.raises(ModerationError, match="already banned"):
        ban_member(moderator=moderator, member=member, reason="second")
