"""Acting on content: hide, unhide, delete, edit; lock, pin and move a topic.

Each kind of content owns its own verbs (forum/actions/posts.py, topics.py, chat.py); these
check who may act, call the kind's verb, close the reports and write the audit entry.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from forum.actions import chat, meetings, posts, topics
from forum.actions.moderation.common import (
    CONTENT_KINDS,
    Action,
    Target,
    actioned,
    clean_reason,
    close_reports,
    resolve_target,
    tell_author,
    why_in_our_words,
    write_audit,
)
from forum.errors import ModerationError, PostingError
from forum.markup import render_markdown
from forum.models import AuditLogEntry, Board, Post, PostState, Report, TargetKind, Topic
from forum.permissions.moderation import check_can_moderate_content

Verb = Callable[[Target, User], bool]

HIDE: dict[str, Verb] = {
    TargetKind.TOPIC: lambda t, by: topics.hide_topic(topic=t.obj),
    TargetKind.POST: lambda t, by: posts.hide_post(post=t.obj),
    TargetKind.CHAT_MESSAGE: lambda t, by: chat.hide_message(message=t.obj, by=by),
    TargetKind.MEETING_SHARE: lambda t, by: meetings.hide_share(share=t.obj),
}
UNHIDE: dict[str, Verb] = {
    TargetKind.TOPIC: lambda t, by: topics.unhide_topic(topic=t.obj),
    TargetKind.POST: lambda t, by: posts.unhide_post(post=t.obj),
    TargetKind.CHAT_MESSAGE: lambda t, by: chat.unhide_message(message=t.obj, by=by),
    TargetKind.MEETING_SHARE: lambda t, by: meetings.unhide_share(share=t.obj),
}
REMOVE: dict[str, Verb] = {
    TargetKind.TOPIC: lambda t, by: topics.remove_topic(topic=t.obj),
    TargetKind.POST: lambda t, by: posts.remove_post(post=t.obj),
    TargetKind.CHAT_MESSAGE: lambda t, by: chat.remove_message(message=t.obj),
    TargetKind.MEETING_SHARE: lambda t, by: meetings.remove_share(share=t.obj),
}
HOLD: dict[str, Callable[[Target], bool]] = {
    TargetKind.TOPIC: lambda t: topics.hold_topic(topic=t.obj),
    TargetKind.POST: lambda t: posts.hold_post(post=t.obj),
    TargetKind.CHAT_MESSAGE: lambda t: chat.hold_message(message=t.obj),
}
RELEASE: dict[str, Callable[[Target], bool]] = {
    TargetKind.TOPIC: lambda t: topics.release_topic(topic=t.obj),
    TargetKind.POST: lambda t: posts.release_post(post=t.obj),
    TargetKind.CHAT_MESSAGE: lambda t: chat.release_message(message=t.obj),
}


def hold(target: Target) -> bool:
    """Out of sight until a moderator reviews it; False for a member or if already held."""
    verb = HOLD.get(target.kind)
    return bool(verb and verb(target))


def release(target: Target) -> bool:
    verb = RELEASE.get(target.kind)
    return bool(verb and verb(target))


def check_content_action(*, moderator: User, target: Target, reason: str) -> str:
    check_can_moderate_content(moderator)
    if target.kind not in CONTENT_KINDS:
        raise ModerationError("That action applies to topics, posts, chat and meeting shares.")
    return clean_reason(reason)


# Hide and unhide -----------------------------------------------------------------------------


@transaction.atomic
def do_hide(*, moderator: User, target: Target, reason: str) -> AuditLogEntry:
    if HIDE[target.kind](target, moderator):
        why = why_in_our_words(target.kind, target.id)
        tell_author(
            target,
            f"A moderator hid {target.label} you wrote, because {why}. Others no longer see it. "
            "Nobody is told who reported it.",
        )
    actioned(target, moderator, "Hidden")
    return write_audit(moderator=moderator, action=Action.HIDE, reason=reason, target=target)


def hide_item(*, moderator: User, kind: str, target_id: int, reason: str) -> AuditLogEntry:
    target = resolve_target(kind, target_id)
    reason = check_content_action(moderator=moderator, target=target, reason=reason)
    return do_hide(moderator=moderator, target=target, reason=reason)


@transaction.atomic
def do_unhide(*, moderator: User, target: Target, reason: str) -> AuditLogEntry:
    if UNHIDE[target.kind](target, moderator):
        tell_author(
            target, f"A moderator looked again: {target.label} you wrote is back for everyone."
        )
    close_reports(
        kind=target.kind,
        target_id=target.id,
        moderator=moderator,
        status=Report.Status.DISMISSED,
        outcome="Shown again",
    )
    return write_audit(moderator=moderator, action=Action.UNHIDE, reason=reason, target=target)


def unhide_item(*, moderator: User, kind: str, target_id: int, reason: str) -> AuditLogEntry:
    target = resolve_target(kind, target_id)
    reason = check_content_action(moderator=moderator, target=target, reason=reason)
    return do_unhide(moderator=moderator, target=target, reason=reason)


# Delete and edit -----------------------------------------------------------------------------


@transaction.atomic
def do_delete(*, moderator: User, target: Target, reason: str) -> AuditLogEntry:
    """Remove the text for good (it may hold someone's personal information).

    A post keeps its place in the topic as "removed by a moderator"; a topic or chat message
    goes entirely. The audit entry is written first so it can describe what went.
    """
    entry = write_audit(moderator=moderator, action=Action.DELETE, reason=reason, target=target)
    REMOVE[target.kind](target, moderator)
    actioned(target, moderator, "Deleted")
    return entry


def delete_item(*, moderator: User, kind: str, target_id: int, reason: str) -> AuditLogEntry:
    target = resolve_target(kind, target_id)
    reason = check_content_action(moderator=moderator, target=target, reason=reason)
    return do_delete(moderator=moderator, target=target, reason=reason)


def _opening_post(topic: Topic) -> Post | None:
    return Post.objects.select_related("topic").filter(topic=topic, number=1).first()


def check_edit(*, moderator: User, target: Target, body: str, title: str | None, reason: str):
    reason = check_content_action(moderator=moderator, target=target, reason=reason)
    if target.kind not in (TargetKind.POST, TargetKind.TOPIC):
        raise ModerationError("Chat messages and shares can be hidden or deleted, not edited.")
    post = target.obj if target.kind == TargetKind.POST else _opening_post(target.obj)
    if post is None or post.state == PostState.REMOVED_BY_MODERATOR:
        raise ModerationError("This post can no longer be edited.")
    try:
        body = posts.clean_body(body)
        title = posts.clean_title(title) if title is not None and post.is_opening else None
    except PostingError as error:
        raise ModerationError(error.message) from error
    return post, body, title, reason


@transaction.atomic
def do_edit(
    *, moderator: User, target: Target, post: Post, body: str, title: str | None, reason: str
) -> AuditLogEntry:
    """Change the text; the post shows "edited by a moderator" and the old version is kept."""
    now = timezone.now()
    topic = post.topic
    posts.keep_revision(post, replaced_by=moderator, now=now)
    Post.objects.filter(pk=post.pk).update(
        body=body, body_html=render_markdown(body), edited_at=now, edited_by_moderator=True
    )
    post.body = body
    if title is not None:
        Topic.objects.filter(pk=topic.pk).update(title=title)
    posts.refresh_search_vector(post, title=title or (topic.title if post.is_opening else ""))
    actioned(target, moderator, "Edited")
    return write_audit(moderator=moderator, action=Action.EDIT, reason=reason, target=target)


def edit_item(
    *,
    moderator: User,
    kind: str,
    target_id: int,
    body: str,
    reason: str,
    title: str | None = None,
) -> AuditLogEntry:
    target = resolve_target(kind, target_id)
    post, body, title, reason = check_edit(
        moderator=moderator, target=target, body=body, title=title, reason=reason
    )
    return do_edit(
        moderator=moderator, target=target, post=post, body=body, title=title, reason=reason
    )


# Topics: lock, pin, move ---------------------------------------------------------------------


def _topic_target(target: Target) -> Target:
    if target.kind == TargetKind.TOPIC:
        return target
    if target.kind == TargetKind.POST:
        return resolve_target(TargetKind.TOPIC, target.obj.topic_id)
    raise ModerationError("That action applies to topics.")


def check_topic_action(*, moderator: User, target: Target, reason: str) -> tuple[Target, str]:
    check_can_moderate_content(moderator)
    return _topic_target(target), clean_reason(reason)


TOPIC_FLAGS = {
    Action.LOCK: ("is_locked", True),
    Action.UNLOCK: ("is_locked", False),
    Action.PIN: ("is_pinned", True),
    Action.UNPIN: ("is_pinned", False),
}


@transaction.atomic
def do_topic_flag(*, moderator: User, target: Target, action: str, reason: str) -> AuditLogEntry:
    field, value = TOPIC_FLAGS[action]
    Topic.objects.filter(pk=target.id).update(**{field: value})
    actioned(target, moderator, AuditLogEntry.Action(action).label)
    return write_audit(moderator=moderator, action=action, reason=reason, target=target)


def set_topic_flag(
    *, moderator: User, kind: str, target_id: int, action: str, reason: str
) -> AuditLogEntry:
    """Lock, unlock, pin or unpin the topic (or the topic of a post)."""
    if action not in TOPIC_FLAGS:
        raise ModerationError("Unknown action.")
    target, reason = check_topic_action(
        moderator=moderator, target=resolve_target(kind, target_id), reason=reason
    )
    return do_topic_flag(moderator=moderator, target=target, action=action, reason=reason)


@transaction.atomic
def do_move(*, moderator: User, target: Target, board: Board, reason: str) -> AuditLogEntry:
    old_board = target.obj.board
    Topic.objects.filter(pk=target.id).update(board=board)
    actioned(target, moderator, "Moved")
    return write_audit(
        moderator=moderator,
        action=Action.MOVE,
        reason=reason,
        target=target,
        description=f"{target.description} from {old_board.name} to {board.name}",
    )


def move_topic(
    *, moderator: User, kind: str, target_id: int, board_id: int, reason: str
) -> AuditLogEntry:
    target, reason = check_topic_action(
        moderator=moderator, target=resolve_target(kind, target_id), reason=reason
    )
    board = Board.objects.filter(pk=board_id).first()
    if board is None:
        raise ModerationError("Choose a board to move the topic to.")
    if board.pk == target.obj.board_id:
        raise ModerationError("The topic is already on that board.")
    return do_move(moderator=moderator, target=target, board=board, reason=reason)
