"""Read side of meetings: the state one member's socket or page shows, and the listings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.permissions import filter_eligible_mentors
from forum.models import Meeting, MeetingAttendee, MeetingFormat, MeetingShare, Room
from forum.permissions.chat import filter_listed_rooms
from forum.permissions.meetings import can_run_meeting, share_refusal

SHARES_ON_RESUME = 200
In = MeetingAttendee.Status.IN


def phase_texts(fmt: MeetingFormat | None, phase: str) -> list[str]:
    """What the format shows everyone in ``phase`` (the defaults when the room has none)."""
    fmt = fmt or MeetingFormat()
    return {
        Meeting.Phase.OPENING: [fmt.welcome, fmt.purpose, fmt.anonymity],
        Meeting.Phase.READING: [fmt.reading],
        Meeting.Phase.TOPIC: [fmt.topic_intro],
        Meeting.Phase.SHARES: [],
        Meeting.Phase.NEWCOMERS: [fmt.newcomer],
        Meeting.Phase.CLOSING: [fmt.closing, fmt.anonymity],
    }[phase]


def format_of(room: Room) -> MeetingFormat:
    """The room's format as saved, or an unsaved one holding our default texts (no write)."""
    return MeetingFormat.objects.filter(room=room).first() or MeetingFormat(room=room)


def get_meeting(meeting_id: int) -> Meeting | None:
    return (
        Meeting.objects.select_related("room", "room__mentorship", "chair", "cohost", "sharer")
        .filter(pk=meeting_id, room__mentorship__isnull=True)
        .first()
    )


@dataclass(frozen=True)
class MeetingSnapshot:
    """One read of a meeting's state, shared by every viewer's frame: each process reads it
    once per change and builds each member's frame from it without touching the database."""

    meeting: Meeting
    fmt: MeetingFormat | None
    by_member: dict[int, MeetingAttendee]
    queue: list[str]
    attendees: int
    lobby: list[dict]
    people: list[dict]

    @property
    def version(self) -> int:
        return self.meeting.version


def read_meeting(meeting_id: int) -> MeetingSnapshot:
    """The meeting, its attendees and format, read afresh (so every process answers alike)."""
    meeting = get_meeting(meeting_id)
    attendees = list(MeetingAttendee.objects.filter(meeting_id=meeting_id).select_related("member"))
    hands = sorted(
        (a for a in attendees if a.status == In and a.hand_raised_at and not a.is_muted),
        key=lambda a: (a.hand_raised_at, a.pk),
    )
    fmt = MeetingFormat.objects.filter(room_id=meeting.room_id).first()
    meeting.room._state.fields_cache["meeting_format"] = fmt  # no query for it later
    return MeetingSnapshot(
        meeting=meeting,
        fmt=fmt,
        by_member={a.member_id: a for a in attendees},
        queue=[a.member.username for a in hands],
        attendees=sum(1 for a in attendees if a.status == In and a.connections > 0),
        lobby=[
            {"id": a.member_id, "name": a.member.username}
            for a in attendees
            if a.status == MeetingAttendee.Status.LOBBY
        ],
        people=[
            {"id": a.member_id, "name": a.member.username, "muted": a.is_muted}
            for a in attendees
            if a.status == In and a.member_id not in (meeting.chair_id, meeting.cohost_id)
        ],
    )


def state_for(snapshot: MeetingSnapshot, viewer, *, now=None) -> dict:
    """Everything a member's view shows now: phase and its texts, queue, sharer, time left.

    Lobby pseudonyms only go to those who run the meeting; a member in the lobby sees the phase
    but no queue. No database access, given the viewer's capabilities were read once before.
    """
    meeting, fmt = snapshot.meeting, snapshot.fmt
    now = now or timezone.now()
    mine = snapshot.by_member.get(viewer.pk)
    runs = can_run_meeting(viewer, meeting)
    inside = mine is not None and mine.status == In
    remaining = None
    if meeting.share_ends_at is not None:
        remaining = max(0, int((meeting.share_ends_at - now).total_seconds() + 0.999))
    refusal = share_refusal(viewer, meeting, mine)
    state = {
        "type": "meeting",
        "id": meeting.pk,
        "version": meeting.version,
        "title": meeting.title,
        "status": meeting.status,
        "phase": meeting.phase,
        "phase_label": meeting.get_phase_display(),
        "texts": phase_texts(fmt, meeting.phase),
        "topic": meeting.topic,
        "chair": meeting.chair.username if meeting.chair_id else None,
        "cohost": meeting.cohost.username if meeting.cohost_id else None,
        "locked": meeting.is_locked,
        "lobby_on": meeting.lobby_on,
        "auto_advance": meeting.auto_advance,
        "open_chat": bool(fmt and fmt.open_chat_between_shares),
        "me": {
            "status": mine.status if mine else None,
            "hand_raised": bool(inside and mine.hand_raised_at),
            "muted": bool(mine and mine.is_muted),
            "runs": runs,
            "can_write": refusal is None,
            "sharing": meeting.sharer_id == viewer.pk,
        },
    }
    if not (inside or runs):
        return state
    state |= {
        "queue": snapshot.queue,
        "sharer": meeting.sharer.username if meeting.sharer_id else None,
        "share_ends_at": meeting.share_ends_at.isoformat() if meeting.share_ends_at else None,
        "remaining_seconds": remaining,
        "thanks": meeting.thanks,
        "attendees": snapshot.attendees,
    }
    if runs:
        state["lobby"] = snapshot.lobby
        state["people"] = snapshot.people
    return state


def meeting_state(meeting_id: int, viewer, *, now=None) -> dict:
    """One member's state read afresh (pages and tests; sockets share one read per process)."""
    return state_for(read_meeting(meeting_id), viewer, now=now)


def resume_shares(meeting_id: int) -> list[MeetingShare]:
    """The live meeting's shares so far (they are deleted when it ends), oldest first."""
    rows = (
        MeetingShare.objects.filter(
            meeting_id=meeting_id, meeting__status=Meeting.Status.LIVE, is_hidden=False
        )
        .select_related("author")
        .order_by("-id")[:SHARES_ON_RESUME]
    )
    return list(reversed(rows))


def live_meetings() -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(
            status=Meeting.Status.LIVE, room__in=filter_listed_rooms(Room.objects.all())
        )
        .select_related("room", "chair")
        .order_by("started_at")
    )


def next_meetings(*, limit: int = 20) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED,
            starts_at__gte=timezone.now() - timedelta(hours=1),
            room__in=filter_listed_rooms(Room.objects.all()),
        )
        .select_related("room", "chair")
        .order_by("starts_at")[:limit]
    )


def cohost_candidates(chair, *, limit: int = 100) -> list[str]:
    """Pseudonyms to suggest as co-host: members who may mentor (the form checks the full rule,
    which also lets moderators co-host)."""
    members = filter_eligible_mentors(User.objects.filter(is_active=True)).exclude(
        Q(pk=chair.pk) | Q(suspended_until__gt=timezone.now())
    )
    return list(members.order_by("username").values_list("username", flat=True)[:limit])


def live_meeting_in(room) -> Meeting | None:
    return Meeting.objects.filter(room=room, status=Meeting.Status.LIVE).first()
