"""The one visibility rule, state by state: who sees a post's text, its placeholder or nothing,
and who sees a topic at all, on every surface that shows them."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accounts.actions.roles import grant_moderator
from forum.actions.moderation import delete_item, reject_item
from forum.actions.posts import delete_own_post
from forum.models import Bookmark, Post, PostState, Topic, TopicState
from tests.factories import make_post, make_topic

BODY = "A quiet word about serenity"
TITLE = "Keeping company tonight"
VIEWERS = ("visitor", "member", "author", "moderator")
PLACEHOLDERS = {
    PostState.HELD: "This post is hidden until a moderator reviews it.",
    PostState.HIDDEN: "This post is hidden by the moderators.",
    PostState.REMOVED_BY_AUTHOR: "This post was removed by its author.",
    PostState.REMOVED_BY_MODERATOR: "This post was removed by a moderator.",
}
# How the test names say a state and a viewer.
SAID = {
    "published": "published",
    "pending": "waiting",
    "held": "held",
    "hidden": "hidden",
    "removed_by_author": "self-removed",
    "removed_by_moderator": "moderator-removed",
}
WHO = {
    "visitor": "a visitor",
    "member": "another member",
    "author": "its author",
    "moderator": "a moderator",
}
PENDING_NOTE = "Waiting for a moderator: only you can see this until it is approved."


def _post_sees(state: str, viewer: str) -> str:
    """What the rule says a viewer sees of a reply: "text", "placeholder" or "nothing"."""
    if state == PostState.PUBLISHED:
        return "text"
    if state == PostState.PENDING:
        return "text" if viewer == "author" else "nothing"
    return "placeholder"


def _topic_listed(state: str, viewer: str) -> bool:
    return state == TopicState.PUBLISHED or (state == TopicState.PENDING and viewer == "author")


def _topic_page_opens(state: str, viewer: str) -> bool:
    return _topic_listed(state, viewer) or (state != TopicState.PUBLISHED and viewer == "moderator")


def _cases(states, viewers, outcome, phrase):
    return [
        pytest.param(state, viewer, id=phrase(SAID[state], WHO[viewer], outcome(state, viewer)))
        for state in states
        for viewer in viewers
    ]


@pytest.fixture
def people(member_factory):
    moderator = member_factory(username="SteadyModerator")
    grant_moderator(member=moderator)
    return {
        "member": member_factory(username="OtherMember"),
        "author": member_factory(username="ReplyAuthor"),
        "moderator": moderator,
    }


@pytest.fixture
def as_viewer(client, people):
    def login(viewer: str):
        if viewer != "visitor":
            client.force_login(people[viewer])
        return client

    return login


@pytest.fixture
def reply_in(people):
    """``reply_in(state)`` -> a reply by "author", in that state, in a published topic (a
    moderator's removal keeps no text)."""

    def make(state: str) -> Post:
        topic = make_topic(title=TITLE, body="How is everyone holding up?")
        reply = make_post(topic, author=people["author"], body=BODY)
        text = {} if state != PostState.REMOVED_BY_MODERATOR else {"body": "", "body_html": ""}
        if state == PostState.PENDING:
            text["published_at"] = None
        Post.objects.filter(pk=reply.pk).update(state=state, **text)
        return reply

    return make


@pytest.fixture
def topic_in(people):
    """``topic_in(state)`` -> a topic by "author", in that state."""

    def make(state: str) -> Topic:
        topic = make_topic(author=people["author"], title=TITLE, body=BODY)
        Topic.objects.filter(pk=topic.pk).update(state=state)
        return topic

    return make


# The topic page -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "viewer"),
    _cases(
        PostState,
        VIEWERS,
        _post_sees,
        lambda state, viewer, sees: (
            f"a {state} reply shows {'nothing' if sees == 'nothing' else 'its ' + sees} to {viewer} on the topic page"
        ),
    ),
)
def test_a_reply_on_the_topic_page(as_viewer, reply_in, state, viewer):
    reply = reply_in(state)

    html = as_viewer(viewer).get(reverse("forum:topic", args=[reply.topic_id])).content.decode()

    sees = _post_sees(state, viewer)
    assert (f'id="post-{reply.pk}"' in html) is (sees != "nothing")
    assert (BODY in html) is (sees == "text")
    assert (PENDING_NOTE in html) is (sees == "text" and state == PostState.PENDING)
    if sees == "placeholder":
        assert PLACEHOLDERS[state] in html


# A reply that leaves: by its author or a moderator, while it waits or once it was published. Only
# a post others once saw leaves a placeholder naming its author; a moderator has the queue and
# the log for the others.
LEAVING = {
    "withdrawn": (
        PostState.REMOVED_BY_AUTHOR,
        lambda reply, people: delete_own_post(member=people["author"], post=reply),
    ),
    "rejected": (
        PostState.REMOVED_BY_MODERATOR,
        lambda reply, people: reject_item(
            moderator=people["moderator"], kind="post", target_id=reply.pk, reason="Off topic"
        ),
    ),
    "removed": (
        PostState.REMOVED_BY_MODERATOR,
        lambda reply, people: delete_item(
            moderator=people["moderator"], kind="post", target_id=reply.pk, reason="Off topic"
        ),
    ),
}


def _leaves_placeholder(waited: bool, viewer: str) -> bool:
    return not waited or viewer == "author"


@pytest.mark.parametrize(
    ("how", "waited", "viewer"),
    [
        pytest.param(
            how,
            waited,
            viewer,
            id=(
                f"a reply {how} {'while it waited' if waited else 'once published'} shows "
                f"{'its placeholder' if _leaves_placeholder(waited, viewer) else 'nothing'} "
                f"to {WHO[viewer]} on the topic page"
            ),
        )
        for how, waited in (
            ("withdrawn", True),
            ("rejected", True),
            ("withdrawn", False),
            ("removed", False),
        )
        for viewer in VIEWERS
    ],
)
def test_a_reply_that_left(as_viewer, people, how, waited, viewer):
    topic = make_topic(title=TITLE, body="How is everyone holding up?")
    reply = make_post(
        topic,
        author=people["author"],
        body=BODY,
        state=PostState.PENDING if waited else PostState.PUBLISHED,
    )
    state, leave = LEAVING[how]
    leave(reply, people)

    html = as_viewer(viewer).get(reverse("forum:topic", args=[topic.pk])).content.decode()

    placed = _leaves_placeholder(waited, viewer)
    assert Post.objects.get(pk=reply.pk).state == state
    assert (f'id="post-{reply.pk}"' in html) is placed
    assert (PLACEHOLDERS[state] in html) is placed
    assert ("ReplyAuthor" in html) is placed


@pytest.mark.parametrize(
    ("state", "viewer"),
    _cases(
        TopicState,
        VIEWERS,
        _topic_page_opens,
        lambda state, viewer, opens: (
            f"a {state} topic {'opens' if opens else 'is not found'} for {viewer}"
        ),
    ),
)
def test_a_topic_page(as_viewer, topic_in, state, viewer):
    topic = topic_in(state)

    response = as_viewer(viewer).get(reverse("forum:topic", args=[topic.pk]))

    assert response.status_code == (200 if _topic_page_opens(state, viewer) else 404)


# Lists: the board and Latest ------------------------------------------------------------------


def _listing_id(state, viewer, listed):
    return f"a {state} topic is {'listed' if listed else 'not listed'} for {viewer}"


@pytest.mark.parametrize(
    ("state", "viewer"), _cases(TopicState, VIEWERS, _topic_listed, _listing_id)
)
def test_a_topic_on_its_board(as_viewer, topic_in, state, viewer):
    topic = topic_in(state)

    html = as_viewer(viewer).get(reverse("forum:board", args=[topic.board.slug])).content.decode()

    assert (TITLE in html) is _topic_listed(state, viewer)


@pytest.mark.parametrize(
    ("state", "viewer"), _cases(TopicState, VIEWERS, _topic_listed, _listing_id)
)
def test_a_topic_in_latest(as_viewer, topic_in, state, viewer):
    topic_in(state)

    html = as_viewer(viewer).get(reverse("forum:latest")).content.decode()

    assert (TITLE in html) is _topic_listed(state, viewer)


# Search, bookmarks and the export ------------------------------------------------------------


def _found(state, viewer):
    return _post_sees(state, viewer) == "text"


@pytest.mark.parametrize(
    ("state", "viewer"),
    _cases(
        PostState,
        VIEWERS,
        _found,
        lambda state, viewer, found: (
            f"a {state} reply is {'found' if found else 'not found'} by {viewer}"
        ),
    ),
)
def test_a_reply_in_search(as_viewer, reply_in, state, viewer):
    reply = reply_in(state)

    html = as_viewer(viewer).get(reverse("forum:search"), {"q": "serenity"}).content.decode()

    assert (f'href="/p/{reply.pk}/"' in html) is _found(state, viewer)


@pytest.mark.parametrize(
    ("state", "viewer"),
    _cases(
        PostState,
        ("member", "author", "moderator"),
        _found,
        lambda state, viewer, kept: (
            f"a {state} reply {'stays in' if kept else 'drops out of'} {viewer}'s bookmarks"
        ),
    ),
)
def test_a_reply_in_bookmarks(as_viewer, people, reply_in, state, viewer):
    reply = reply_in(state)
    Bookmark.objects.create(member=people[viewer], post=reply)

    html = as_viewer(viewer).get(reverse("forum:bookmarks")).content.decode()

    assert (TITLE in html) is _found(state, viewer)


@pytest.mark.parametrize(
    "state",
    [
        pytest.param(state, id=f"the author's export keeps a {SAID[state]} reply")
        for state in PostState
    ],
)
def test_a_reply_in_its_authors_export(as_viewer, reply_in, state):
    reply = reply_in(state)

    data = json.loads(as_viewer("author").get(reverse("accounts:export")).content)

    (exported,) = data["posts"]
    assert exported["id"] == reply.pk
    assert exported["body"] == ("" if state == PostState.REMOVED_BY_MODERATOR else BODY)
    assert exported["removed_by_author"] is (state == PostState.REMOVED_BY_AUTHOR)
