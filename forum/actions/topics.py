"""Starting topics (the only way a topic comes to exist), and the verbs moderation uses on them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from forum import ratelimits
from forum.actions.drafts import discard_draft
from forum.actions.posts import (
    PostingError,
    approve_post,
    check_post_rate,
    clean_body,
    clean_content_note,
    clean_title,
    hold_post,
    publish_post,
    record_post,
    refresh_search_vector,
    release_post,
    write_limits,
)
from forum.actions.reading import mark_topic_read
from forum.actions.safety import record_post_screening, screen_post
from forum.caching import invalidate_visitor_pages_on_commit
from forum.markup import render_markdown
from forum.models import Board, Post, PostState, TargetKind, Topic, TopicState
from forum.models.following import topic_draft_key
from forum.permissions.posts import check_can_start_topic

DIRECTIVE_PHRASES = (
    "you should",
    "you shouldn't",
    "you should not",
    "you need to",
    "you must",
    "you have to",
    "you've got to",
    "you ought to",
    "you'd better",
    "you had better",
    "do what i did",
)


def tells_others_what_to_do(text: str) -> bool:
    """A gentle nudge for shares: carrying the message is one's own experience, not advice."""
    lowered = " ".join((text or "").lower().replace("\u2019", "'").split())
    return any(phrase in lowered for phrase in DIRECTIVE_PHRASES)


@dataclass(frozen=True)
class CleanTopic:
    title: str
    body: str
    content_note: str


def check_create_topic(
    *, author, board: Board, kind: str, title: str, body: str, content_note: str = ""
) -> CleanTopic:
    check_can_start_topic(author, board=board, kind=kind)
    clean = CleanTopic(
        title=clean_title(title),
        body=clean_body(body),
        content_note=clean_content_note(content_note),
    )
    limit = write_limits(author).topics
    if ratelimits.is_limited(
        "topic",
        author.pk,
        limit,
        recent=ratelimits.writes_since(Topic.objects.filter(author=author)),
    ):
        raise PostingError(
            f"You can start {limit.count} topics an hour. Please try again later, "
            "or add to a topic that is already open."
        )
    check_post_rate(author)
    return clean


@transaction.atomic
def do_create_topic(
    *,
    author,
    board: Board,
    kind: str,
    title: str,
    body: str,
    content_note: str,
    is_anonymous: bool,
) -> Topic:
    # Moderation (issue 6): blocked words refuse, new members and review words wait for approval.
    verdict = screen_post(author=author, title=title, body=body)
    now = timezone.now()
    topic = Topic.objects.create(
        board=board,
        kind=kind,
        title=title,
        author=author,
        is_anonymous=is_anonymous,
        content_note=content_note,
        created_at=now,
        last_activity_at=now,
        state=TopicState.PENDING if verdict.pending else TopicState.PUBLISHED,
    )
    post = Post.objects.create(
        topic=topic,
        author=author,
        number=1,
        body=body,
        body_html=render_markdown(body),
        is_anonymous=is_anonymous,
        content_note=content_note,
        created_at=now,
        state=PostState.PENDING if verdict.pending else PostState.PUBLISHED,
        published_at=None if verdict.pending else now,
    )
    topic.last_post = post
    topic.save(update_fields=["last_post"])
    record_post_screening(
        verdict=verdict, author=author, kind=TargetKind.TOPIC, target_id=topic.pk, text=body
    )
    topic.safety = verdict
    refresh_search_vector(post, title=title)
    invalidate_visitor_pages_on_commit()
    mark_topic_read(member=author, topic=topic, up_to_number=1)
    discard_draft(member=author, key=topic_draft_key(board.slug, kind))
    ratelimits.record("topic", author.pk, write_limits(author).topics)
    record_post(author)
    if not verdict.pending:
        publish_post(post=post)
    return topic


def create_topic(
    *,
    author,
    board: Board,
    kind: str,
    title: str,
    body: str,
    content_note: str = "",
    is_anonymous: bool = False,
) -> Topic:
    """Start a topic with its opening post.

    Raises ShareNotAllowed (below Step 12, kind "message"), WritingNotAllowed or PostingError;
    nothing is stored then.
    """
    clean = check_create_topic(
        author=author,
        board=board,
        kind=kind,
        title=title,
        body=body,
        content_note=content_note,
    )
    return do_create_topic(
        author=author,
        board=board,
        kind=kind,
        title=clean.title,
        body=clean.body,
        content_note=clean.content_note,
        is_anonymous=bool(is_anonymous),
    )


# Moderation verbs: idempotent, each answers whether anything changed -------------------------


def _opening(topic: Topic) -> Post | None:
    return Post.objects.select_related("topic").filter(topic_id=topic.pk, number=1).first()


def hold_topic(*, topic: Topic) -> bool:
    """The opening post is held out of sight until a moderator reviews it."""
    opening = _opening(topic)
    return opening is not None and hold_post(post=opening)


def release_topic(*, topic: Topic) -> bool:
    opening = _opening(topic)
    return opening is not None and release_post(post=opening)


def _set_state(topic: Topic, *, from_state: str, to: str) -> bool:
    """Move the topic to ``to`` if it is in ``from_state``; whether it moved."""
    changed = bool(Topic.objects.filter(pk=topic.pk, state=from_state).update(state=to))
    if changed:
        topic.state = to
    return changed


@transaction.atomic
def hide_topic(*, topic: Topic) -> bool:
    """A waiting topic is approved or rejected instead; a held opening post is let go, as the
    whole topic is out of sight."""
    changed = _set_state(topic, from_state=TopicState.PUBLISHED, to=TopicState.HIDDEN)
    return release_topic(topic=topic) or changed


@transaction.atomic
def unhide_topic(*, topic: Topic) -> bool:
    changed = _set_state(topic, from_state=TopicState.HIDDEN, to=TopicState.PUBLISHED)
    return release_topic(topic=topic) or changed


def remove_topic(*, topic: Topic) -> bool:
    """The topic and every post in it go for good."""
    deleted, _ = Topic.objects.filter(pk=topic.pk).delete()
    return bool(deleted)


@transaction.atomic
def approve_topic(*, topic: Topic) -> bool:
    """A waiting topic is published with its opening post (which notifies its @mentions)."""
    changed = _set_state(topic, from_state=TopicState.PENDING, to=TopicState.PUBLISHED)
    opening = _opening(topic)
    if opening is not None:
        changed = approve_post(post=opening) or changed
    return changed
