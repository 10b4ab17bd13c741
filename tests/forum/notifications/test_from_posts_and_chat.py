"""Boards and chat call ``notify``: replies to your topic and @mentions; blocked members fold away."""

import re

import pytest

from accounts.actions.blocking import block_member
from accounts.models import Mentorship
from accounts.permissions import block_applies
from forum.actions.chat import open_mentorship_room, send_message
from forum.actions.posts import create_reply
from forum.actions.topics import create_topic
from forum.models import Notification, NotificationKind, Room
from forum.realtime.protocol import message_frame
from forum.selectors.notifications import unread_count
from tests.factories import general_board, make_member, make_topic

pytestmark = pytest.mark.django_db

FOLD = "Message from a member you blocked"


@pytest.fixture(autouse=True)
def _no_write_limits(settings):
    settings.HOMEGROUP = {
        **settings.HOMEGROUP,
        "TOPICS_PER_HOUR": 10_000,
        "TOPICS_PER_HOUR_FIRST_DAY": 10_000,
        "POST_INTERVAL_SECONDS": 0,
        "POST_INTERVAL_SECONDS_FIRST_DAY": 0,
    }


@pytest.fixture
def owner(db):
    return make_member(username="TopicOwner")


@pytest.fixture
def replier(db):
    return make_member(username="Replier")


@pytest.fixture
def topic(owner):
    return make_topic(author=owner, title="Hard week")


def test_a_reply_notifies_the_topic_author_with_a_link(topic, owner, replier):
    post = create_reply(author=replier, topic=topic, body="You are not alone.")

    row = Notification.objects.get(recipient=owner)
    assert row.kind == NotificationKind.TOPIC_REPLY
    assert row.text == "Replier replied to your topic “Hard week”."
    assert row.url == post.get_absolute_url()


def test_replying_to_ones_own_topic_notifies_nobody(topic, owner):
    create_reply(author=owner, topic=topic, body="An update from me.")

    assert not Notification.objects.exists()


def test_an_anonymous_reply_does_not_name_its_author(topic, owner, replier):
    create_reply(author=replier, topic=topic, body="Same here.", is_anonymous=True)

    row = Notification.objects.get(recipient=owner)
    assert "Replier" not in row.text
    assert row.text.startswith("A member posting anonymously replied")


def test_a_mention_in_a_reply_notifies_the_member(topic, owner, replier):
    named = make_member(username="QuietHarbor")

    create_reply(author=replier, topic=topic, body="@QuietHarbor you went through this too?")

    row = Notification.objects.get(recipient=named)
    assert row.kind == NotificationKind.MENTION
    assert row.text == "Replier mentioned you in a post."


def test_the_topic_author_mentioned_in_a_reply_is_notified_once(topic, owner, replier):
    create_reply(author=replier, topic=topic, body="@TopicOwner thank you.")

    assert list(Notification.objects.values_list("kind", flat=True)) == ["topic_reply"]


def test_a_mention_in_a_new_topic_notifies(replier):
    named = make_member(username="QuietHarbor")

    create_topic(
        author=replier,
        board=general_board(),
        kind="helping",
        title="Thanks to a friend",
        body="Big thanks to @QuietHarbor and @NobodyByThatName.",
    )

    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (named.pk, NotificationKind.MENTION)
    ]


def test_blocked_members_replies_and_mentions_do_not_notify(topic, owner, replier):
    block_member(blocker=owner, blocked=replier)

    create_reply(author=replier, topic=topic, body="@TopicOwner hello")

    assert not Notification.objects.exists()


def test_a_blocked_members_post_is_folded_for_the_blocker_only(client, topic, owner, replier):
    create_reply(author=replier, topic=topic, body="Words from the blocked member.")
    block_member(blocker=owner, blocked=replier)
    url = topic.get_absolute_url()

    client.force_login(owner)
    html = client.get(url).content.decode()
    assert FOLD in html
    assert "<details" in html
    assert "Words from the blocked member." in html
    client.force_login(make_member())
    assert FOLD not in client.get(url).content.decode()


def test_an_anonymous_post_is_never_folded_so_its_author_stays_unknown(
    client, topic, owner, replier
):
    create_reply(author=replier, topic=topic, body="Anonymous words.", is_anonymous=True)
    block_member(blocker=owner, blocked=replier)

    client.force_login(owner)
    html = client.get(topic.get_absolute_url()).content.decode()

    assert "Anonymous words." in html
    assert FOLD not in html


@pytest.fixture
def room(db):
    return Room.objects.create(title="Evening meeting", slug="evening")


def test_a_mention_in_chat_notifies_with_a_link_to_the_message(room, replier):
    named = make_member(username="QuietHarbor")

    message = send_message(member=replier, room=room, body="hi @quietharbor").message

    row = Notification.objects.get(recipient=named)
    assert row.text == "Replier mentioned you in the chat room “Evening meeting”."
    assert row.url == f"{room.get_absolute_url()}#m-{message.pk}"


def test_in_a_private_room_only_the_other_member_can_be_notified(replier):
    mentor = make_member(username="Guide", step=12)
    outsider = make_member(username="Outsider")
    room = open_mentorship_room(mentorship=Mentorship.objects.create(mentor=mentor, mentee=replier))

    send_message(member=replier, room=room, body="@Guide @Outsider see this")

    assert list(Notification.objects.values_list("recipient", flat=True)) == [mentor.pk]
    assert Notification.objects.get().text == "Replier mentioned you in your mentoring room."
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_a_blocked_members_chat_message_is_folded_for_the_blocker(client, room, owner, replier):
    send_message(member=replier, room=room, body="Chat words from the blocked member.")
    block_member(blocker=owner, blocked=replier)

    client.force_login(owner)
    html = client.get(room.get_absolute_url()).content.decode()
    assert FOLD in html
    assert "Chat words from the blocked member." in html
    client.force_login(make_member())
    assert FOLD not in client.get(room.get_absolute_url()).content.decode()


def test_the_message_frame_marks_a_blocked_author(replier, owner):
    payload = {
        "id": 1,
        "seq": 1,
        "author_id": replier.pk,
        "author": "Replier",
        "body": "x",
        "client_id": "",
        "created": "2026-01-01T00:00:00+00:00",
    }

    assert message_frame(payload, viewer_id=owner.pk, blocked_ids={replier.pk})["blocked"] is True
    assert "blocked" not in message_frame(payload, viewer_id=owner.pk)


def test_blocking_and_unblocking_take_effect_on_the_next_page(client, topic, owner, replier):
    create_reply(author=replier, topic=topic, body="Some words.")
    client.force_login(owner)
    url = topic.get_absolute_url()
    assert FOLD not in client.get(url).content.decode()

    client.post(f"/u/{replier.username}/block/")
    assert FOLD in client.get(url).content.decode()

    client.post(f"/u/{replier.username}/unblock/")
    assert FOLD not in client.get(url).content.decode()


# A block never unmasks "Anonymous member" (issue 11, item 4) -------------------------------
# Whatever a member sees of anonymous content (the reply notification, an @mention, the unread
# count, the post, its reactions) is the same whether or not they blocked its writer; otherwise
# a missing notification or a fold tells them who wrote it.


def seen_notifications(member) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(recipient=member).values_list("kind", "text"))


@pytest.mark.parametrize("blocked", [False, True], ids=["not-blocked", "blocked"])
def test_an_anonymous_reply_notifies_the_topic_author_whether_or_not_they_blocked_its_writer(
    owner, replier, blocked
):
    topic = make_topic(author=owner, title="Hard week")
    if blocked:
        block_member(blocker=owner, blocked=replier)

    create_reply(author=replier, topic=topic, body="Same here.", is_anonymous=True)

    assert seen_notifications(owner) == [
        (
            NotificationKind.TOPIC_REPLY,
            "A member posting anonymously replied to your topic “Hard week”.",
        )
    ]
    assert unread_count(owner) == 1


@pytest.mark.parametrize("blocked", [False, True], ids=["not-blocked", "blocked"])
@pytest.mark.parametrize("where", ["reply", "topic"])
def test_an_anonymous_mention_notifies_whether_or_not_the_member_blocked_its_writer(
    owner, replier, blocked, where
):
    named = make_member(username="QuietHarbor")
    if blocked:
        block_member(blocker=named, blocked=replier)
    body = "@QuietHarbor you went through this too?"

    if where == "reply":
        create_reply(author=replier, topic=make_topic(author=owner), body=body, is_anonymous=True)
    else:
        create_topic(
            author=replier,
            board=general_board(),
            kind="helping",
            title="Asking quietly",
            body=body,
            is_anonymous=True,
        )

    assert seen_notifications(named) == [
        (NotificationKind.MENTION, "A member posting anonymously mentioned you in a post.")
    ]


def test_a_named_reply_from_a_blocked_member_still_notifies_nobody(owner, replier):
    topic = make_topic(author=owner)
    block_member(blocker=owner, blocked=replier)

    create_reply(author=replier, topic=topic, body="@TopicOwner hello", is_anonymous=False)

    assert seen_notifications(owner) == []


def _page(client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_topic_page_shows_an_anonymous_post_the_same_before_and_after_a_block(
    client, owner, replier
):
    """Folding, reactions, counts: the whole page the blocker sees does not change."""
    topic = make_topic(author=owner, title="Hard week")
    create_reply(author=replier, topic=topic, body="Anonymous words.", is_anonymous=True)
    client.force_login(owner)
    url = topic.get_absolute_url()
    _page(client, url)  # the first visit marks the topic read
    before = _page(client, url)

    block_member(blocker=owner, blocked=replier)
    after = _page(client, url)

    assert "Anonymous words." in after
    assert FOLD not in after
    assert after == before


@pytest.mark.parametrize(
    ("author_id", "anonymous", "applies"),
    [(7, False, True), (7, True, False), (8, False, False), (None, False, False)],
)
def test_a_block_applies_to_named_content_of_a_blocked_writer_only(author_id, anonymous, applies):
    assert block_applies(frozenset({7}), author_id=author_id, anonymous=anonymous) is applies


@pytest.mark.parametrize(("anonymous", "folded"), [(False, True), (True, False)])
def test_a_chat_frame_is_folded_by_the_same_rule(anonymous, folded):
    payload = {
        "id": 1,
        "seq": 1,
        "author_id": 7,
        "author": "Anonymous member" if anonymous else "Replier",
        "anonymous": anonymous,
        "body": "hello",
        "client_id": "",
        "created": "2026-01-01T00:00:00+00:00",
    }

    frame = message_frame(payload, viewer_id=3, blocked_ids=frozenset({7}))

    assert frame.get("blocked", False) is folded
