"""Search finds exactly the posts each kind of viewer may read: every post state in every topic
state, on a public and a members-only board, for a visitor, a member, the topic's and the
reply's authors, a moderator and a member who blocked the reply's author."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.urls import reverse

from accounts.actions.blocking import block_member
from accounts.actions.roles import grant_moderator
from forum.models import Post, PostState, Topic, TopicState
from forum.permissions.posts import filter_visible_posts
from forum.selectors.search import search
from tests.factories import general_board, make_member, make_post, make_topic

pytestmark = pytest.mark.django_db

WORD = "serenity"
VIEWERS = ("visitor", "member", "topic_author", "reply_author", "moderator", "blocker")


def skip_post_ids(count: int) -> None:
    """Leave a gap in the post ids (PostgreSQL), so the posts lie in many blocks of ids and a
    search reads both its newest blocks and the older posts."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('forum_post', 'id'), "
            "nextval(pg_get_serial_sequence('forum_post', 'id')) + %s)",
            [count],
        )


@pytest.fixture
def world():
    people = {name: make_member(username=name.title().replace("_", "")) for name in VIEWERS[1:]}
    grant_moderator(member=people["moderator"])
    block_member(blocker=people["blocker"], blocked=people["reply_author"])
    for topic_state in list(TopicState)[::-1]:
        for slug in ("starting-again", "general-support"):
            topic = make_topic(
                general_board(slug),
                author=people["topic_author"],
                title=f"A {topic_state} topic",
                body=f"The opening {WORD}.",
            )
            for post_state in PostState:
                make_post(topic, author=people["reply_author"], body=f"A {post_state} {WORD}.")
                Post.objects.filter(topic=topic, body__startswith=f"A {post_state} ").update(
                    state=post_state
                )
            Topic.objects.filter(pk=topic.pk).update(state=topic_state)
            skip_post_ids(1_500)
    people["visitor"] = AnonymousUser()
    return people


def readable(viewer) -> set[int]:
    """The rule, said row by row: the text is published or the viewer's own waiting post, in a
    topic published or the viewer's own waiting one, on a board the viewer may open."""

    def own(item) -> bool:
        return viewer.is_authenticated and item.author_id == viewer.pk

    return {
        post.pk
        for post in Post.objects.select_related("topic__board")
        if (post.state == PostState.PUBLISHED or (post.state == PostState.PENDING and own(post)))
        and (
            post.topic.state == TopicState.PUBLISHED
            or (post.topic.state == TopicState.PENDING and own(post.topic))
        )
        and (post.topic.board.is_public or viewer.is_authenticated)
    }


def found(viewer) -> set[int]:
    page, ids = 1, []
    while True:
        results = search(WORD, viewer, page=page)
        ids += [result.post.pk for result in results.object_list]
        if not results.has_next:
            return set(ids)
        page += 1


@pytest.mark.parametrize("viewer", VIEWERS)
def test_search_and_the_rule_find_what_the_viewer_may_read(world, viewer):
    expected = readable(world[viewer])

    assert found(world[viewer]) == expected
    assert (
        set(filter_visible_posts(Post.objects.all(), world[viewer]).values_list("pk", flat=True))
        == expected
    )
    assert expected  # every viewer reads something: the comparison is not of two empty sets


@pytest.mark.parametrize("viewer", ["member", "reply_author", "visitor"])
def test_only_the_newest_matches_are_ranked(world, viewer, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the SQLite fallback lists every match")
    monkeypatch.setattr("forum.selectors.search.RANKED_CANDIDATES", 3)

    assert found(world[viewer]) == set(sorted(readable(world[viewer]))[-3:])


@pytest.mark.parametrize(
    "plan", ["enable_bitmapscan", "enable_indexscan", "enable_hashjoin", "enable_nestloop"]
)
def test_search_finds_the_same_whatever_plan_postgres_chooses(world, plan):
    if connection.vendor != "postgresql":
        pytest.skip("query plans are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(f"SET {plan} = off")
    try:
        for viewer in VIEWERS:
            assert found(world[viewer]) == readable(world[viewer]), viewer
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"RESET {plan}")


@pytest.mark.parametrize("viewer", ["visitor", "member", "reply_author", "blocker"])
def test_the_search_page_links_every_readable_post_once(client, world, viewer):
    if viewer != "visitor":
        client.force_login(world[viewer])

    html = client.get(reverse("forum:search"), {"q": WORD}).content.decode()

    expected = readable(world[viewer])
    assert len(expected) <= 20
    assert {
        pk for pk in Post.objects.values_list("pk", flat=True) if f'href="/p/{pk}/"' in html
    } == expected


def test_a_query_of_stop_words_finds_nothing(world):
    if connection.vendor != "postgresql":
        pytest.skip("stop words are PostgreSQL's")

    assert search("the", world["member"]).object_list == []
