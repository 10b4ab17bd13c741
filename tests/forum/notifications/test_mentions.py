"""The one @mention parser, and who a mention notifies."""

import pytest

from accounts.actions.blocking import block_member
from forum.actions.notifications import notify_mentions
from forum.mentions import MAX_MENTIONS_PER_TEXT, find_mentions
from forum.models import Notification, NotificationKind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thanks @QuietHarbor!", ["quietharbor"]),
        ("@Calm.River, and @calm.river again", ["calm.river"]),
        ("cc @a-b_c.", ["a-b_c"]),
        ("write to me@example.org", []),
        ("@@double", []),
        ("@ab is too short", []),
        ("email@Quiet", []),
        ("(@Paren)", ["paren"]),
        ("", []),
        ("@" + "x" * 31, []),
    ],
)
def test_find_mentions(text, expected):
    assert find_mentions(text) == expected


def test_at_most_ten_mentions_count():
    text = " ".join(f"@member{n:02d}" for n in range(30))

    assert len(find_mentions(text)) == MAX_MENTIONS_PER_TEXT


@pytest.mark.django_db
def test_a_mention_notifies_the_member_case_insensitively(member_factory):
    author = member_factory(username="Speaker")
    named = member_factory(username="QuietHarbor")

    sent = notify_mentions(author=author, text="hi @quietharbor", url="/t/1/", where="in a post")

    assert [n.recipient for n in sent] == [named]
    row = Notification.objects.get()
    assert row.kind == NotificationKind.MENTION
    assert row.text == "Speaker mentioned you in a post."
    assert row.url == "/t/1/"


@pytest.mark.django_db
def test_mentions_of_pseudonyms_that_do_not_exist_notify_nobody(member_factory):
    author = member_factory()

    assert notify_mentions(author=author, text="@NoSuchMember", url="/", where="here") == []
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_mentions_by_a_blocked_member_notify_nobody(member_factory):
    author = member_factory(username="Pest")
    named = member_factory(username="QuietHarbor")
    block_member(blocker=named, blocked=author)

    assert notify_mentions(author=author, text="@QuietHarbor", url="/", where="here") == []
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_mentioning_oneself_or_a_banned_member_notifies_nobody(member_factory):
    author = member_factory(username="Speaker")
    member_factory(username="Gone", is_active=False)

    assert notify_mentions(author=author, text="@Speaker @Gone", url="/", where="here") == []


@pytest.mark.django_db
def test_excluded_members_are_not_notified_twice(member_factory):
    author = member_factory(username="Speaker")
    owner = member_factory(username="TopicOwner")

    sent = notify_mentions(
        author=author, text="@TopicOwner", url="/", where="here", exclude_ids=[owner.pk]
    )

    assert sent == []


@pytest.mark.django_db
def test_switched_off_mentions_are_not_stored(member_factory):
    from forum.actions.notifications import set_preferences

    author = member_factory()
    named = member_factory(username="QuietHarbor")
    set_preferences(member=named, enabled_kinds=["topic_reply"])

    assert notify_mentions(author=author, text="@QuietHarbor", url="/", where="here") == []
