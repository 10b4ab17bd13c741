"""The meeting's safety verbs for its chair, co-host and moderators, each one audit entry.

Mute for this meeting, remove from it, lock it, hold first-time attendees in a lobby, admit
from the lobby, end it; and a group's edits of its format's texts. A member's report of a
share goes through the one report path (forum/actions/moderation/reports.py). ``check_*`` validates (no writes); the verb writes in one transaction
through the ``do_*`` writes in forum/actions/meetings.py and appends one audit entry.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from forum.actions import meetings
from forum.actions.moderation.common import Action, clean_reason, room_label, write_audit
from forum.actions.moderation.reports import report_item
from forum.errors import MeetingError
from forum.models import (
    AuditLogEntry,
    Meeting,
    MeetingAttendee,
    MeetingFormat,
    MeetingShare,
    Report,
    Room,
    TargetKind,
)
from forum.models.meetings import DEFAULT_TEXTS
from forum.selectors.meetings import format_of

DEFAULT_REASON = "Keeping the meeting safe"


def _label(meeting: Meeting) -> str:
    return f"meeting #{meeting.pk} \u201c{meeting.title}\u201d in {meeting.room.title}"


def check_meeting_verb(*, by: User, meeting: Meeting, reason: str = "") -> tuple[Meeting, str]:
    """The meeting re-read under its lock; ``by`` runs it; it is live; a reason (or the default)."""
    meeting = meetings.locked(meeting)
    meetings.check_runs(by, meeting)
    if not meeting.is_live:
        raise MeetingError("not_live", "This meeting is not live.")
    return meeting, clean_reason(reason or DEFAULT_REASON)


def _check_attendee(meeting: Meeting, member: User, by: User) -> None:
    if member.pk == by.pk or member.pk in (meeting.chair_id, meeting.cohost_id):
        raise MeetingError("invalid", "The chair and co-host cannot be muted or removed here.")
    if not MeetingAttendee.objects.filter(meeting=meeting, member=member).exists():
        raise MeetingError("invalid", "That member is not in this meeting.")


@transaction.atomic
def mute_in_meeting(
    *, by: User, meeting: Meeting, member: User, muted: bool = True, reason: str = ""
) -> AuditLogEntry:
    meeting, reason = check_meeting_verb(by=by, meeting=meeting, reason=reason)
    _check_attendee(meeting, member, by)
    meetings.do_set_muted(meeting=meeting, member=member, muted=muted)
    state = "muted" if muted else "unmuted"
    return write_audit(
        moderator=by,
        action=Action.MEETING_MUTE,
        reason=reason,
        member=member,
        description=f"{_label(meeting)}: {state}",
    )


@transaction.atomic
def remove_from_meeting(
    *, by: User, meeting: Meeting, member: User, reason: str = ""
) -> AuditLogEntry:
    meeting, reason = check_meeting_verb(by=by, meeting=meeting, reason=reason)
    _check_attendee(meeting, member, by)
    meetings.do_remove(meeting=meeting, member=member)
    return write_audit(
        moderator=by,
        action=Action.MEETING_REMOVE,
        reason=reason,
        member=member,
        description=_label(meeting),
    )


def _set_flag(*, by, meeting, reason, name: str, on: bool, action: str, state: str):
    meeting, reason = check_meeting_verb(by=by, meeting=meeting, reason=reason)
    meetings.do_set_flag(meeting=meeting, name=name, on=on)
    return write_audit(
        moderator=by, action=action, reason=reason, description=f"{_label(meeting)}: {state}"
    )


@transaction.atomic
def set_meeting_lock(
    *, by: User, meeting: Meeting, locked: bool, reason: str = ""
) -> AuditLogEntry:
    """A locked meeting takes nobody new (those in it stay)."""
    state = "locked" if locked else "unlocked"
    return _set_flag(
        by=by,
        meeting=meeting,
        reason=reason,
        name="is_locked",
        on=locked,
        action=Action.MEETING_LOCK,
        state=state,
    )


@transaction.atomic
def set_meeting_lobby(*, by: User, meeting: Meeting, on: bool, reason: str = "") -> AuditLogEntry:
    """While the lobby is on, first-time attendees wait until admitted."""
    return _set_flag(
        by=by,
        meeting=meeting,
        reason=reason,
        name="lobby_on",
        on=on,
        action=Action.MEETING_LOBBY,
        state=f"lobby {'on' if on else 'off'}",
    )


@transaction.atomic
def admit_from_lobby(
    *, by: User, meeting: Meeting, member: User, reason: str = ""
) -> AuditLogEntry:
    meeting, reason = check_meeting_verb(by=by, meeting=meeting, reason=reason or "Admitted")
    if not meetings.do_admit(meeting=meeting, member=member):
        raise MeetingError("invalid", "That member is not waiting in the lobby.")
    return write_audit(
        moderator=by,
        action=Action.MEETING_ADMIT,
        reason=reason,
        member=member,
        description=_label(meeting),
    )


@transaction.atomic
def end_meeting(*, by: User, meeting: Meeting, reason: str = "") -> AuditLogEntry:
    """Shares are removed from the database (reported ones kept for moderators)."""
    meeting, reason = check_meeting_verb(by=by, meeting=meeting, reason=reason or "Meeting closed")
    meetings.do_end(meeting=meeting)
    return write_audit(
        moderator=by, action=Action.MEETING_END, reason=reason, description=_label(meeting)
    )


def report_share(
    *, member: User, share: MeetingShare, reason: str = Report.Reason.OTHER, note: str = ""
) -> Report:
    """Report a share during the meeting: a moderators' queue item, and the share is kept for
    them when the meeting ends (members never see it again)."""
    report = report_item(
        reporter=member,
        kind=TargetKind.MEETING_SHARE,
        target_id=share.pk,
        reason=reason,
        note=note,
    )
    meetings.mark_reported(share)
    return report


def _format_audit(by: User, room: Room, reason: str) -> AuditLogEntry:
    return write_audit(
        moderator=by,
        action=Action.MEETING_FORMAT,
        reason=reason,
        description=f"the meeting format of {room_label(room)}",
    )


@transaction.atomic
def edit_meeting_format(*, by: User, room: Room, texts: dict[str, str], **options) -> MeetingFormat:
    """The group's own words for its format; a text left empty falls back to ours."""
    fields = [*texts, *options]
    saved = format_of(room)
    before = {name: getattr(saved, name) for name in fields}
    fmt = meetings.edit_format(by=by, room=room, texts=texts, **options)
    changed = [name for name in fields if getattr(fmt, name) != before[name]]
    _format_audit(by, room, f"Changed: {', '.join(changed)}" if changed else "Saved unchanged")
    return fmt


@transaction.atomic
def reset_meeting_format(*, by: User, room: Room) -> MeetingFormat:
    """Back to our words for every text."""
    fmt = meetings.edit_format(by=by, room=room, texts=dict.fromkeys(DEFAULT_TEXTS, ""))
    _format_audit(by, room, "Reset to Homegroup's words")
    return fmt
