"""Each moderator action on a member: what it changes, and one audit entry."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.standing import is_suspended
from forum.actions.moderation import (
    ModerationError,
    ban_member,
    lift_suspension,
    mute_in_chat,
    report_item,
    unban_member,
    unmute_in_chat,
)
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
from tests.factories import PASSWORD, make_message, make_post, make_room, make_topic
from tests.forum.actions.moderation.conftest import act_on_member, login, one_entry

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


# Lifting a measure ----------------------------------------------------------------------------


@pytest.fixture
def suspended(member_factory):
    return member_factory(username="Paused", suspended_until=timezone.now() + timedelta(days=3))


def test_lifting_a_suspension_lets_the_member_take_part_at_once_and_says_why(
    moderator_client, client, suspended
):
    response = act_on_member(moderator_client, suspended, "lift_suspension", reason="Appeal ok")

    assert response.status_code == 302
    suspended.refresh_from_db()
    assert not is_suspended(suspended)
    entry = one_entry("lift_suspension")
    assert entry.reason == "Appeal ok" and entry.member == suspended
    told = Notification.objects.get(recipient=suspended)
    assert "lifted your suspension" in told.text


def test_lifting_a_suspension_that_is_not_there_is_refused(moderator, member):
    with pytest.raises(ModerationError, match="not suspended"):
        lift_suspension(moderator=moderator, member=member, reason="Nothing")

    assert not AuditLogEntry.objects.exists()


def test_unmuting_lets_the_member_write_in_that_room_again(moderator_client, moderator, member):
    room = make_room()
    mute_in_chat(
        moderator=moderator, member=member, room=room, duration=timedelta(hours=1), reason="Heat"
    )

    act_on_member(moderator_client, member, "unmute", room=room.pk, reason="Calmer now")

    assert not RoomMute.objects.filter(member=member, room=room).exists()
    assert AuditLogEntry.objects.filter(action="unmute", reason="Calmer now").count() == 1


def test_unmuting_in_a_room_the_member_is_not_muted_in_is_refused(moderator, member):
    with pytest.raises(ModerationError, match="not muted"):
        unmute_in_chat(moderator=moderator, member=member, room=make_room(), reason="No")


def test_unbanning_lets_the_member_log_in_again(moderator_client, moderator, member, client):
    ban_member(moderator=moderator, member=member, reason="Mistake")

    act_on_member(moderator_client, member, "unban", reason="It was someone else")

    member.refresh_from_db()
    assert member.is_active
    assert client.login(username=member.username, password=PASSWORD)
    assert AuditLogEntry.objects.filter(action="unban").get().reason == "It was someone else"


def test_unbanning_a_member_who_is_not_banned_is_refused(moderator, member):
    with pytest.raises(ModerationError, match="not banned"):
        unban_member(moderator=moderator, member=member, reason="No")


def test_a_member_cannot_lift_anyones_measures(client, member, suspended):
    login(client, member)

    response = act_on_member(client, suspended, "lift_suspension", reason="Me")

    assert response.status_code == 403
    suspended.refresh_from_db()
    assert is_suspended(suspended)


def test_the_member_page_offers_only_the_lifts_that_apply(moderator_client, suspended, member):
    page = moderator_client.get(reverse("forum:moderation_member", args=[suspended.pk]))
    text = page.content.decode()
    assert "Lift the suspension" in text and "Lift the ban" not in text

    other = moderator_client.get(reverse("forum:moderation_member", args=[member.pk]))
    assert "Lift the suspension" not in other.content.decode()


# A spam account ----------------------------------------------------------------------------------


def test_hiding_everything_by_a_spam_account_hides_its_topics_posts_and_messages(
    moderator_client, member_factory, topic, client
):

    spammer = member_factory(username="CheapPills")
    own_topic = make_topic(author=spammer, title="Cheap pills for all")
    post = make_post(topic, author=spammer, body="Visit my shop")
    message = make_message(make_room(), spammer, body="Shop now")
    report_item(reporter=topic.author, kind="post", target_id=post.pk, reason="spam")

    response = act_on_member(moderator_client, spammer, "hide_all", reason="Spam account")

    assert response.status_code == 302
    assert Topic.objects.get(pk=own_topic.pk).state == "hidden"
    assert Post.objects.get(pk=post.pk).state == "hidden"
    assert ChatMessage.objects.get(pk=message.pk).is_hidden
    assert not Report.objects.filter(status="open", target_id=post.pk, target_kind="post").exists()
    entry = AuditLogEntry.objects.get(action="hide_all")
    assert "1 topics, 2 posts, 1 messages" in entry.target_description
    assert "Visit my shop" not in client.get(topic.get_absolute_url()).content.decode()


def test_hiding_everything_twice_changes_nothing_more(moderator, member_factory, topic):
    from forum.actions.moderation import hide_everything_by

    spammer = member_factory(username="CheapPills")
    make_post(topic, author=spammer)
    hide_everything_by(moderator=moderator, member=spammer, reason="Spam")

    again = hide_everything_by(moderator=moderator, member=spammer, reason="Spam")

    assert "0 topics, 0 posts, 0 messages" in again.target_description
    assert Notification.objects.filter(recipient=spammer).count() == 1


def test_a_member_cannot_hide_everything_by_someone(client, member, member_factory, topic):
    spammer = member_factory(username="CheapPills")
    post = make_post(topic, author=spammer)
    login(client, member)

    assert act_on_member(client, spammer, "hide_all", reason="No").status_code == 403
    assert Post.objects.get(pk=post.pk).state != "hidden"


# One test per branch of the member checks ----------------------------------------------------


def test_a_mute_needs_a_room(moderator, member):
    with pytest.raises(ModerationError, match="Choose the room"):
        mute_in_chat(
            moderator=moderator, member=member, room=None, duration=timedelta(hours=1), reason="x"
        )


def test_an_empty_note_is_refused(moderator, member):
    from forum.actions.moderation import add_note

    with pytest.raises(ModerationError, match="Please write the note"):
        add_note(moderator=moderator, member=member, text=" \x00 ")


def test_a_note_longer_than_the_limit_is_refused(moderator, member):
    from forum.actions.moderation import add_note
    from forum.models.moderation import NOTE_MAX_LENGTH

    with pytest.raises(ModerationError, match=f"{NOTE_MAX_LENGTH} characters"):
        add_note(moderator=moderator, member=member, text="n" * (NOTE_MAX_LENGTH + 1))
