"""Writing posts: replies, edits and removal by the author. Every post write goes through here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import F, Max, TextField, Value
from django.utils import timezone

from forum import ratelimits
from forum.actions.drafts import discard_draft
from forum.actions.notifications import notify_post_published
from forum.actions.reading import mark_topic_read
from forum.caching import invalidate_visitor_pages_on_commit
from forum.errors import PostingError
from forum.markup import render_markdown
from forum.models import Post, PostRevision, PostState, Topic, TopicState
from forum.models.boards import CONTENT_NOTE_MAX_LENGTH, TITLE_MAX_LENGTH, TITLE_MIN_LENGTH
from forum.models.following import reply_draft_key
from forum.models.posts import (
    BODY_MAX_LENGTH,
    HIDEABLE_POST_STATES,
    UNHIDEABLE_POST_STATES,
)
from forum.permissions.posts import (
    check_can_delete_post,
    check_can_edit_post,
    check_can_reply,
)

SEARCH_CONFIG = "english"


# Validation shared with topics --------------------------------------------------------------


def clean_title(title: str) -> str:
    title = (title or "").strip()
    if "\x00" in title:
        raise PostingError("The title contains a character we cannot store.", field="title")
    if len(title) < TITLE_MIN_LENGTH:
        raise PostingError(
            f"Please write a title of at least {TITLE_MIN_LENGTH} characters.", field="title"
        )
    if len(title) > TITLE_MAX_LENGTH:
        raise PostingError(
            f"Please keep the title to {TITLE_MAX_LENGTH} characters or fewer.", field="title"
        )
    return title


def clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n")
    if "\x00" in body:
        raise PostingError("The text contains a character we cannot store.", field="body")
    if not body.strip():
        raise PostingError("Please write something before posting.", field="body")
    if len(body) > BODY_MAX_LENGTH:
        raise PostingError(
            f"Please keep a post to {BODY_MAX_LENGTH:,} characters or fewer.", field="body"
        )
    return body


def clean_content_note(note: str) -> str:
    note = (note or "").strip()
    if "\x00" in note:
        raise PostingError("The note contains a character we cannot store.", field="content_note")
    if len(note) > CONTENT_NOTE_MAX_LENGTH:
        raise PostingError(
            f"Please keep the content note to {CONTENT_NOTE_MAX_LENGTH} characters or fewer.",
            field="content_note",
        )
    return note


# Rate limits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WriteLimits:
    topics: ratelimits.Limit
    posts: ratelimits.Limit


def is_first_day(member, *, now=None) -> bool:
    return member.date_joined > (now or timezone.now()) - timedelta(days=1)


def write_limits(member) -> WriteLimits:
    """The numbers live in settings.HOMEGROUP; an account's first day gets the stricter ones."""
    conf = settings.HOMEGROUP
    if is_first_day(member):
        return WriteLimits(
            topics=ratelimits.Limit(conf["TOPICS_PER_HOUR_FIRST_DAY"], 3600),
            posts=ratelimits.Limit(1, conf["POST_INTERVAL_SECONDS_FIRST_DAY"]),
        )
    return WriteLimits(
        topics=ratelimits.Limit(conf["TOPICS_PER_HOUR"], 3600),
        posts=ratelimits.Limit(1, conf["POST_INTERVAL_SECONDS"]),
    )


def check_post_rate(member) -> None:
    limit = write_limits(member).posts
    if ratelimits.is_limited(
        "post",
        member.pk,
        limit,
        recent=ratelimits.writes_since(Post.objects.filter(author=member)),
    ):
        raise PostingError(
            f"You are posting very quickly. Please wait {limit.window_seconds} seconds "
            "and try again; your text is still here."
        )


def record_post(member) -> None:
    ratelimits.record("post", member.pk, write_limits(member).posts)


# Search --------------------------------------------------------------------------------------


def refresh_search_vector(post: Post, *, title: str = "") -> None:
    """Keep the GIN-indexed vectors in step with the text (PostgreSQL only).

    With a ``title`` (an opening post), the topic's own title vector is refreshed too, so the
    title stays findable whatever becomes of the opening post.
    """
    if connection.vendor != "postgresql":
        return
    title_vector = SearchVector(
        Value(title, output_field=TextField()), weight="A", config=SEARCH_CONFIG
    )
    vector = title_vector + SearchVector("body", weight="B", config=SEARCH_CONFIG)
    Post.objects.filter(pk=post.pk).update(search_vector=vector)
    if title:
        Topic.objects.filter(pk=post.topic_id).update(search_vector=title_vector)


# Replies -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanReply:
    body: str
    content_note: str


def check_create_reply(*, author, topic: Topic, body: str, content_note: str = "") -> CleanReply:
    check_can_reply(author, topic=topic)
    clean = CleanReply(body=clean_body(body), content_note=clean_content_note(content_note))
    check_post_rate(author)
    return clean


def do_create_reply(
    *, author, topic: Topic, body: str, content_note: str, is_anonymous: bool
) -> Post:
    from forum.actions.safety import record_post_screening, screen_post

    # Moderation (issue 6): blocked words refuse, new members and review words wait for approval.
    verdict = screen_post(author=author, body=body)
    now = timezone.now()
    with transaction.atomic():
        locked = Topic.objects.select_for_update().get(pk=topic.pk)
        if locked.is_locked:
            check_can_reply(author, topic=locked)
        last_number = locked.posts.aggregate(last=Max("number"))["last"] or 0
        post = Post.objects.create(
            topic=locked,
            author=author,
            number=last_number + 1,
            body=body,
            body_html=render_markdown(body),
            is_anonymous=is_anonymous,
            content_note=content_note,
            created_at=now,
            state=PostState.PENDING if verdict.pending else PostState.PUBLISHED,
            published_at=None if verdict.pending else now,
        )
        if not verdict.pending:  # a waiting post counts once a moderator approves it
            Topic.objects.filter(pk=locked.pk).update(
                reply_count=F("reply_count") + 1, last_activity_at=now, last_post=post
            )
        refresh_search_vector(post)
        mark_topic_read(member=author, topic=locked, up_to_number=post.number)
        discard_draft(member=author, key=reply_draft_key(locked.pk))
        record_post_screening(
            verdict=verdict, author=author, kind="post", target_id=post.pk, text=body
        )
        invalidate_visitor_pages_on_commit()
    record_post(author)
    post.safety = verdict
    if not verdict.pending:
        publish_post(post=post)
        topic.reply_count = locked.reply_count + 1
        topic.last_activity_at = now
        topic.last_post = post
    return post


def create_reply(
    *, author, topic: Topic, body: str, content_note: str = "", is_anonymous: bool = False
) -> Post:
    """Reply to a topic of either kind. Raises PostingError or PermissionDenied; stores nothing then."""
    clean = check_create_reply(author=author, topic=topic, body=body, content_note=content_note)
    return do_create_reply(
        author=author,
        topic=topic,
        body=clean.body,
        content_note=clean.content_note,
        is_anonymous=bool(is_anonymous),
    )


# Editing and removing ------------------------------------------------------------------------


def keep_revision(post: Post, *, replaced_by, now) -> PostRevision:
    """Keep the version a post had before an edit (its author's or a moderator's)."""
    return PostRevision.objects.create(
        post=post,
        title=post.topic.title if post.is_opening else "",
        body=post.body,
        content_note=post.content_note,
        written_at=post.edited_at or post.created_at,
        replaced_at=now,
        replaced_by=replaced_by,
    )


def edit_post(
    *, editor, post: Post, body: str, content_note: str = "", title: str | None = None
) -> Post:
    """Change one's own post; the previous version is kept (moderators only) and it shows "edited".

    ``title`` changes the topic title and only applies to a topic's opening post.
    """
    check_can_edit_post(editor, post=post)
    body = clean_body(body)
    content_note = clean_content_note(content_note)
    topic = post.topic
    new_title = clean_title(title) if (title is not None and post.is_opening) else None
    unchanged = body == post.body and content_note == post.content_note
    if unchanged and (new_title is None or new_title == topic.title):
        return post
    from forum.actions.safety import record_edit_screening, screen_edit

    screening = screen_edit(title=new_title or "", body=body)  # moderation (issue 6)
    now = timezone.now()
    with transaction.atomic():
        keep_revision(post, replaced_by=editor, now=now)
        post.body = body
        post.body_html = render_markdown(body)
        post.content_note = content_note
        post.edited_at = now
        post.edited_by_moderator = False
        post.save(
            update_fields=["body", "body_html", "content_note", "edited_at", "edited_by_moderator"]
        )
        if post.is_opening:
            topic.content_note = content_note
            fields = ["content_note"]
            if new_title is not None:
                topic.title = new_title
                fields.append("title")
            topic.save(update_fields=fields)
        refresh_search_vector(post, title=topic.title if post.is_opening else "")
        record_edit_screening(screening=screening, post=post)
        invalidate_visitor_pages_on_commit()
    return post


def delete_own_post(*, member, post: Post) -> Post:
    """The post shows "removed by its author"; replies stay. The text is kept for moderators."""
    check_can_delete_post(member, post=post)
    post.state = PostState.REMOVED_BY_AUTHOR
    post.save(update_fields=["state"])
    invalidate_visitor_pages_on_commit()
    return post


# Publishing and moderation verbs --------------------------------------------------------------
# Each verb is idempotent and answers whether anything changed; moderation checks who may act
# and writes the audit entry, these only change the post.


def publish_post(*, post: Post) -> list:
    """A post became visible to others, on creation or on approval: the one place that tells
    the topic's author and the members it @mentions."""
    return notify_post_published(post=post)


def _count_published_reply(post: Post) -> None:
    """A reply that waited counts on its topic (replies, last activity) once it is published."""
    topic = Topic.objects.select_for_update().get(pk=post.topic_id)
    last_number = Post.objects.filter(pk=topic.last_post_id).values_list("number", flat=True)
    changes = {"reply_count": F("reply_count") + 1, "last_activity_at": timezone.now()}
    if not last_number or last_number[0] < post.number:
        changes["last_post"] = post
    Topic.objects.filter(pk=topic.pk).update(**changes)


def _set_state(post: Post, *, from_states, to: str, **changes) -> bool:
    """Move the post to ``to`` if it is in one of ``from_states``; whether it moved."""
    changed = bool(
        Post.objects.filter(pk=post.pk, state__in=from_states).update(state=to, **changes)
    )
    if changed:
        post.state = to
        for name, value in changes.items():
            setattr(post, name, value)
    return changed


@transaction.atomic
def approve_post(*, post: Post) -> bool:
    """A waiting (or held) post is published; its topic too if it is the opening post."""
    was_pending = _set_state(
        post, from_states=[PostState.PENDING], to=PostState.PUBLISHED, published_at=timezone.now()
    )
    if not (was_pending or release_post(post=post)):
        return False
    if post.is_opening:
        Topic.objects.filter(pk=post.topic_id, state=TopicState.PENDING).update(
            state=TopicState.PUBLISHED
        )
    elif was_pending:
        _count_published_reply(post)
    if was_pending:
        publish_post(post=post)
    invalidate_visitor_pages_on_commit()
    return True


def hold_post(*, post: Post) -> bool:
    """Out of sight until a moderator reviews it (reports reached the threshold, a review word)."""
    return _set_state(post, from_states=[PostState.PUBLISHED], to=PostState.HELD)


def release_post(*, post: Post) -> bool:
    return _set_state(post, from_states=[PostState.HELD], to=PostState.PUBLISHED)


def hide_post(*, post: Post) -> bool:
    return _set_state(post, from_states=HIDEABLE_POST_STATES, to=PostState.HIDDEN)


def unhide_post(*, post: Post) -> bool:
    return _set_state(post, from_states=UNHIDEABLE_POST_STATES, to=PostState.PUBLISHED)


@transaction.atomic
def remove_post(*, post: Post) -> bool:
    """Remove the text for good (it may hold someone's personal information); the post keeps
    its place in the topic as "removed by a moderator" and no earlier version is kept."""
    PostRevision.objects.filter(post=post).delete()
    return reject_post(post=post)


def reject_post(*, post: Post) -> bool:
    """A waiting reply is never published: it keeps no text (any other post may be removed the
    same way; ``remove_post`` also drops its earlier versions)."""
    return _set_state(
        post,
        from_states=[s for s in PostState if s != PostState.REMOVED_BY_MODERATOR],
        to=PostState.REMOVED_BY_MODERATOR,
        body="",
        body_html="",
    )
