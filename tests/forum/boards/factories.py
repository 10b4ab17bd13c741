"""Topics and posts with consistent denormalized counters, written straight to the database.

Tests of the write path go through the actions and the views; these factories only set the
scene, quickly and without rate limits.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from forum.actions.posts import refresh_search_vector
from forum.markup import render_markdown
from forum.models import Board, Post, Topic, TopicKind
from tests.factories import MemberFactory


def general_board(slug: str = "general-support") -> Board:
    return Board.objects.get(slug=slug)


def step_board(number: int) -> Board:
    return Board.objects.get(step_id=number)


def make_post(
    topic: Topic,
    *,
    author=None,
    body: str = "Thank you for writing this.",
    is_anonymous: bool = False,
    content_note: str = "",
    created_at=None,
    **extra,
) -> Post:
    created_at = created_at or timezone.now()
    number = (topic.last_post.number if topic.last_post_id else 0) + 1
    post = Post.objects.create(
        topic=topic,
        author=author,
        number=number,
        body=body,
        body_html=render_markdown(body),
        is_anonymous=is_anonymous,
        content_note=content_note,
        created_at=created_at,
        **extra,
    )
    refresh_search_vector(post, title=topic.title if number == 1 else "")
    if number > 1:
        topic.reply_count += 1
    topic.last_post = post
    topic.last_activity_at = created_at
    topic.save(update_fields=["reply_count", "last_post", "last_activity_at"])
    return post


def make_topic(
    board: Board | None = None,
    *,
    kind: str = TopicKind.HELPING,
    author=None,
    title: str = "Finding my feet this week",
    body: str = "Some days are easier than others.",
    replies: int = 0,
    reply_authors=None,
    is_anonymous: bool = False,
    content_note: str = "",
    is_locked: bool = False,
    is_pinned: bool = False,
    created_at=None,
) -> Topic:
    board = board or general_board()
    author = author if author is not None else MemberFactory()
    created_at = created_at or timezone.now()
    topic = Topic.objects.create(
        board=board,
        kind=kind,
        title=title,
        author=author,
        is_anonymous=is_anonymous,
        content_note=content_note,
        is_locked=is_locked,
        is_pinned=is_pinned,
        created_at=created_at,
        last_activity_at=created_at,
    )
    make_post(
        topic,
        author=author,
        body=body,
        is_anonymous=is_anonymous,
        content_note=content_note,
        created_at=created_at,
    )
    for n in range(replies):
        reply_author = reply_authors[n % len(reply_authors)] if reply_authors else MemberFactory()
        make_post(
            topic,
            author=reply_author,
            body=f"Reply number {n + 1}.",
            created_at=created_at + timedelta(seconds=n + 1),
        )
    return topic
