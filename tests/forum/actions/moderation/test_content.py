"""Each moderator action on content: its effect on what members see, and one audit entry."""

import pytest
from django.urls import reverse

from forum.actions.moderation import ModerationError, report_item
from forum.models import (
    AuditLogEntry,
    ChatMessage,
    Post,
    Report,
    Topic,
)
from tests.factories import general_board, make_message, make_post, make_room
from tests.forum.actions.moderation.conftest import act, act_on_member, login, one_entry

pytestmark = pytest.mark.django_db


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
    assert reply.state == "removed_by_moderator" and reply.body == "" and reply.body_html == ""
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
    assert topic.title not in client.get(general_board().get_absolute_url()).content.decode()


def test_hiding_a_topic_takes_it_off_the_board_for_members(moderator_client, client, member, topic):
    report_item(reporter=member, kind="topic", target_id=topic.pk, reason="off_topic")

    act(moderator_client, "topic", topic.pk, "hide")

    one_entry("hide")
    login(client, member)
    assert client.get(topic.get_absolute_url()).status_code == 404
    assert topic.title not in client.get(general_board().get_absolute_url()).content.decode()
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
    assert Post.objects.get(pk=reported_reply.pk).state != "hidden"
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
    from tests.factories import make_topic

    make_topic(title="A newer topic here")
    report_item(reporter=member, kind="topic", target_id=topic.pk, reason="other")

    act(moderator_client, "topic", topic.pk, "pin")

    one_entry("pin")
    page = client.get(general_board().get_absolute_url()).content.decode()
    assert page.index(topic.title) < page.index("A newer topic here")
    act(moderator_client, "topic", topic.pk, "unpin")
    assert not Topic.objects.get(pk=topic.pk).is_pinned


def test_move_takes_the_topic_to_another_board(moderator_client, client, member, topic):
    report_item(reporter=member, kind="topic", target_id=topic.pk, reason="off_topic")
    newcomers = general_board("newcomers")

    act(moderator_client, "topic", topic.pk, "move", board=newcomers.pk)

    entry = one_entry("move")
    assert "to Newcomers" in entry.target_description
    assert topic.title in client.get(newcomers.get_absolute_url()).content.decode()
    assert topic.title not in client.get(general_board().get_absolute_url()).content.decode()


def test_moving_to_an_unknown_board_is_refused(moderator_client, member, topic):
    report_item(reporter=member, kind="topic", target_id=topic.pk, reason="off_topic")

    act(moderator_client, "topic", topic.pk, "move", board=999999)

    assert Topic.objects.get(pk=topic.pk).board == general_board()
    assert not AuditLogEntry.objects.exists()


def test_an_unknown_action_is_404(moderator_client, reported_reply, member):
    assert act(moderator_client, "post", reported_reply.pk, "explode").status_code == 404
    assert act_on_member(moderator_client, member, "explode", reason="x").status_code == 404


def test_moderators_can_act_on_a_public_item_nobody_reported(moderator_client, client, topic):
    reply = make_post(topic, body="Unreported words")

    assert act(moderator_client, "post", reply.pk, "hide").status_code == 302

    one_entry("hide")
    assert "Unreported words" not in client.get(topic.get_absolute_url()).content.decode()


def test_a_private_room_message_nobody_reported_is_out_of_reach(moderator_client):
    from tests.factories import make_private_room

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


def test_approving_a_post_that_is_not_waiting_is_refused(moderator, reported_reply):
    from forum.actions.moderation import approve_item

    with pytest.raises(ModerationError):
        approve_item(moderator=moderator, kind="post", target_id=reported_reply.pk, reason="ok")


def test_editing_a_member_is_refused(moderator, member):
    from forum.actions.moderation import edit_item

    with pytest.raises(ModerationError):
        edit_item(moderator=moderator, kind="member", target_id=member.pk, body="x", reason="x")


def test_banning_a_member_twice_is_refused(moderator, member):
    from forum.actions.moderation import ban_member

    ban_member(moderator=moderator, member=member, reason="first")

    with pytest.raises(ModerationError, match="already banned"):
        ban_member(moderator=moderator, member=member, reason="second")


# One test per branch of the content checks ---------------------------------------------------


def test_a_chat_message_cannot_be_edited(moderator, member):
    from forum.actions.moderation import edit_item

    message = make_message(make_room(), member)

    with pytest.raises(ModerationError, match="not edited"):
        edit_item(
            moderator=moderator, kind="chat_message", target_id=message.pk, body="x", reason="x"
        )


def test_a_post_removed_by_a_moderator_cannot_be_edited(moderator, topic):
    from forum.actions.moderation import edit_item

    removed = make_post(topic, state="removed_by_moderator")

    with pytest.raises(ModerationError, match="can no longer be edited"):
        edit_item(moderator=moderator, kind="post", target_id=removed.pk, body="x", reason="x")


def test_a_topic_action_on_a_post_acts_on_its_topic(moderator, reported_reply):
    from forum.actions.moderation import set_topic_flag

    set_topic_flag(
        moderator=moderator, kind="post", target_id=reported_reply.pk, action="lock", reason="x"
    )

    assert Topic.objects.get(pk=reported_reply.topic_id).is_locked


def test_a_topic_action_on_a_chat_message_is_refused(moderator, member):
    from forum.actions.moderation import set_topic_flag

    message = make_message(make_room(), member)

    with pytest.raises(ModerationError, match="applies to topics"):
        set_topic_flag(
            moderator=moderator,
            kind="chat_message",
            target_id=message.pk,
            action="lock",
            reason="x",
        )


def test_an_unknown_topic_action_is_refused(moderator, topic):
    from forum.actions.moderation import set_topic_flag

    with pytest.raises(ModerationError, match="Unknown action"):
        set_topic_flag(
            moderator=moderator, kind="topic", target_id=topic.pk, action="bury", reason="x"
        )


def test_moving_a_topic_needs_a_board(moderator, topic):
    from forum.actions.moderation import move_topic

    with pytest.raises(ModerationError, match="Choose a board"):
        move_topic(moderator=moderator, kind="topic", target_id=topic.pk, board_id=0, reason="x")


def test_moving_a_topic_to_its_own_board_is_refused(moderator, topic):
    from forum.actions.moderation import move_topic

    with pytest.raises(ModerationError, match="already on that board"):
        move_topic(
            moderator=moderator,
            kind="topic",
            target_id=topic.pk,
            board_id=topic.board_id,
            reason="x",
        )
