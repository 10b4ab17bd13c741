"""A block never unmasks "Anonymous member" (issue 11, item 4).

Whatever a member sees of anonymous content — the reply notification, an @mention, the unread
count, the post itself and its reactions — is the same whether or not they blocked its writer;
otherwise a missing notification or a fold tells them who wrote it.
"""

import re

import pytest

from accounts.actions.blocking import block_member
from accounts.permissions import block_applies
from forum.actions.posts import create_reply
from forum.actions.topics import create_topic
from forum.models import Notification, NotificationKind
from forum.realtime.protocol import message_frame
from forum.selectors.notifications import unread_count
from tests.accounts.mentoring.factories import make_member
from tests.forum.boards.factories import general_board, make_topic

pytestmark = pytest.mark.django_db

FOLD = "Message from a member you blocked"


@pytest.fixture(autouse=True)
def _no_write_limits(settings):
    settings.HOMEGROUP = {
        **settings.HOMEGROUP,
        "POST_INTERVAL_SECONDS": 0,
        "POST_INTERVAL_SECONDS_FIRST_DAY": 0,
        "TOPICS_PER_HOUR": 10_000,
        "TOPICS_PER_HOUR_FIRST_DAY": 10_000,
    }


@pytest.fixture
def owner(db):
    return make_member(username="TopicOwner")


@pytest.fixture
def writer(db):
    return make_member(username="HiddenWriter")


def seen_notifications(member) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(recipient=member).values_list("kind", "text"))


@pytest.mark.parametrize("blocked", [False, True], ids=["not-blocked", "blocked"])
def test_an_anonymous_reply_notifies_the_topic_author_whether_or_not_they_blocked_its_writer(
    owner, writer, blocked
):
    topic = make_topic(author=owner, title="Hard week")
    if blocked:
        block_member(blocker=owner, blocked=writer)

    create_reply(author=writer, topic=topic, body="Same here.", is_anonymous=True)

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
    owner, writer, blocked, where
):
    named = make_member(username="QuietHarbor")
    if blocked:
        block_member(blocker=named, blocked=writer)
    body = "@QuietHarbor you went through this too?"

    if where == "reply":
        create_reply(author=writer, topic=make_topic(author=owner), body=body, is_anonymous=True)
    else:
        create_topic(
            author=writer,
            board=general_board(),
            kind="helping",
            title="Asking quietly",
            body=body,
            is_anonymous=True,
        )

    assert seen_notifications(named) == [
        (NotificationKind.MENTION, "A member posting anonymously mentioned you in a post.")
    ]


def test_a_named_reply_from_a_blocked_member_still_notifies_nobody(owner, writer):
    topic = make_topic(author=owner)
    block_member(blocker=owner, blocked=writer)

    create_reply(author=writer, topic=topic, body="@TopicOwner hello", is_anonymous=False)

    assert seen_notifications(owner) == []


def _page(client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_topic_page_shows_an_anonymous_post_the_same_before_and_after_a_block(
    client, owner, writer
):
    """Folding, reactions, counts: the whole page the blocker sees does not change."""
    topic = make_topic(author=owner, title="Hard week")
    create_reply(author=writer, topic=topic, body="Anonymous words.", is_anonymous=True)
    client.force_login(owner)
    url = topic.get_absolute_url()
    _page(client, url)  # the first visit marks the topic read
    before = _page(client, url)

    block_member(blocker=owner, blocked=writer)
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
        "author": "Anonymous member" if anonymous else "HiddenWriter",
        "anonymous": anonymous,
        "body": "hello",
        "client_id": "",
        "created": "2026-01-01T00:00:00+00:00",
    }

    frame = message_frame(payload, viewer_id=3, blocked_ids=frozenset({7}))

    assert frame.get("blocked", False) is folded
