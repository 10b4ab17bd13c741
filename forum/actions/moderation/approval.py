"""The approval queue: a new member's first posts, and text with a "review" watched word.

Approving publishes through the same verb as posting without a wait (``publish_post`` /
``publish_message``), so the topic's author is told and @mentions fire.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from forum.actions import chat, posts, topics
from forum.actions.moderation.common import (
    Action,
    Target,
    actioned,
    clean_reason,
    open_reports,
    resolve_target,
    write_audit,
)
from forum.errors import ModerationError
from forum.models import AuditLogEntry, Report, TargetKind
from forum.permissions.moderation import check_can_moderate_content


def is_pending(target: Target) -> bool:
    """Waiting for approval: a new member's post or topic, or text with a review word."""
    if target.kind == TargetKind.MEMBER:
        return False
    if target.kind in (TargetKind.POST, TargetKind.TOPIC) and target.obj.is_pending:
        return True
    return (
        open_reports(target.kind, target.id)
        .filter(is_system=True, reason=Report.Reason.NEEDS_APPROVAL)
        .exists()
    )


def check_approval(*, moderator: User, target: Target, reason: str) -> str:
    check_can_moderate_content(moderator)
    if not is_pending(target):
        raise ModerationError("This is not waiting for approval.")
    return clean_reason(reason)


APPROVE = {
    TargetKind.TOPIC: lambda t: topics.approve_topic(topic=t.obj),
    TargetKind.POST: lambda t: posts.approve_post(post=t.obj),
    TargetKind.CHAT_MESSAGE: lambda t: chat.approve_message(message=t.obj),
}


def _reject_post(target: Target) -> bool:
    if target.obj.is_opening:
        return topics.remove_topic(topic=target.obj.topic)
    return posts.reject_post(post=target.obj)


REJECT = {
    TargetKind.TOPIC: lambda t: topics.remove_topic(topic=t.obj),
    TargetKind.POST: _reject_post,
    TargetKind.CHAT_MESSAGE: lambda t: chat.remove_message(message=t.obj),
}


@transaction.atomic
def do_approve(*, moderator: User, target: Target, reason: str) -> AuditLogEntry:
    APPROVE[target.kind](target)
    actioned(target, moderator, "Approved")
    return write_audit(moderator=moderator, action=Action.APPROVE, reason=reason, target=target)


def approve_item(*, moderator: User, kind: str, target_id: int, reason: str) -> AuditLogEntry:
    target = resolve_target(kind, target_id)
    reason = check_approval(moderator=moderator, target=target, reason=reason)
    return do_approve(moderator=moderator, target=target, reason=reason)


@transaction.atomic
def do_reject(*, moderator: User, target: Target, reason: str) -> AuditLogEntry:
    """The item is never published; a post keeps no text, a topic or message goes."""
    entry = write_audit(moderator=moderator, action=Action.REJECT, reason=reason, target=target)
    REJECT[target.kind](target)
    actioned(target, moderator, "Not published")
    return entry


def reject_item(*, moderator: User, kind: str, target_id: int, reason: str) -> AuditLogEntry:
    target = resolve_target(kind, target_id)
    reason = check_approval(moderator=moderator, target=target, reason=reason)
    return do_reject(moderator=moderator, target=target, reason=reason)
