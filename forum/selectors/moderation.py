"""Read side of moderation: the review queue, one item with its context, and the audit log.

Private mentorship rooms are invisible to moderators everywhere else; here a reported message in
one becomes visible, with the messages around it, and only because of the report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.standing import is_suspended
from forum.models import (
    Appeal,
    AuditLogEntry,
    ChatMessage,
    MeetingShare,
    Post,
    Report,
    Room,
    RoomMute,
    TargetKind,
    Topic,
)

CONTEXT_MESSAGES = 5
QUEUE_PAGE_SIZE = 25
LOG_PAGE_SIZE = 50


@dataclass
class QueueItem:
    """Every open report about one item, with the item and its context."""

    kind: str
    target_id: int
    reports: list[Report] = field(default_factory=list)
    obj: Any = None
    context: list[Any] = field(default_factory=list)

    @property
    def is_at_risk(self) -> bool:
        return any(r.reason == Report.Reason.MEMBER_AT_RISK for r in self.reports)

    @property
    def needs_approval(self) -> bool:
        return any(r.reason == Report.Reason.NEEDS_APPROVAL for r in self.reports)

    @property
    def oldest(self) -> datetime:
        return min(r.created_at for r in self.reports)

    @property
    def reporter_count(self) -> int:
        return len({r.reporter_id for r in self.reports if not r.is_system})

    @property
    def subject(self) -> User | None:
        return next((r.subject for r in self.reports if r.subject_id), None)

    @property
    def exists(self) -> bool:
        return self.obj is not None

    @property
    def kind_label(self) -> str:
        return TargetKind(self.kind).label


def open_reports() -> QuerySet[Report]:
    return Report.objects.filter(status=Report.Status.OPEN).select_related("reporter", "subject")


def queue_sort_key(item: QueueItem) -> tuple:
    """At-risk first, then oldest first."""
    return (not item.is_at_risk, item.oldest, item.kind, item.target_id)


def group_reports(reports) -> list[QueueItem]:
    groups: dict[tuple[str, int], QueueItem] = {}
    for report in reports:
        key = (report.target_kind, report.target_id)
        if key not in groups:
            groups[key] = QueueItem(kind=report.target_kind, target_id=report.target_id)
        groups[key].reports.append(report)
    return sorted(groups.values(), key=queue_sort_key)


def attach_targets(items: list[QueueItem]) -> None:
    """Load every item and its context in a fixed number of queries, whatever the queue holds."""
    ids: dict[str, list[int]] = defaultdict(list)
    for item in items:
        ids[item.kind].append(item.target_id)
    loaded: dict[str, dict[int, Any]] = {kind: {} for kind in TargetKind.values}
    if ids[TargetKind.POST]:
        loaded[TargetKind.POST] = Post.objects.select_related(
            "author", "topic", "topic__board"
        ).in_bulk(ids[TargetKind.POST])
    if ids[TargetKind.TOPIC]:
        loaded[TargetKind.TOPIC] = Topic.objects.select_related("author", "board").in_bulk(
            ids[TargetKind.TOPIC]
        )
    if ids[TargetKind.CHAT_MESSAGE]:
        loaded[TargetKind.CHAT_MESSAGE] = ChatMessage.objects.select_related(
            "author", "room", "room__mentorship"
        ).in_bulk(ids[TargetKind.CHAT_MESSAGE])
    if ids[TargetKind.MEETING_SHARE]:
        loaded[TargetKind.MEETING_SHARE] = MeetingShare.objects.select_related(
            "author", "meeting", "meeting__room"
        ).in_bulk(ids[TargetKind.MEETING_SHARE])
    if ids[TargetKind.MEMBER]:
        loaded[TargetKind.MEMBER] = User.objects.in_bulk(ids[TargetKind.MEMBER])
    for item in items:
        item.obj = loaded[item.kind].get(item.target_id)
    _attach_topic_openings(items)
    _attach_chat_context(items)


def _attach_topic_openings(items: list[QueueItem]) -> None:
    topics = [i for i in items if i.kind == TargetKind.TOPIC and i.obj is not None]
    if not topics:
        return
    openings = {
        p.topic_id: p
        for p in Post.objects.filter(topic__in=[i.target_id for i in topics], number=1)
    }
    for item in topics:
        opening = openings.get(item.target_id)
        item.context = [opening] if opening else []


def _attach_chat_context(items: list[QueueItem]) -> None:
    """The messages around each reported message, in one query for the whole page."""
    chats = [i for i in items if i.kind == TargetKind.CHAT_MESSAGE and i.obj is not None]
    if not chats:
        return
    around = Q()
    for item in chats:
        message = item.obj
        around |= Q(
            room_id=message.room_id,
            seq__gte=message.seq - CONTEXT_MESSAGES,
            seq__lte=message.seq + CONTEXT_MESSAGES,
        )
    by_room: dict[int, list[ChatMessage]] = defaultdict(list)
    for message in ChatMessage.objects.filter(around).select_related("author").order_by("seq"):
        by_room[message.room_id].append(message)
    for item in chats:
        message = item.obj
        item.context = [
            m for m in by_room[message.room_id] if abs(m.seq - message.seq) <= CONTEXT_MESSAGES
        ]


def review_queue(*, page: int = 1):
    """One page of the queue: open reports grouped by item, at-risk first, then oldest first."""
    items = group_reports(open_reports().order_by("created_at", "id"))
    paginator = Paginator(items, QUEUE_PAGE_SIZE)
    page_obj = paginator.get_page(page)
    attach_targets(list(page_obj.object_list))
    return page_obj


def queue_size() -> int:
    return (
        Report.objects.filter(status=Report.Status.OPEN)
        .values("target_kind", "target_id")
        .distinct()
        .count()
    )


def review_item(kind: str, target_id: int) -> tuple[QueueItem, list[Report]]:
    """One item for the moderator: its open reports and context, plus closed reports about it.

    Topics, posts, members and messages in public rooms can be opened whether or not someone
    reported them. A message in a private mentorship room can be opened only once it has been
    reported: the one way such a message reaches a moderator's eyes.
    """
    if kind not in TargetKind.values:
        raise Http404("Unknown kind of item.")
    reports = list(
        Report.objects.filter(target_kind=kind, target_id=target_id)
        .select_related("reporter", "subject", "resolved_by")
        .order_by("created_at", "id")
    )
    item = QueueItem(kind=kind, target_id=target_id, reports=[r for r in reports if r.is_open])
    attach_targets([item])
    if not reports and (item.obj is None or _is_private_message(item)):
        raise Http404("No such item.")
    closed = [r for r in reports if not r.is_open]
    return item, closed


def _is_private_message(item: QueueItem) -> bool:
    if item.kind == TargetKind.MEETING_SHARE:
        return True
    return item.kind == TargetKind.CHAT_MESSAGE and item.obj.room.is_private


def reports_about_member(member: User) -> QuerySet[Report]:
    return Report.objects.filter(subject=member).select_related("reporter").order_by("-created_at")


def audit_log(
    *, moderator: str = "", member: str = "", action: str = ""
) -> QuerySet[AuditLogEntry]:
    """The log, newest first, filtered by moderator pseudonym, member pseudonym and action."""
    entries = AuditLogEntry.objects.all()
    if moderator:
        entries = entries.filter(moderator_name__iexact=moderator)
    if member:
        entries = entries.filter(member_name__iexact=member)
    if action:
        entries = entries.filter(action=action)
    return entries.order_by("-created_at", "-id")


def moderator_names() -> list[str]:
    return list(
        AuditLogEntry.objects.order_by("moderator_name")
        .values_list("moderator_name", flat=True)
        .distinct()
    )


# A member's own standing ---------------------------------------------------------------------


@dataclass
class Measure:
    """A measure in force on a member, as they see it: what, until when, why, and their appeal."""

    label: str
    until: datetime | None
    reason: str
    entry_id: int | None
    appeal: object | None
    decided_at: datetime | None = None


def _latest_entry(member, action: str):
    entry = AuditLogEntry.objects.filter(member_id=member.pk, action=action).first()
    appeal = Appeal.objects.filter(entry=entry).first() if entry is not None else None
    return entry, appeal


def suspension_for(member) -> Measure | None:
    """The suspension in force, for the banner on every page (no query when there is none)."""
    if not is_suspended(member):
        return None
    entry, appeal = _latest_entry(member, AuditLogEntry.Action.SUSPEND)
    return Measure(
        label="You are suspended: you can read, but not post, react, chat or ask for a mentor",
        until=member.suspended_until,
        reason=entry.reason if entry else "",
        entry_id=entry.pk if entry else None,
        appeal=appeal,
    )


def ban_for(member) -> Measure | None:
    """The ban (or the admin's deactivation) that closes the account, as the member sees it on
    the one page open to them. A ban has no end date: it lasts until a moderator lifts it."""
    if member is None or member.is_active:
        return None
    entry = (
        AuditLogEntry.objects.filter(
            member_id=member.pk,
            action__in=(AuditLogEntry.Action.BAN, AuditLogEntry.Action.DEACTIVATE),
        )
        .select_related("appeal")
        .first()
    )
    appealable = entry is not None and entry.action == AuditLogEntry.Action.BAN
    return Measure(
        label="Your account is closed",
        until=None,
        reason=entry.reason if entry else "",
        entry_id=entry.pk if appealable else None,
        appeal=getattr(entry, "appeal", None) if appealable else None,
        decided_at=entry.created_at if entry else None,
    )


def measures_for(member) -> list[Measure]:
    """The suspension and mutes in force on the member now, each with the moderator's reason."""

    suspension = suspension_for(member)
    measures = [suspension] if suspension else []
    mutes = list(
        RoomMute.objects.filter(member_id=member.pk, until__gt=timezone.now()).select_related(
            "room"
        )
    )
    if mutes:
        entry, appeal = _latest_entry(member, AuditLogEntry.Action.MUTE)
        for mute in mutes:
            measures.append(
                Measure(
                    label=f"You are muted in {mute.room.title}: you can read it, not write there",
                    until=mute.until,
                    reason=entry.reason if entry else "",
                    entry_id=entry.pk if entry else None,
                    appeal=appeal,
                )
            )
    return measures


def open_appeals(moderator):
    """Open appeals, the ones assigned to this moderator first."""

    return (
        Appeal.objects.filter(status=Appeal.Status.OPEN)
        .select_related("member", "entry", "assigned_to")
        .annotate(
            mine=Case(
                When(assigned_to_id=moderator.pk, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("mine", "created_at")
    )


def rooms_to_mute_in(*, room_id: int | None = None):
    """The rooms a moderator may mute a member in: every public room, and the room of the
    reported message (a private room reaches moderators only through a report)."""
    rooms = Room.objects.filter(mentorship__isnull=True)
    if room_id is not None:
        rooms = Room.objects.filter(pk=room_id) | rooms
    return rooms.order_by("position", "title")
