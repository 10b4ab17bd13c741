"""``notify``: one action for every kind; preferences, blocks and events after commit."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from accounts.actions.blocking import block_member
from forum.actions.notifications import mark_all_read, mark_read, notify, set_preferences
from forum.models import Notification, NotificationKind
from forum.models.notifications import OPT_IN_KINDS
from forum.realtime.events import member_group
from forum.selectors.notifications import unread_count

pytestmark = pytest.mark.django_db


def test_every_kind_the_issue_names_exists():
    assert set(NotificationKind.values) == {
        "mentor_request_received",
        "mentor_request_accepted",
        "mentor_request_declined",
        "mentorship_ended",
        "topic_reply",
        "mention",
        "report_outcome",
        "moderator_warning",
        "followed_topic_reply",
        "followed_board_topic",
        "moderation_notice",
        "appeal_received",
        "step_move_asked",
        "step_move_answered",
        "workbook_shared",
        "workbook_note",
        "meeting_wanted",
    }


@pytest.mark.parametrize("kind", NotificationKind.values)
def test_notify_stores_a_row_for_every_kind(member_factory, kind):
    recipient = member_factory()
    if kind in OPT_IN_KINDS:
        set_preferences(member=recipient, enabled_kinds=[kind])

    row = notify(recipient=recipient, kind=kind, text="Something for you", url="/steps/1/")

    assert Notification.objects.get() == row
    assert (row.recipient, row.kind, row.text, row.url, row.read_at) == (
        recipient,
        kind,
        "Something for you",
        "/steps/1/",
        None,
    )


def test_an_unknown_kind_is_a_programming_error(member):
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify(recipient=member, kind="gossip", text="x")


def test_a_switched_off_kind_is_not_stored(member):
    set_preferences(member=member, enabled_kinds=[NotificationKind.MENTION])

    assert notify(recipient=member, kind=NotificationKind.TOPIC_REPLY, text="x") is None
    assert notify(recipient=member, kind=NotificationKind.MENTION, text="y") is not None
    assert list(Notification.objects.values_list("text", flat=True)) == ["y"]


def test_nothing_from_a_blocked_member(member_factory):
    recipient, blocked = member_factory(), member_factory()
    block_member(blocker=recipient, blocked=blocked)

    assert notify(recipient=recipient, kind="topic_reply", text="x", actor=blocked) is None
    assert not Notification.objects.exists()


def test_nothing_to_oneself_or_to_a_banned_member(member_factory):
    me, banned = member_factory(), member_factory(is_active=False)

    assert notify(recipient=me, kind="mention", text="x", actor=me) is None
    assert notify(recipient=banned, kind="mention", text="x") is None
    assert not Notification.objects.exists()


def test_long_text_is_trimmed_and_whitespace_collapsed(member):
    row = notify(recipient=member, kind="mention", text="a\n\n b " + "x" * 400)

    assert row.text.startswith("a b x")
    assert len(row.text) == 300
    assert row.text.endswith("…")


def test_the_event_leaves_only_after_commit(member, django_capture_on_commit_callbacks):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(member_group(member.pk), channel)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        row = notify(recipient=member, kind="mention", text="hello")
    assert callbacks, "nothing was scheduled for after commit"
    for callback in callbacks:
        callback()

    event = async_to_sync(layer.receive)(channel)
    assert event == {"type": "notification.created", "notification_id": row.pk}


def test_unread_count_is_cached_and_kept_right(member, django_assert_num_queries):
    notify(recipient=member, kind="mention", text="one")
    notify(recipient=member, kind="mention", text="two")

    assert unread_count(member) == 2
    with django_assert_num_queries(0):
        assert unread_count(member) == 2
    first = Notification.objects.order_by("id").first()
    mark_read(member=member, notification_id=first.pk)
    assert unread_count(member) == 1
    mark_all_read(member=member)
    assert unread_count(member) == 0


def test_a_member_cannot_mark_someone_elses_notification(member_factory):
    owner, other = member_factory(), member_factory()
    row = notify(recipient=owner, kind="mention", text="x")

    assert mark_read(member=other, notification_id=row.pk) is False
    row.refresh_from_db()
    assert row.read_at is None


def test_preferences_reject_unknown_kinds(member):
    with pytest.raises(ValueError):
        set_preferences(member=member, enabled_kinds=["mention", "spam"])


def test_a_moderator_warning_cannot_be_switched_off(member):
    set_preferences(member=member, enabled_kinds=[])

    assert notify(recipient=member, kind=NotificationKind.MODERATOR_WARNING, text="x") is not None


def test_an_opt_in_kind_reaches_only_members_who_switched_it_on(member_factory):
    quiet, listening = member_factory(), member_factory()
    set_preferences(member=listening, enabled_kinds=["meeting_wanted"])
    for recipient in (quiet, listening):
        notify(recipient=recipient, kind="meeting_wanted", text="Someone is looking")
    assert list(Notification.objects.values_list("recipient", flat=True)) == [listening.pk]
