"""The one factories module of the suite: members, topics and posts, chat rooms and messages,
mentors and mentorships, with sensible defaults.

Tests of a write path go through the actions and the views; these builders only set the scene,
written straight to the database, quickly and without rate limits, with the denormalized counters
kept consistent.
"""

from __future__ import annotations

import datetime
import itertools

import factory
from django.utils import timezone

from accounts.models import MentorProfile, MentorRequest, Mentorship, User
from forum.actions.posts import refresh_search_vector
from forum.markup import render_markdown
from forum.models import Board, ChatMessage, Post, Room, Topic, TopicKind

PASSWORD = "a-long-quiet-passphrase"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"Member{n:04d}")
    email = ""
    current_step = 1
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


# Boards, topics and posts --------------------------------------------------------------------


def general_board(slug: str = "general-support") -> Board:
    return Board.objects.get(slug=slug)


def step_board(number: int) -> Board:
    return Board.objects.get(step_id=number)


def make_post(
    topic: Topic,
    *,
    author=None,
    body: str = "Thank you for writing this.",
    created_at=None,
    **extra,
) -> Post:
    """The next post of the topic (by a new member unless ``author`` is given); one waiting for
    approval leaves the topic's counters alone, as the action does, and is not yet published."""
    author = author if author is not None else MemberFactory()
    created_at = created_at or timezone.now()
    if extra.get("state") != "pending":
        extra.setdefault("published_at", created_at)
    number = (topic.posts.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    post = Post.objects.create(
        topic=topic,
        author=author,
        number=number,
        body=body,
        body_html=render_markdown(body),
        created_at=created_at,
        **extra,
    )
    refresh_search_vector(post, title=topic.title if number == 1 else "")
    if post.state != "pending":
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
    created_at=None,
    **extra,
) -> Topic:
    """A topic with its opening post and ``replies`` replies; ``extra`` are Topic fields."""
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
        created_at=created_at,
        last_activity_at=created_at,
        **extra,
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
            created_at=created_at + datetime.timedelta(seconds=n + 1),
        )
    return topic


# Chat ----------------------------------------------------------------------------------------

_room_numbers = itertools.count(1)


def make_room(**extra) -> Room:
    n = next(_room_numbers)
    extra.setdefault("title", f"Test room {n}")
    extra.setdefault("slug", f"test-room-{n}")
    return Room.objects.create(**extra)


def make_message(
    room: Room, author, *, body: str = "Hello everyone", hidden: bool = False, **extra
) -> ChatMessage:
    """A message stored the way the action stores it; ``hidden``: held for review (hidden by
    nobody)."""
    room.refresh_from_db(fields=["last_seq"])
    seq = room.last_seq + 1
    Room.objects.filter(pk=room.pk).update(last_seq=seq)
    room.last_seq = seq
    if hidden:
        extra.setdefault("state", "held")
        extra.setdefault("hidden_at", timezone.now())
    return ChatMessage.objects.create(room=room, seq=seq, author=author, body=body, **extra)


# Mentoring -----------------------------------------------------------------------------------


def make_member(*, days: int = 60, step: int = 3, **kwargs) -> User:
    """A member whose account is ``days`` old (not a newcomer by default)."""
    return MemberFactory(date_joined=days_ago(days), current_step=step, **kwargs)


def make_newcomer(**kwargs) -> User:
    return MemberFactory(date_joined=days_ago(1), **kwargs)


def make_mentor(*, capacity: int = 3, paused: bool = False, focus=(), **kwargs) -> User:
    """An eligible mentor (Step 12, account 60 days old) who has opted in."""
    member = make_member(step=12, **kwargs)
    MentorProfile.objects.create(
        member=member,
        intro="Ten years on the road. I like Step 4 questions.",
        focus_steps=list(focus),
        capacity=capacity,
        is_paused=paused,
    )
    return member


def make_mentorship(mentor=None, mentee=None, *, with_room: bool = True, **kwargs) -> Mentorship:
    """A mentorship (a Step-12 mentor and a new mentee unless given), with its private room."""
    from forum.actions.chat import open_mentorship_room

    mentorship = Mentorship.objects.create(
        mentor=mentor or MemberFactory(current_step=12),
        mentee=mentee or MemberFactory(),
        **kwargs,
    )
    if with_room:
        open_mentorship_room(mentorship=mentorship)
    return mentorship


def make_private_room(*, mentor=None, mentee=None) -> Room:
    """A mentorship's private room, made directly (no room is opened for the mentorship)."""
    mentorship = make_mentorship(mentor, mentee, with_room=False)
    return make_room(mentorship=mentorship)


def make_request(mentee, mentor=None, message="Could you guide me through the steps?"):
    return MentorRequest.objects.create(mentee=mentee, mentor=mentor, message=message)


# Roles ---------------------------------------------------------------------------------------


def make_moderator(**kwargs) -> User:
    """A member given the moderator role the real way (the Moderators group's permissions)."""
    from accounts.actions.roles import grant_moderator

    moderator = MemberFactory(**kwargs)
    grant_moderator(member=moderator)
    return moderator


def make_admin(**kwargs) -> User:
    return MemberFactory(is_staff=True, is_superuser=True, **kwargs)
