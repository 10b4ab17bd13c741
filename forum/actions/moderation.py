"""Every moderation write: reports, and the actions moderators take on content and members.

Each moderator action is a ``check_*`` (permission and state, no writes) and a ``do_*`` (the
writes, in one transaction, with exactly one audit log entry). Acting on an item closes its open
reports, and each reporter is told the outcome, never who else reported, and the reported member
is never told who reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import is_moderator
from forum.actions.safety import forget_lists
from forum.caching import invalidate_visitor_pages_on_commit
from forum.models import (
    AuditLogEntry,
    Board,
    ChatMessage,
    CrisisPhrase,
    NotificationKind,
    Post,
    PostRevision,
    Report,
    Room,
    TargetKind,
    Topic,
    WatchedWord,
)
from forum.permissions.moderation import (
    can_report,
    check_can_act_on_member,
    check_can_manage_safety_lists,
    check_can_moderate_content,
    check_can_moderate_members,
    check_can_review,
)
from forum.realtime.events import send_event_on_commit

SYSTEM_NAME = "Homegroup (automatic)"
REASON_MAX_LENGTH = 1000
NOTE_MAX_LENGTH = 1000
MAX_DURATION = timedelta(days=3650)
Action = AuditLogEntry.Action


class ModerationError(Exception):
    """A moderation request the rules refuse; the message is shown to the person as is."""


# Targets -------------------------------------------------------------------------------------


@dataclass
class Target:
    """One reportable item, resolved from its kind and id."""

    kind: str
    id: int
    obj: Any
    subject: User | None

    @property
    def label(self) -> str:
        """What a member reads about the item (no pseudonyms: the reporter is told this)."""
        return {
            TargetKind.TOPIC: "a topic",
            TargetKind.POST: "a post",
            TargetKind.CHAT_MESSAGE: "a chat message",
            TargetKind.MEMBER: "a member",
        }[self.kind]

    @property
    def description(self) -> str:
        """How the audit log names the item: kind, id and pseudonyms, never an email or IP."""
        author = self.subject.username if self.subject else "former member"
        obj = self.obj
        if self.kind == TargetKind.TOPIC:
            return f"topic #{self.id} \u201c{obj.title}\u201d by {author}"
        if self.kind == TargetKind.POST:
            return f"post #{self.id} by {author} in \u201c{obj.topic.title}\u201d"
        if self.kind == TargetKind.CHAT_MESSAGE:
            where = "a private mentorship room" if obj.room.is_private else obj.room.title
            return f"chat message #{self.id} by {author} in {where}"
        return f"member {author}"

    @property
    def moderation_url(self) -> str:
        return reverse("forum:moderation_item", kwargs={"kind": self.kind, "target_id": self.id})


def _load(kind: str, target_id: int) -> Any:
    if kind == TargetKind.TOPIC:
        return Topic.objects.select_related("board", "author").filter(pk=target_id).first()
    if kind == TargetKind.POST:
        return Post.objects.select_related("topic", "author").filter(pk=target_id).first()
    if kind == TargetKind.CHAT_MESSAGE:
        return (
            ChatMessage.objects.select_related("room", "room__mentorship", "author")
            .filter(pk=target_id)
            .first()
        )
    if kind == TargetKind.MEMBER:
        return User.objects.filter(pk=target_id).first()
    return None


def resolve_target(kind: str, target_id: int) -> Target:
    """The item, or Http404 for an unknown kind or id."""
    if kind not in TargetKind.values:
        raise Http404("Unknown kind of item.")
    obj = _load(kind, target_id)
    if obj is None:
        raise Http404("No such item.")
    subject = obj if kind == TargetKind.MEMBER else obj.author
    return Target(kind=kind, id=target_id, obj=obj, subject=subject)


# Shared helpers ------------------------------------------------------------------------------


def clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").replace("\x00", "").split())
    if not reason:
        raise ModerationError("Please give a reason: it goes into the audit log.")
    if len(reason) > REASON_MAX_LENGTH:
        raise ModerationError(f"Please keep the reason to {REASON_MAX_LENGTH} characters.")
    return reason


def clean_duration(duration: timedelta) -> timedelta:
    if duration <= timedelta(0):
        raise ModerationError("The duration must be longer than zero.")
    if duration > MAX_DURATION:
        raise ModerationError("That duration is too long; consider a ban instead.")
    return duration


def write_audit(
    *,
    moderator: User | None,
    action: str,
    reason: str,
    target: Target | None = None,
    member: User | None = None,
    description: str = "",
) -> AuditLogEntry:
    """Append one entry to the audit log. Call inside the action's transaction."""
    invalidate_visitor_pages_on_commit()
    if member is None and target is not None:
        member = target.subject
    return AuditLogEntry.objects.create(
        moderator=moderator,
        moderator_name=moderator.username if moderator else SYSTEM_NAME,
        action=action,
        target_kind=target.kind if target else "",
        target_id=target.id if target else None,
        target_description=(description or (target.description if target else ""))[:300],
        member=member,
        member_name=member.username if member else "",
        reason=reason,
    )


def open_reports(kind: str, target_id: int):
    return Report.objects.filter(status=Report.Status.OPEN, target_kind=kind, target_id=target_id)


OUTCOME_TEXT = {
    Report.Status.ACTIONED: "A moderator reviewed it and took action. Thank you for looking out "
    "for the group.",
    Report.Status.DISMISSED: "A moderator reviewed it and found nothing that needs to change. "
    "Thank you for looking out for the group all the same.",
}


def close_reports(
    *, kind: str, target_id: int, moderator: User | None, status: str, outcome: str
) -> int:
    """Close the item's open reports and tell each reporter the outcome (after commit)."""
    from forum.actions.notifications import notify

    reports = list(open_reports(kind, target_id).select_related("reporter"))
    now = timezone.now()
    for report in reports:
        report.status = status
        report.resolved_at = now
        report.resolved_by = moderator
        report.outcome = outcome[:200]
        report.save(update_fields=["status", "resolved_at", "resolved_by", "outcome"])
    label = Target(kind=kind, id=target_id, obj=None, subject=None).label
    told: set[int] = set()
    for report in reports:
        reporter = report.reporter
        if report.is_system or reporter is None or reporter.pk in told:
            continue
        told.add(reporter.pk)
        notify(
            recipient=reporter,
            kind=NotificationKind.REPORT_OUTCOME,
            text=f"Your report about {label}: {OUTCOME_TEXT[status]}",
        )
    return len(reports)


# Reports -------------------------------------------------------------------------------------


def check_report(
    *, reporter: User, kind: str, target_id: int, reason: str, note: str = ""
) -> Target:
    target = resolve_target(kind, target_id)
    if not can_report(reporter, target):
        raise Http404("No such item.")
    if reason not in Report.Reason.values or reason == Report.Reason.NEEDS_APPROVAL:
        raise ModerationError("Please choose a reason from the list.")
    if len(note or "") > NOTE_MAX_LENGTH:
        raise ModerationError(f"Please keep the note to {NOTE_MAX_LENGTH} characters.")
    if open_reports(kind, target_id).filter(reporter=reporter).exists():
        raise ModerationError(
            "You have already reported this, and a moderator will look at it. Thank you."
        )
    return target


def hide_threshold() -> int:
    return settings.HOMEGROUP["REPORT_HIDE_THRESHOLD"]


@transaction.atomic
def do_report(*, reporter: User, target: Target, reason: str, note: str = "") -> Report:
    try:
        with transaction.atomic():
            report = Report.objects.create(
                target_kind=target.kind,
                target_id=target.id,
                subject=target.subject,
                reporter=reporter,
                reason=reason,
                note=(note or "").replace("\x00", "").strip(),
            )
    except IntegrityError as duplicate:
        raise ModerationError(
            "You have already reported this, and a moderator will look at it. Thank you."
        ) from duplicate
    reporters = (
        open_reports(target.kind, target.id)
        .filter(is_system=False, reporter__isnull=False)
        .values("reporter")
        .distinct()
        .count()
    )
    if reporters >= hide_threshold() and _hold_for_review(target):
        write_audit(
            moderator=None,
            action=Action.HIDE,
            target=target,
            reason=f"Reported by {reporters} members: hidden until a moderator reviews it.",
        )
    return report


def report_item(
    *, reporter: User, kind: str, target_id: int, reason: str, note: str = ""
) -> Report:
    """Any member may report a topic, post, chat message or member, once while it is open."""
    target = check_report(
        reporter=reporter, kind=kind, target_id=target_id, reason=reason, note=note
    )
    return do_report(reporter=reporter, target=target, reason=reason, note=note)


def _hold_for_review(target: Target) -> bool:
    """Hide reported content until a moderator reviews it; False if nothing changed."""
    if target.kind == TargetKind.POST:
        return bool(
            Post.objects.filter(pk=target.id, is_held_for_review=False).update(
                is_held_for_review=True
            )
        )
    if target.kind == TargetKind.TOPIC:
        opening = Post.objects.filter(topic_id=target.id, number=1)
        return bool(opening.filter(is_held_for_review=False).update(is_held_for_review=True))
    if target.kind == TargetKind.CHAT_MESSAGE:
        message = target.obj
        changed = ChatMessage.objects.filter(pk=target.id, is_hidden=False).update(
            is_hidden=True, hidden_at=timezone.now(), hidden_by=None
        )
        if changed:
            _announce_hidden_message(message)
        return bool(changed)
    return False


def _announce_hidden_message(message: ChatMessage) -> None:
    from forum.realtime.protocol import room_group

    send_event_on_commit(
        room_group(message.room_id), {"type": "chat.hidden", "id": message.pk, "seq": message.seq}
    )


def _release_hold(target: Target) -> None:
    if target.kind == TargetKind.POST:
        Post.objects.filter(pk=target.id).update(is_held_for_review=False)
    elif target.kind == TargetKind.TOPIC:
        Post.objects.filter(topic_id=target.id, number=1).update(is_held_for_review=False)


# Dismiss -------------------------------------------------------------------------------------


def check_dismiss(*, moderator: User, kind: str, target_id: int, reason: str) -> str:
    check_can_review(moderator)
    if not open_reports(kind, target_id).exists():
        raise ModerationError("There are no open reports about this item.")
    return clean_reason(reason)


@transaction.atomic
def do_dismiss(*, moderator: User, kind: str, target_id: int, reason: str) -> AuditLogEntry:
    """Nothing needs to change: close the reports and lift an automatic hold."""
    try:
        target = resolve_target(kind, target_id)
    except Http404:
        target = None
    if target is not None:
        _release_hold(target)
        if kind == TargetKind.CHAT_MESSAGE and target.obj.hidden_by_id is None:
            ChatMessage.objects.filter(pk=target_id).update(is_hidden=False, hidden_at=None)
    close_reports(
        kind=kind,
        target_id=target_id,
        moderator=moderator,
        status=Report.Status.DISMISSED,
        outcome="No action needed",
    )
    return write_audit(
        moderator=moderator,
        action=Action.DISMISS,
        reason=reason,
        target=target,
        description="" if target else f"{kind} #{target_id} (no longer exists)",
    )


def dismiss_reports(*, moderator: User, kind: str, target_id: int, reason: str) -> AuditLogEntry:
    reason = check_dismiss(moderator=moderator, kind=kind, target_id=target_id, reason=reason)
    return do_dismiss(moderator=moderator, kind=kind, target_id=target_id, reason=reason)


# Content: hide, unhide, delete, edit ---------------------------------------------------------

CONTENT_KINDS = (TargetKind.TOPIC, TargetKind.POST, TargetKind.CHAT_MESSAGE)


def check_content_action(*, moderator: User, target: Target, reason: str) -> str:
    check_can_moderate_content(moderator)
    if target.kind not in CONTENT_KINDS:
        raise ModerationError("That action applies to topics, posts and chat messages.")
    return clean_reason(reason)


def _actioned(target: Target, moderator: User, outcome: str) -> None:
    close_reports(
        kind=target.kind,
        target_id=target.id,
        moderator=moderator,
        status=Report.Status.ACTIONED,
        outcome=outcome,
    )


@transaction.atomic
def do_hide(*, moderator: User, target: Target, reason: str) -> AuditLogEntry:
    if target.kind == TargetKind.POST:
        Post.objects.filter(pk=target.id).update(is_hidden=True, is_held_for_review=False)
    elif target.kind == TargetKind.TOPIC:
        Topic.objects.filter(pk=target.id).update(is_hidden=True)
        _release_hold(target)
    else:
        from forum.actions.chat import hide_message

        message = target.obj
        if message.is_hidden and message.hidden_by_id is None:
            ChatMessage.objects.filter(pk=message.pk).update(hidden_by=moderator)
        else:
            hide_message(message=message, by=moderator)
    _actioned(target, moderator, "Hidden")
    return write_audit(moderator=moderator, action=Action.HIDE, reason=reason, target=target)


def hide_item(*, moderator: User, kind: str, target_id: int, reason: str) -> AuditLogEntry:
    target = resolve_target(kind, target_id)
    reason = check_content_action(moderator=moderator, target=target, reason=reason)
    return do_hide(moderator=moderator, target=target, reason=reason)


@transaction.atomic
def do_unhide(*, moderator: User, target: Target, reason: str) -> AuditLogEntry:
    if target.kind == TargetKind.POST:
        Post.objects.filter(pk=target.id).update(is_hidden=False, is_held_for_review=False)
    elif target.kind == TargetKind.TOPIC:
        Topic.objects.filter(pk=target.id).update(is_hidden=False)
        _release_hold(target)
    else:
        from forum.actions.chat import unhide_message

        unhide_message(message=target.obj, by=moderator)
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


@transaction.atomic
def do_delete(*, moderator: User, target: Target, reason: str) -> AuditLogEntry:
    """Remove the text for good (it may hold someone's personal information).

    A post keeps its place in the topic as "removed by a moderator"; a topic or chat message
    goes entirely. The audit entry is written first so it can describe what went.
    """
    entry = write_audit(moderator=moderator, action=Action.DELETE, reason=reason, target=target)
    if target.kind == TargetKind.POST:
        post = target.obj
        PostRevision.objects.filter(post=post).delete()
        Post.objects.filter(pk=post.pk).update(
            removed_by_moderator=True,
            is_held_for_review=False,
            is_pending_approval=False,
            body="",
            body_html="",
        )
    elif target.kind == TargetKind.TOPIC:
        Topic.objects.filter(pk=target.id).delete()
    else:
        message = target.obj
        _announce_hidden_message(message)
        ChatMessage.objects.filter(pk=message.pk).delete()
    _actioned(target, moderator, "Deleted")
    return entry


def delete_item(*, moderator: User, kind: str, target_id: int, reason: str) -> AuditLogEntry:
    target = resolve_target(kind, target_id)
    reason = check_content_action(moderator=moderator, target=target, reason=reason)
    return do_delete(moderator=moderator, target=target, reason=reason)


def check_edit(*, moderator: User, target: Target, body: str, title: str | None, reason: str):
    from forum.actions.posts import PostingError, clean_body, clean_title

    reason = check_content_action(moderator=moderator, target=target, reason=reason)
    if target.kind == TargetKind.CHAT_MESSAGE:
        raise ModerationError("Chat messages can be hidden or deleted, not edited.")
    post = target.obj if target.kind == TargetKind.POST else _opening_post(target.obj)
    if post is None or post.removed_by_moderator:
        raise ModerationError("This post can no longer be edited.")
    try:
        body = clean_body(body)
        title = clean_title(title) if title is not None and post.is_opening else None
    except PostingError as error:
        raise ModerationError(error.message) from error
    return post, body, title, reason


def _opening_post(topic: Topic) -> Post | None:
    return Post.objects.select_related("topic").filter(topic=topic, number=1).first()


@transaction.atomic
def do_edit(
    *, moderator: User, target: Target, post: Post, body: str, title: str | None, reason: str
) -> AuditLogEntry:
    """Change the text; the post shows "edited by a moderator" and the old version is kept."""
    from forum.actions.posts import keep_revision, refresh_search_vector
    from forum.markup import render_markdown

    now = timezone.now()
    topic = post.topic
    keep_revision(post, replaced_by=moderator, now=now)
    Post.objects.filter(pk=post.pk).update(
        body=body, body_html=render_markdown(body), edited_at=now, edited_by_moderator=True
    )
    post.body = body
    if title is not None:
        Topic.objects.filter(pk=topic.pk).update(title=title)
    refresh_search_vector(post, title=title or (topic.title if post.is_opening else ""))
    _actioned(target, moderator, "Edited")
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
    _actioned(target, moderator, AuditLogEntry.Action(action).label)
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
    _actioned(target, moderator, "Moved")
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


# Approval queue (new members, review words) ---------------------------------------------------


def check_approval(*, moderator: User, target: Target, reason: str) -> str:
    check_can_moderate_content(moderator)
    if not is_pending(target):
        raise ModerationError("This is not waiting for approval.")
    return clean_reason(reason)


def is_pending(target: Target) -> bool:
    """Waiting for approval: a new member's post or topic, or text with a review word."""
    if target.kind == TargetKind.MEMBER:
        return False
    if target.kind in (TargetKind.POST, TargetKind.TOPIC) and target.obj.is_pending_approval:
        return True
    return (
        open_reports(target.kind, target.id)
        .filter(is_system=True, reason=Report.Reason.NEEDS_APPROVAL)
        .exists()
    )


@transaction.atomic
def do_approve(*, moderator: User, target: Target, reason: str) -> AuditLogEntry:
    if target.kind == TargetKind.TOPIC:
        Topic.objects.filter(pk=target.id).update(is_pending_approval=False)
        Post.objects.filter(topic_id=target.id, number=1).update(is_pending_approval=False)
    elif target.kind == TargetKind.POST:
        post = target.obj
        Post.objects.filter(pk=post.pk).update(is_pending_approval=False, is_held_for_review=False)
        if post.is_opening:
            Topic.objects.filter(pk=post.topic_id).update(is_pending_approval=False)
        elif post.is_pending_approval:
            _count_approved_reply(post)
    else:
        from forum.realtime.protocol import message_payload, room_group

        message = target.obj
        ChatMessage.objects.filter(pk=message.pk).update(is_hidden=False, hidden_at=None)
        send_event_on_commit(
            room_group(message.room_id),
            {"type": "chat.message", "message": message_payload(message)},
        )
    close_reports(
        kind=target.kind,
        target_id=target.id,
        moderator=moderator,
        status=Report.Status.ACTIONED,
        outcome="Approved",
    )
    return write_audit(moderator=moderator, action=Action.APPROVE, reason=reason, target=target)


def _count_approved_reply(post: Post) -> None:
    """A reply counts on its topic (replies, last activity) once it is published."""
    from django.db.models import F

    topic = Topic.objects.select_for_update().get(pk=post.topic_id)
    last_number = Post.objects.filter(pk=topic.last_post_id).values_list("number", flat=True)
    changes = {"reply_count": F("reply_count") + 1, "last_activity_at": timezone.now()}
    if not last_number or last_number[0] < post.number:
        changes["last_post"] = post
    Topic.objects.filter(pk=topic.pk).update(**changes)


def approve_item(*, moderator: User, kind: str, target_id: int, reason: str) -> AuditLogEntry:
    target = resolve_target(kind, target_id)
    reason = check_approval(moderator=moderator, target=target, reason=reason)
    return do_approve(moderator=moderator, target=target, reason=reason)


@transaction.atomic
def do_reject(*, moderator: User, target: Target, reason: str) -> AuditLogEntry:
    """The item is never published; a post keeps no text, a topic or message goes."""
    entry = write_audit(moderator=moderator, action=Action.REJECT, reason=reason, target=target)
    if target.kind == TargetKind.TOPIC or (
        target.kind == TargetKind.POST and target.obj.is_opening
    ):
        topic_id = target.id if target.kind == TargetKind.TOPIC else target.obj.topic_id
        Topic.objects.filter(pk=topic_id).delete()
    elif target.kind == TargetKind.POST:
        Post.objects.filter(pk=target.id).update(removed_by_moderator=True, body="", body_html="")
    else:
        ChatMessage.objects.filter(pk=target.id).delete()
    close_reports(
        kind=target.kind,
        target_id=target.id,
        moderator=moderator,
        status=Report.Status.ACTIONED,
        outcome="Not published",
    )
    return entry


def reject_item(*, moderator: User, kind: str, target_id: int, reason: str) -> AuditLogEntry:
    target = resolve_target(kind, target_id)
    reason = check_approval(moderator=moderator, target=target, reason=reason)
    return do_reject(moderator=moderator, target=target, reason=reason)


# Members: warn, mute, suspend, ban -----------------------------------------------------------


def check_member_action(*, moderator: User, member: User, reason: str) -> str:
    check_can_moderate_members(moderator)
    check_can_act_on_member(moderator, member)
    return clean_reason(reason)


def _close_item_reports(moderator: User, item: Target | None, member: User, outcome: str):
    """A member action taken from the queue closes the reports of that item and of the member."""
    if item is not None and item.kind != TargetKind.MEMBER:
        _actioned(item, moderator, outcome)
    close_reports(
        kind=TargetKind.MEMBER,
        target_id=member.pk,
        moderator=moderator,
        status=Report.Status.ACTIONED,
        outcome=outcome,
    )


@transaction.atomic
def do_warn(
    *, moderator: User, member: User, message: str, item: Target | None = None
) -> AuditLogEntry:
    """A private notification with the moderator's own words (never who reported)."""
    from forum.actions.notifications import notify

    notify(
        recipient=member,
        kind=NotificationKind.MODERATOR_WARNING,
        text=f"A message from the moderators: {message}",
    )
    _close_item_reports(moderator, item, member, "Member warned")
    return write_audit(
        moderator=moderator,
        action=Action.WARN,
        reason=message,
        target=item,
        member=member,
        description=(item.description if item else f"member {member.username}"),
    )


def warn_member(
    *, moderator: User, member: User, message: str, item: Target | None = None
) -> AuditLogEntry:
    message = check_member_action(moderator=moderator, member=member, reason=message)
    return do_warn(moderator=moderator, member=member, message=message, item=item)


def check_mute(
    *, moderator: User, member: User, room: Room, duration: timedelta, reason: str
) -> str:
    reason = check_member_action(moderator=moderator, member=member, reason=reason)
    clean_duration(duration)
    if room is None:
        raise ModerationError("Choose the room to mute the member in.")
    return reason


@transaction.atomic
def do_mute(
    *,
    moderator: User,
    member: User,
    room: Room,
    duration: timedelta,
    reason: str,
    item: Target | None = None,
) -> AuditLogEntry:
    from forum.actions.chat import mute_member

    until = timezone.now() + duration
    mute_member(room=room, member=member, until=until, by=moderator)
    _close_item_reports(moderator, item, member, "Member muted in chat")
    where = "a private mentorship room" if room.is_private else room.title
    return write_audit(
        moderator=moderator,
        action=Action.MUTE,
        reason=reason,
        target=item,
        member=member,
        description=f"member {member.username} in {where} until {_when(until)}",
    )


def mute_in_chat(
    *,
    moderator: User,
    member: User,
    room: Room,
    duration: timedelta,
    reason: str,
    item: Target | None = None,
) -> AuditLogEntry:
    reason = check_mute(
        moderator=moderator, member=member, room=room, duration=duration, reason=reason
    )
    return do_mute(
        moderator=moderator, member=member, room=room, duration=duration, reason=reason, item=item
    )


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


@transaction.atomic
def do_suspend(
    *,
    moderator: User,
    member: User,
    duration: timedelta,
    reason: str,
    item: Target | None = None,
) -> AuditLogEntry:
    """They can read but not post, react, chat or ask for a mentor; open sockets close at once."""
    from forum.actions.chat import disconnect_member

    until = timezone.now() + duration
    User.objects.filter(pk=member.pk).update(suspended_until=until)
    member.suspended_until = until
    disconnect_member(member=member, code=4403)
    _close_item_reports(moderator, item, member, "Member suspended")
    return write_audit(
        moderator=moderator,
        action=Action.SUSPEND,
        reason=reason,
        target=item,
        member=member,
        description=f"member {member.username} until {_when(until)}",
    )


def suspend_member(
    *,
    moderator: User,
    member: User,
    duration: timedelta,
    reason: str,
    item: Target | None = None,
) -> AuditLogEntry:
    reason = check_member_action(moderator=moderator, member=member, reason=reason)
    duration = clean_duration(duration)
    return do_suspend(
        moderator=moderator, member=member, duration=duration, reason=reason, item=item
    )


def end_sessions(member: User) -> int:
    """End every login session of the member (allauth tracks each one)."""
    from allauth.usersessions.models import UserSession

    ended = 0
    for session in UserSession.objects.filter(user_id=member.pk):
        session.end()
        ended += 1
    return ended


@transaction.atomic
def do_ban(
    *, moderator: User, member: User, reason: str, item: Target | None = None
) -> AuditLogEntry:
    """The account is deactivated, every session ends and every socket closes."""
    from forum.actions.chat import disconnect_member

    User.objects.filter(pk=member.pk).update(is_active=False)
    member.is_active = False
    end_sessions(member)
    disconnect_member(member=member, code=4403)
    _close_item_reports(moderator, item, member, "Member banned")
    return write_audit(
        moderator=moderator,
        action=Action.BAN,
        reason=reason,
        target=item,
        member=member,
        description=f"member {member.username}",
    )


def ban_member(
    *, moderator: User, member: User, reason: str, item: Target | None = None
) -> AuditLogEntry:
    reason = check_member_action(moderator=moderator, member=member, reason=reason)
    if not member.is_active:
        raise ModerationError("This member is already banned.")
    return do_ban(moderator=moderator, member=member, reason=reason, item=item)


# Watched words and crisis phrases ------------------------------------------------------------


def clean_term(term: str, *, what: str) -> str:
    term = " ".join((term or "").replace("\x00", "").split())
    if not term:
        raise ModerationError(f"Please write the {what}.")
    if len(term) > 100:
        raise ModerationError(f"Please keep the {what} to 100 characters.")
    if not any(ch.isalnum() for ch in term):
        raise ModerationError(f"The {what} needs at least one letter or digit.")
    return term


def check_add_watched_word(*, moderator: User, word: str, mode: str) -> str:
    check_can_manage_safety_lists(moderator)
    word = clean_term(word, what="word")
    if mode not in WatchedWord.Mode.values:
        raise ModerationError("Choose block or review.")
    if WatchedWord.objects.filter(word__iexact=word).exists():
        raise ModerationError(f"\u201c{word}\u201d is already on the list.")
    return word


@transaction.atomic
def do_add_watched_word(*, moderator: User, word: str, mode: str) -> WatchedWord:
    watched = WatchedWord.objects.create(word=word, mode=mode, created_by=moderator)
    write_audit(
        moderator=moderator,
        action=Action.ADD_WATCHED_WORD,
        reason=f"Mode: {mode}",
        description=f"watched word \u201c{word}\u201d",
    )
    forget_lists()
    return watched


def add_watched_word(*, moderator: User, word: str, mode: str) -> WatchedWord:
    word = check_add_watched_word(moderator=moderator, word=word, mode=mode)
    try:
        return do_add_watched_word(moderator=moderator, word=word, mode=mode)
    except IntegrityError as duplicate:
        raise ModerationError(f"\u201c{word}\u201d is already on the list.") from duplicate


@transaction.atomic
def remove_watched_word(*, moderator: User, word_id: int) -> None:
    check_can_manage_safety_lists(moderator)
    watched = WatchedWord.objects.filter(pk=word_id).first()
    if watched is None:
        raise Http404("No such word.")
    write_audit(
        moderator=moderator,
        action=Action.REMOVE_WATCHED_WORD,
        reason=f"Mode was: {watched.mode}",
        description=f"watched word \u201c{watched.word}\u201d",
    )
    watched.delete()
    forget_lists()


def add_crisis_phrase(*, moderator: User, phrase: str) -> CrisisPhrase:
    check_can_manage_safety_lists(moderator)
    phrase = clean_term(phrase, what="phrase")
    if CrisisPhrase.objects.filter(phrase__iexact=phrase).exists():
        raise ModerationError(f"\u201c{phrase}\u201d is already on the list.")
    with transaction.atomic():
        row = CrisisPhrase.objects.create(phrase=phrase, created_by=moderator)
        write_audit(
            moderator=moderator,
            action=Action.ADD_CRISIS_PHRASE,
            reason="Added to the crisis list",
            description=f"crisis phrase \u201c{phrase}\u201d",
        )
        forget_lists()
    return row


@transaction.atomic
def remove_crisis_phrase(*, moderator: User, phrase_id: int) -> None:
    check_can_manage_safety_lists(moderator)
    row = CrisisPhrase.objects.filter(pk=phrase_id).first()
    if row is None:
        raise Http404("No such phrase.")
    write_audit(
        moderator=moderator,
        action=Action.REMOVE_CRISIS_PHRASE,
        reason="Removed from the crisis list",
        description=f"crisis phrase \u201c{row.phrase}\u201d",
    )
    row.delete()
    forget_lists()


# New members ---------------------------------------------------------------------------------


def new_member_queue_size() -> int:
    return settings.HOMEGROUP["NEW_MEMBER_QUEUED_POSTS"]


def needs_approval(author: User) -> bool:
    """Whether the author's next post waits for a moderator: their first N posts do."""
    if is_moderator(author):
        return False
    limit = new_member_queue_size()
    if limit <= 0:
        return False
    published = Post.objects.filter(
        author=author, is_pending_approval=False, removed_by_moderator=False
    ).count()
    return published < limit


def queue_for_approval(*, kind: str, target_id: int, author: User, why: str) -> Report | None:
    """Put an item waiting for approval into the review queue (a system report)."""
    try:
        with transaction.atomic():
            return Report.objects.create(
                target_kind=kind,
                target_id=target_id,
                subject=author,
                is_system=True,
                reason=Report.Reason.NEEDS_APPROVAL,
                note=why,
            )
    except IntegrityError:
        return None
