"""What every moderation verb shares: the item acted on, reasons, the audit log, closing reports.

A verb is a ``check_*`` (permission and state, no writes) and a ``do_*`` (the writes, in one
transaction, with exactly one audit entry). Acting on an item closes its open reports; each
reporter is told the outcome, never who else reported, and the reported member is never told
who reported. Verbs raise ``ModerationError`` / ``ItemNotFound`` (forum/errors.py), never HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from forum.actions.notifications import notify
from forum.caching import invalidate_visitor_pages_on_commit
from forum.errors import ItemNotFound, ModerationError
from forum.models import (
    AuditLogEntry,
    ChatMessage,
    MeetingShare,
    NotificationKind,
    Post,
    Report,
    TargetKind,
    Topic,
)

SYSTEM_NAME = "Homegroup (automatic)"
REASON_MAX_LENGTH = 1000
NOTE_MAX_LENGTH = 1000
MAX_DURATION = timedelta(days=3650)
CONTENT_KINDS = (
    TargetKind.TOPIC,
    TargetKind.POST,
    TargetKind.CHAT_MESSAGE,
    TargetKind.MEETING_SHARE,
)
Action = AuditLogEntry.Action

__all__ = ["ItemNotFound", "ModerationError"]


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
        return LABELS[self.kind]

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
            return f"chat message #{self.id} by {author} in {room_label(obj.room)}"
        if self.kind == TargetKind.MEETING_SHARE:
            return f"meeting share #{self.id} by {author} in {room_label(obj.meeting.room)}"
        return f"member {author}"

    @property
    def moderation_url(self) -> str:
        return reverse("forum:moderation_item", kwargs={"kind": self.kind, "target_id": self.id})


LABELS = {
    TargetKind.TOPIC: "a topic",
    TargetKind.POST: "a post",
    TargetKind.CHAT_MESSAGE: "a chat message",
    TargetKind.MEMBER: "a member",
    TargetKind.MEETING_SHARE: "a share in a meeting",
}


def room_label(room) -> str:
    """How the audit log and notices name a room (a private room's title names its members)."""
    return "a private mentorship room" if room.is_private else room.title


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
    if kind == TargetKind.MEETING_SHARE:
        return (
            MeetingShare.objects.select_related("meeting", "meeting__room", "author")
            .filter(pk=target_id)
            .first()
        )
    return User.objects.filter(pk=target_id).first()


def resolve_target(kind: str, target_id: int) -> Target:
    """The item, or ItemNotFound for an unknown kind or id."""
    if kind not in TargetKind.values:
        raise ItemNotFound("Unknown kind of item.")
    obj = _load(kind, target_id)
    if obj is None:
        raise ItemNotFound("No such item.")
    subject = obj if kind == TargetKind.MEMBER else obj.author
    return Target(kind=kind, id=target_id, obj=obj, subject=subject)


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


def when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


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
    reports = list(open_reports(kind, target_id).select_related("reporter"))
    now = timezone.now()
    for report in reports:
        report.status = status
        report.resolved_at = now
        report.resolved_by = moderator
        report.outcome = outcome[:200]
        report.save(update_fields=["status", "resolved_at", "resolved_by", "outcome"])
    told: set[int] = set()
    for report in reports:
        reporter = report.reporter
        if report.is_system or reporter is None or reporter.pk in told:
            continue
        told.add(reporter.pk)
        notify(
            recipient=reporter,
            kind=NotificationKind.REPORT_OUTCOME,
            text=f"Your report about {LABELS[kind]}: {OUTCOME_TEXT[status]}",
        )
    return len(reports)


def actioned(target: Target, moderator: User, outcome: str) -> int:
    return close_reports(
        kind=target.kind,
        target_id=target.id,
        moderator=moderator,
        status=Report.Status.ACTIONED,
        outcome=outcome,
    )


# Telling the author ---------------------------------------------------------------------------

WHY = {
    Report.Reason.SPAM: "it looked like advertising or spam",
    Report.Reason.HARASSMENT: "it may hurt or single out someone",
    Report.Reason.PERSONAL_INFO: "it may hold personal information that could identify someone",
    Report.Reason.OFF_TOPIC: "it did not fit where it was posted",
}
DEFAULT_WHY = "it did not fit the group's guidelines"


def why_in_our_words(kind: str, target_id: int) -> str:
    """The commonest reason members gave, in the group's words (never who reported, or how
    many); the moderator's own reason stays in the audit log."""
    reasons = list(
        open_reports(kind, target_id).filter(is_system=False).values_list("reason", flat=True)
    )
    common = max(set(reasons), key=reasons.count) if reasons else ""
    return WHY.get(common, DEFAULT_WHY)


def tell_author(target: Target, text: str) -> None:
    """A private notice to the member who wrote the item (nobody else sees it)."""
    if target.kind == TargetKind.MEMBER or target.subject is None:
        return
    notify(recipient=target.subject, kind=NotificationKind.MODERATION_NOTICE, text=text)
