"""Scene-setting for moderation tests: topics, posts and chat messages written straight to the
database (the write paths under test go through the actions and views)."""

from __future__ import annotations

import itertools

from django.utils import timezone

from accounts.models import Mentorship
from forum.markup import render_markdown
from forum.models import Board, ChatMessage, Post, Room, Topic
from tests.factories import MemberFactory

_slugs = itertools.count(1)


def board(slug: str = "general-support") -> Board:
    return Board.objects.get(slug=slug)


def make_topic(
    *,
    author=None,
    title="Finding my feet this week",
    body="Some days are easier.",
    board_slug="general-support",
    **extra,
) -> Topic:
    author = author or MemberFactory()
    now = timezone.now()
    topic = Topic.objects.create(
        board=board(board_slug),
        title=title,
        author=author,
        created_at=now,
        last_activity_at=now,
        **extra,
    )
    post = Post.objects.create(
        topic=topic,
        author=author,
        number=1,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
    )
    topic.last_post = post
    topic.save(update_fields=["last_post"])
    return topic


def make_post(topic: Topic, *, author=None, body="Thank you for writing this.", **extra) -> Post:
    author = author or MemberFactory()
    number = (topic.posts.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    post = Post.objects.create(
        topic=topic,
        author=author,
        number=number,
        body=body,
        body_html=render_markdown(body),
        created_at=timezone.now(),
        **extra,
    )
    if post.state != "pending":
        Topic.objects.filter(pk=topic.pk).update(
            reply_count=topic.posts.count() - 1, last_post=post
        )
        topic.refresh_from_db()
    return post


def make_room(**extra) -> Room:
    n = next(_slugs)
    extra.setdefault("title", f"Moderation room {n}")
    extra.setdefault("slug", f"moderation-room-{n}")
    return Room.objects.create(**extra)


def make_private_room(*, mentor=None, mentee=None) -> Room:
    mentorship = Mentorship.objects.create(
        mentor=mentor or MemberFactory(current_step=12), mentee=mentee or MemberFactory()
    )
    return make_room(mentorship=mentorship)


def make_message(room: Room, author, *, body: str = "Hello everyone", **extra) -> ChatMessage:
    room.refresh_from_db(fields=["last_seq"])
    seq = room.last_seq + 1
    Room.objects.filter(pk=room.pk).update(last_seq=seq)
    room.last_seq = seq
    return ChatMessage.objects.create(room=room, seq=seq, author=author, body=body, **extra)
