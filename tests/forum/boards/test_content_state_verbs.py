"""The verbs that move a post or topic between states: each is idempotent, answers whether
anything changed, and leaves alone a state it does not apply to."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.actions import posts, topics
from forum.models import Post, PostState, Topic, TopicState
from forum.permissions.posts import can_delete_post, can_edit_post
from tests.factories import make_post, make_topic

pytestmark = pytest.mark.django_db

P = PostState
POST_MOVES = [
    # verb, from, to (the same state: nothing changes)
    ("hold_post", P.PUBLISHED, P.HELD),
    ("hold_post", P.HELD, P.HELD),
    ("hold_post", P.PENDING, P.PENDING),
    ("hold_post", P.HIDDEN, P.HIDDEN),
    ("release_post", P.HELD, P.PUBLISHED),
    ("release_post", P.PUBLISHED, P.PUBLISHED),
    ("hide_post", P.PUBLISHED, P.HIDDEN),
    ("hide_post", P.HELD, P.HIDDEN),
    ("hide_post", P.HIDDEN, P.HIDDEN),
    ("hide_post", P.PENDING, P.PENDING),
    ("hide_post", P.REMOVED_BY_AUTHOR, P.REMOVED_BY_AUTHOR),
    ("unhide_post", P.HIDDEN, P.PUBLISHED),
    ("unhide_post", P.HELD, P.PUBLISHED),
    ("unhide_post", P.PUBLISHED, P.PUBLISHED),
    ("unhide_post", P.REMOVED_BY_AUTHOR, P.REMOVED_BY_AUTHOR),
    ("approve_post", P.PENDING, P.PUBLISHED),
    ("approve_post", P.HELD, P.PUBLISHED),
    ("approve_post", P.PUBLISHED, P.PUBLISHED),
    ("approve_post", P.HIDDEN, P.HIDDEN),
    ("remove_post", P.PUBLISHED, P.REMOVED_BY_MODERATOR),
    ("remove_post", P.REMOVED_BY_AUTHOR, P.REMOVED_BY_MODERATOR),
    ("remove_post", P.REMOVED_BY_MODERATOR, P.REMOVED_BY_MODERATOR),
    ("reject_post", P.PENDING, P.REMOVED_BY_MODERATOR),
]


def _move_id(verb: str, before: str, after: str) -> str:
    if before == after:
        return f"{verb} leaves a {before} post as it is"
    return f"{verb} turns a {before} post {after}"


@pytest.mark.parametrize(
    ("verb", "before", "after"),
    [pytest.param(*move, id=_move_id(*move)) for move in POST_MOVES],
)
def test_a_post_verb(verb, before, after):
    reply = make_post(make_topic(), body="Holding on today.")
    Post.objects.filter(pk=reply.pk).update(state=before)
    reply.refresh_from_db()

    changed = getattr(posts, verb)(post=reply)

    assert changed is (before != after)
    assert Post.objects.get(pk=reply.pk).state == reply.state == after


def test_a_removed_post_keeps_no_text():
    reply = make_post(make_topic(), body="My full name is in here.")

    posts.remove_post(post=reply)

    assert Post.objects.filter(pk=reply.pk, body="", body_html="").exists()


def test_an_approved_waiting_reply_counts_on_its_topic_once():
    topic = make_topic()
    reply = make_post(topic)
    Post.objects.filter(pk=reply.pk).update(state=PostState.PENDING, published_at=None)
    Topic.objects.filter(pk=topic.pk).update(reply_count=0)
    reply.refresh_from_db()

    posts.approve_post(post=reply)
    posts.approve_post(post=reply)

    assert Topic.objects.get(pk=topic.pk).reply_count == 1


def test_approving_a_waiting_reply_records_when_it_was_published():
    reply = make_post(make_topic(), state=PostState.PENDING)
    assert reply.published_at is None

    posts.approve_post(post=reply)

    assert Post.objects.get(pk=reply.pk).published_at == reply.published_at is not None


def test_releasing_a_held_reply_keeps_when_it_was_first_published():
    reply = make_post(make_topic(), created_at=timezone.now() - timedelta(days=3))
    Post.objects.filter(pk=reply.pk).update(state=PostState.HELD)

    posts.approve_post(post=reply)

    assert Post.objects.get(pk=reply.pk).published_at == reply.created_at


def test_an_approved_held_reply_is_not_counted_again():
    topic = make_topic(replies=1)
    reply = topic.posts.get(number=2)
    Post.objects.filter(pk=reply.pk).update(state=PostState.HELD)

    posts.approve_post(post=reply)

    assert Topic.objects.get(pk=topic.pk).reply_count == 1


def test_a_member_removing_their_own_post_marks_it_removed_by_its_author(member):
    reply = make_post(make_topic(), author=member)

    posts.delete_own_post(member=member, post=reply)

    assert Post.objects.get(pk=reply.pk).state == PostState.REMOVED_BY_AUTHOR


T = TopicState
TOPIC_MOVES = [
    ("hide_topic", T.PUBLISHED, T.HIDDEN),
    ("hide_topic", T.HIDDEN, T.HIDDEN),
    ("hide_topic", T.PENDING, T.PENDING),
    ("unhide_topic", T.HIDDEN, T.PUBLISHED),
    ("unhide_topic", T.PUBLISHED, T.PUBLISHED),
    ("approve_topic", T.PENDING, T.PUBLISHED),
    ("approve_topic", T.PUBLISHED, T.PUBLISHED),
]


@pytest.mark.parametrize(
    ("verb", "before", "after"),
    [pytest.param(*move, id=_move_id(*move).replace("post", "topic")) for move in TOPIC_MOVES],
)
def test_a_topic_verb(verb, before, after):
    topic = make_topic()
    Topic.objects.filter(pk=topic.pk).update(state=before)
    topic.refresh_from_db()

    changed = getattr(topics, verb)(topic=topic)

    assert changed is (before != after)
    assert Topic.objects.get(pk=topic.pk).state == after


def test_approving_a_waiting_topic_publishes_its_opening_post():
    topic = make_topic()
    Topic.objects.filter(pk=topic.pk).update(state=TopicState.PENDING)
    topic.posts.update(state=PostState.PENDING, published_at=None)
    topic.refresh_from_db()

    topics.approve_topic(topic=topic)

    assert topic.posts.get().state == PostState.PUBLISHED


def test_hiding_a_topic_lets_go_of_its_held_opening_post():
    topic = make_topic()
    topic.posts.update(state=PostState.HELD)

    topics.hide_topic(topic=topic)

    assert topic.posts.get().state == PostState.PUBLISHED


EDITABLE = {P.PUBLISHED, P.PENDING, P.HELD}
DELETABLE = {P.PUBLISHED, P.PENDING, P.HELD, P.HIDDEN}


@pytest.mark.parametrize(
    "state",
    [
        pytest.param(
            state,
            id=f"the author {'may' if state in EDITABLE else 'may not'} edit a {state} post",
        )
        for state in PostState
    ],
)
def test_the_author_editing_their_post(member, state):
    reply = make_post(make_topic(), author=member, state=state)

    assert can_edit_post(member, reply) is (state in EDITABLE)


@pytest.mark.parametrize(
    "state",
    [
        pytest.param(
            state,
            id=f"the author {'may' if state in DELETABLE else 'may not'} remove a {state} post",
        )
        for state in PostState
    ],
)
def test_the_author_removing_their_post(member, state):
    reply = make_post(make_topic(), author=member, state=state)

    assert can_delete_post(member, reply) is (state in DELETABLE)
