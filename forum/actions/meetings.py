"""Every write to a live meeting, and the only place meeting events are sent (after commit).

Each change bumps ``Meeting.version`` and rings ``meeting.<id>`` with ``meeting.changed``; every
open meeting socket then reads the state again from the database, so all processes agree and a
reconnecting member gets exactly what the others see. Shares travel as ``meeting.share``.
The safety verbs (mute, remove, lock, lobby, admit, end) are audited moderation verbs in
forum/actions/moderation/meetings.py; they call the ``do_*`` writes here.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from accounts.standing import may_participate
from forum.errors import MeetingError
from forum.models import (
    Meeting,
    MeetingAttendee,
    MeetingFormat,
    MeetingShare,
    Report,
    Room,
    TargetKind,
)
from forum.models.meetings import DEFAULT_TEXTS, SHARE_MAX_LENGTH, TEXT_MAX_LENGTH
from forum.permissions.meetings import (
    REFUSAL_TEXT,
    can_edit_format,
    can_run_meeting,
    can_schedule_meeting,
    cohost_refusal,
    share_refusal,
    waits_in_lobby,
)
from forum.realtime.events import send_event_on_commit
from forum.realtime.protocol import meeting_group

PHASES = list(Meeting.Phase.values)
FORMAT_TEXTS = tuple(DEFAULT_TEXTS)
MAX_EXTEND_SECONDS = 600
In = MeetingAttendee.Status.IN


def changed(meeting: Meeting) -> None:
    """Bump the version and ring the meeting's doorbell after commit. Call inside a transaction."""
    Meeting.objects.filter(pk=meeting.pk).update(version=F("version") + 1)
    # ``ring`` names this doorbell: every socket of a process receives it, the process reads
    # the state once (forum/realtime/meetings.py).
    event = {"type": "meeting.changed", "ring": secrets.token_hex(8)}
    send_event_on_commit(meeting_group(meeting.pk), event)


def locked(meeting: Meeting) -> Meeting:
    """The meeting re-read under its row lock: queue and timer changes are serialised by it."""
    return Meeting.objects.select_for_update().select_related("room").get(pk=meeting.pk)


def check_runs(member: User, meeting: Meeting) -> None:
    if not can_run_meeting(member, meeting):
        raise PermissionDenied("Only the chair or co-host can do that.")


def _check_live(meeting: Meeting) -> None:
    if not meeting.is_live:
        raise MeetingError("not_live", REFUSAL_TEXT["not_live"])


def format_for(room: Room) -> MeetingFormat:
    fmt, _ = MeetingFormat.objects.get_or_create(room=room)
    return fmt


def clean_format_text(name: str, text: str) -> str:
    """One format text as stored: plain text (escaped wherever shown), at most TEXT_MAX_LENGTH;
    empty means "our words" (the default)."""
    if name not in FORMAT_TEXTS:
        raise MeetingError("invalid", f"Unknown format text {name[:40]!r}.")
    text = "".join(c for c in (text or "") if c in "\n\t" or c.isprintable())
    text = text.replace("\r\n", "\n").strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise MeetingError("too_long", f"Each text can be up to {TEXT_MAX_LENGTH:,} characters.")
    return text or DEFAULT_TEXTS[name]


@transaction.atomic
def edit_format(*, by: User, room: Room, texts: dict[str, str], **options) -> MeetingFormat:
    """A group edits its format's texts (and whether chat opens between shares). Audited by
    forum/actions/moderation/meetings.py ``edit_meeting_format``, which views call."""
    if not can_edit_format(by, room):
        raise PermissionDenied("Only members who may chair can edit the format.")
    cleaned = {name: clean_format_text(name, text) for name, text in texts.items()}
    fmt = format_for(room)
    for name, text in cleaned.items():
        setattr(fmt, name, text)
    for name in ("open_chat_between_shares", "share_seconds"):
        if name in options:
            setattr(fmt, name, options[name])
    fmt.updated_at = timezone.now()
    fmt.save()
    return fmt


def _check_cohost(cohost: User | None, chair: User) -> None:
    refusal = cohost_refusal(cohost, chair)
    if refusal:
        raise MeetingError("invalid", refusal)


@transaction.atomic
def schedule_meeting(
    *,
    by: User,
    room: Room,
    title: str,
    starts_at: datetime,
    topic: str = "",
    repeats_weekly: bool = False,
    cohost: User | None = None,
) -> Meeting:
    """A one-off or weekly meeting; ``by`` signs up to chair it."""
    if not can_schedule_meeting(by, room):
        raise PermissionDenied("Only members with standing can chair a meeting.")
    _check_cohost(cohost, by)
    title = " ".join((title or "").split())[:80] or "Meeting"
    format_for(room)
    return Meeting.objects.create(
        room=room,
        title=title,
        topic=" ".join((topic or "").split())[:200],
        starts_at=starts_at,
        repeats_weekly=repeats_weekly,
        chair=by,
        cohost=cohost,
    )


@transaction.atomic
def start_meeting(
    *,
    by: User,
    room: Room | None = None,
    meeting: Meeting | None = None,
    title: str = "Meeting now",
    topic: str = "",
    cohost: User | None = None,
) -> Meeting:
    """Open a scheduled meeting, or start one now in ``room`` with ``by`` in the chair."""
    if meeting is None:
        meeting = schedule_meeting(
            by=by, room=room, title=title, topic=topic, starts_at=timezone.now(), cohost=cohost
        )
    meeting = locked(meeting)
    check_runs(by, meeting)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise MeetingError("invalid", "This meeting has already started or ended.")
    now = timezone.now()
    try:
        with transaction.atomic():
            Meeting.objects.filter(pk=meeting.pk).update(
                status=Meeting.Status.LIVE, started_at=now, phase=Meeting.Phase.OPENING
            )
    except IntegrityError:
        raise MeetingError("busy", "Another meeting is live in this room.") from None
    meeting.status, meeting.started_at = Meeting.Status.LIVE, now
    changed(meeting)
    return meeting


@transaction.atomic
def join_meeting(*, member: User, meeting: Meeting, socket: bool = True) -> MeetingAttendee:
    """One more open socket for ``member``: in, or in the lobby, or refused. Without a socket
    (a member without JavaScript, through the plain forms) the same rules apply but no
    connection is counted."""
    meeting = locked(meeting)
    _check_live(meeting)
    if not may_participate(member):
        raise MeetingError("suspended", REFUSAL_TEXT["suspended"])
    attendee = MeetingAttendee.objects.filter(meeting=meeting, member=member).first()
    if attendee is not None and attendee.status == MeetingAttendee.Status.REMOVED:
        raise MeetingError("removed", "The chair has removed you from this meeting.")
    if attendee is None:
        if meeting.is_locked and not can_run_meeting(member, meeting):
            raise MeetingError("locked", "This meeting is locked: nobody new can join now.")
        lobby = waits_in_lobby(member, meeting)
        attendee = MeetingAttendee.objects.create(
            meeting=meeting, member=member, status=MeetingAttendee.Status.LOBBY if lobby else In
        )
    if socket:
        MeetingAttendee.objects.filter(pk=attendee.pk).update(connections=F("connections") + 1)
        attendee.connections += 1
    changed(meeting)
    return attendee


@transaction.atomic
def leave_meeting(*, member: User, meeting: Meeting) -> None:
    """One socket closed. When the chair's last socket goes, the co-host takes the chair (if
    they are there) and the former chair becomes co-host, so they can help when they return."""
    meeting = locked(meeting)
    MeetingAttendee.objects.filter(meeting=meeting, member=member, connections__gt=0).update(
        connections=F("connections") - 1
    )
    if meeting.is_live and member.pk == meeting.chair_id and meeting.cohost_id:
        chair_gone = not MeetingAttendee.objects.filter(
            meeting=meeting, member=member, connections__gt=0
        ).exists()
        cohost_here = MeetingAttendee.objects.filter(
            meeting=meeting, member_id=meeting.cohost_id, connections__gt=0
        ).exists()
        if chair_gone and cohost_here:
            Meeting.objects.filter(pk=meeting.pk).update(
                chair_id=meeting.cohost_id, cohost_id=meeting.chair_id
            )
    if meeting.is_live:
        changed(meeting)


def _attendee(meeting: Meeting, member: User) -> MeetingAttendee | None:
    return MeetingAttendee.objects.filter(meeting=meeting, member=member).first()


@transaction.atomic
def raise_hand(*, member: User, meeting: Meeting, raised: bool = True) -> None:
    meeting = locked(meeting)
    _check_live(meeting)
    attendee = _attendee(meeting, member)
    if attendee is None or attendee.status != In:
        raise MeetingError("not_in_meeting", REFUSAL_TEXT["not_in_meeting"])
    if raised and attendee.is_muted:
        raise MeetingError("muted", REFUSAL_TEXT["muted"])
    if raised and (attendee.hand_raised_at or meeting.sharer_id == member.pk):
        return
    MeetingAttendee.objects.filter(pk=attendee.pk).update(
        hand_raised_at=timezone.now() if raised else None
    )
    changed(meeting)


def _share_seconds(meeting: Meeting) -> int:
    return format_for(meeting.room).share_seconds


def _call(meeting: Meeting, attendee: MeetingAttendee | None) -> None:
    """Give the floor to ``attendee`` (None: nobody) with a fresh timer and thank-you count."""
    now = timezone.now()
    fields = {"sharer_id": None, "share_ends_at": None, "thanks": 0}
    if attendee is not None:
        fields = {
            "sharer_id": attendee.member_id,
            "share_ends_at": now + timedelta(seconds=_share_seconds(meeting)),
            "thanks": 0,
            "phase": Meeting.Phase.SHARES,
            "share_number": F("share_number") + 1,
        }
        MeetingAttendee.objects.filter(pk=attendee.pk).update(hand_raised_at=None)
    Meeting.objects.filter(pk=meeting.pk).update(**fields)
    for name, value in fields.items():
        if name != "share_number":
            setattr(meeting, name, value)
    changed(meeting)


def queue(meeting: Meeting):
    """Raised hands in the order they went up (ties by attendee id)."""
    return MeetingAttendee.objects.filter(
        meeting=meeting, status=In, is_muted=False, hand_raised_at__isnull=False
    ).order_by("hand_raised_at", "id")


@transaction.atomic
def call_next(*, by: User, meeting: Meeting, member_id: int | None = None) -> User | None:
    """The chair gives the floor to the first raised hand (or to ``member_id`` from the queue)."""
    meeting = locked(meeting)
    check_runs(by, meeting)
    _check_live(meeting)
    hands = queue(meeting)
    attendee = (hands.filter(member_id=member_id) if member_id else hands).first()
    if member_id and attendee is None:
        raise MeetingError("invalid", "That member has not raised a hand.")
    _call(meeting, attendee)
    return attendee.member if attendee else None


@transaction.atomic
def finish_share(*, by: User, meeting: Meeting) -> None:
    """The sharer passes, or the chair ends the share; with auto-advance the next hand is called."""
    meeting = locked(meeting)
    _check_live(meeting)
    if by.pk != meeting.sharer_id:
        check_runs(by, meeting)
    _end_share(meeting)


def _end_share(meeting: Meeting) -> None:
    _call(meeting, queue(meeting).first() if meeting.auto_advance else None)


@transaction.atomic
def advance_if_expired(*, meeting_id: int, now: datetime | None = None) -> bool:
    """Any process's socket may call this when it sees the timer run out: the row lock makes
    exactly one of them end the share."""
    meeting = Meeting.objects.select_for_update().select_related("room").get(pk=meeting_id)
    now = now or timezone.now()
    if not meeting.is_live or meeting.share_ends_at is None or meeting.share_ends_at > now:
        return False
    _end_share(meeting)
    return True


@transaction.atomic
def extend_share(*, by: User, meeting: Meeting, seconds: int = 60) -> None:
    meeting = locked(meeting)
    check_runs(by, meeting)
    if meeting.share_ends_at is None:
        raise MeetingError("invalid", "Nobody is sharing.")
    if not 0 < seconds <= MAX_EXTEND_SECONDS:
        raise MeetingError("invalid", f"Extend by 1 to {MAX_EXTEND_SECONDS} seconds.")
    Meeting.objects.filter(pk=meeting.pk).update(
        share_ends_at=F("share_ends_at") + timedelta(seconds=seconds)
    )
    changed(meeting)


@transaction.atomic
def set_phase(*, by: User, meeting: Meeting, phase: str | None = None) -> str:
    """Move the format on (``phase`` None: the next one); leaving shares ends any share."""
    meeting = locked(meeting)
    check_runs(by, meeting)
    _check_live(meeting)
    if phase is None:
        index = PHASES.index(meeting.phase)
        phase = PHASES[min(index + 1, len(PHASES) - 1)]
    if phase not in PHASES:
        raise MeetingError("invalid", "Unknown phase.")
    fields = {"phase": phase}
    if phase != Meeting.Phase.SHARES:
        fields |= {"sharer_id": None, "share_ends_at": None, "thanks": 0}
    Meeting.objects.filter(pk=meeting.pk).update(**fields)
    changed(meeting)
    return phase


@transaction.atomic
def set_auto_advance(*, by: User, meeting: Meeting, on: bool) -> None:
    meeting = locked(meeting)
    check_runs(by, meeting)
    Meeting.objects.filter(pk=meeting.pk).update(auto_advance=on)
    changed(meeting)


@transaction.atomic
def say_thanks(*, member: User, meeting: Meeting) -> None:
    """A quiet thank you for the current share: counted, never stored as a message."""
    meeting = locked(meeting)
    attendee = _attendee(meeting, member)
    if attendee is None or attendee.status != In or meeting.sharer_id is None:
        raise MeetingError("invalid", "There is no share to thank just now.")
    if meeting.sharer_id == member.pk:
        return
    # One per listener per share; the cache (Redis in production) is shared by every process.
    key = f"meeting-thanks:{meeting.pk}:{meeting.share_number}:{member.pk}"
    if not cache.add(key, 1, 3600):
        return
    Meeting.objects.filter(pk=meeting.pk).update(thanks=F("thanks") + 1)
    changed(meeting)


def share_payload(share: MeetingShare) -> dict:
    return {
        "id": share.pk,
        "author": share.author.username if share.author_id else "former member",
        "author_id": share.author_id,
        "body": share.body,
        "open_chat": share.is_open_chat,
        "created": share.created.isoformat(),
    }


@transaction.atomic
def send_share(*, member: User, meeting: Meeting, body: str) -> MeetingShare:
    """Write in the meeting: only the sharer (or anyone in open chat between shares)."""
    body = (body or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if not body:
        raise MeetingError("invalid", "Write something before sending.")
    if len(body) > SHARE_MAX_LENGTH:
        raise MeetingError("too_long", f"A share can be up to {SHARE_MAX_LENGTH:,} characters.")
    meeting = locked(meeting)
    refusal = share_refusal(member, meeting, _attendee(meeting, member))
    if refusal:
        raise MeetingError(refusal, REFUSAL_TEXT[refusal])
    share = MeetingShare.objects.create(
        meeting=meeting, author=member, body=body, is_open_chat=meeting.sharer_id is None
    )
    send_event_on_commit(
        meeting_group(meeting.pk), {"type": "meeting.share", "share": share_payload(share)}
    )
    return share


def mark_reported(share: MeetingShare) -> None:
    """A share someone reported outlives the meeting, for moderators only."""
    MeetingShare.objects.filter(pk=share.pk).update(reported=True)


def _set_hidden(share: MeetingShare, hidden: bool) -> bool:
    return bool(
        MeetingShare.objects.filter(pk=share.pk, is_hidden=not hidden).update(is_hidden=hidden)
    )


def hide_share(*, share: MeetingShare) -> bool:
    """Out of sight: taken off every open meeting view, and not sent to members who
    (re)connect; the row stays for moderators."""
    hidden = _set_hidden(share, True)
    if hidden and share.meeting.is_live:
        send_event_on_commit(
            meeting_group(share.meeting_id), {"type": "meeting.share_hidden", "id": share.pk}
        )
    return hidden


def unhide_share(*, share: MeetingShare) -> bool:
    """Back for members who (re)connect while the meeting lasts."""
    return _set_hidden(share, False)


def remove_share(*, share: MeetingShare) -> bool:
    return bool(MeetingShare.objects.filter(pk=share.pk).delete()[0])


# -- writes behind the audited safety verbs (forum/actions/moderation/meetings.py) -------------


def do_set_muted(*, meeting: Meeting, member: User, muted: bool) -> None:
    fields = {"is_muted": muted} | ({"hand_raised_at": None} if muted else {})
    MeetingAttendee.objects.filter(meeting=meeting, member=member).update(**fields)
    if muted and meeting.sharer_id == member.pk:
        _call(meeting, None)
    changed(meeting)


def do_remove(*, meeting: Meeting, member: User) -> None:
    MeetingAttendee.objects.update_or_create(
        meeting=meeting,
        member=member,
        defaults={"status": MeetingAttendee.Status.REMOVED, "hand_raised_at": None},
    )
    if meeting.sharer_id == member.pk:
        _call(meeting, None)
    changed(meeting)


def do_set_flag(*, meeting: Meeting, name: str, on: bool) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(**{name: on})
    changed(meeting)


def do_admit(*, meeting: Meeting, member: User) -> bool:
    admitted = MeetingAttendee.objects.filter(
        meeting=meeting, member=member, status=MeetingAttendee.Status.LOBBY
    ).update(status=In)
    changed(meeting)
    return bool(admitted)


def do_end(*, meeting: Meeting) -> Meeting | None:
    """End the meeting: no transcript. Every share goes, except those reported by any path
    (socket, report page): kept for moderators, never shown to members again. A weekly meeting
    schedules its next one."""
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.ENDED, ended_at=now, sharer=None, share_ends_at=None, thanks=0
    )
    reported = Report.objects.filter(target_kind=TargetKind.MEETING_SHARE).values("target_id")
    shares = MeetingShare.objects.filter(meeting=meeting)
    shares.filter(pk__in=reported).update(reported=True)
    shares.filter(reported=False).delete()
    MeetingAttendee.objects.filter(meeting=meeting).update(hand_raised_at=None)
    changed(meeting)
    if not meeting.repeats_weekly:
        return None
    return Meeting.objects.create(
        room=meeting.room,
        title=meeting.title,
        topic=meeting.topic,
        starts_at=meeting.starts_at + timedelta(days=7),
        repeats_weekly=True,
        chair=meeting.chair,
        cohost=meeting.cohost,
    )


ALWAYS_OPEN_ROOM = "open"
LOOKING_COOLDOWN_SECONDS = 15 * 60


def look_for_meeting(*, member: User) -> str:
    """ "I need a meeting now": the live meeting's room, or the always-open room.

    Members who switched on "someone is looking for a meeting" are told, without a name, at
    most once per member every LOOKING_COOLDOWN_SECONDS (so one press cannot become a flood).
    """
    from django.urls import reverse

    from forum.actions.notifications import notify
    from forum.models.notifications import NotificationKind

    live = (
        Meeting.objects.filter(status=Meeting.Status.LIVE, room__mentorship__isnull=True)
        .select_related("room")
        .order_by("started_at")
        .first()
    )
    room = live.room if live else Room.objects.filter(slug=ALWAYS_OPEN_ROOM).first()
    url = room.get_absolute_url() if room else reverse("forum:chat_list")
    if cache.add(f"meeting-wanted:{member.pk}", 1, LOOKING_COOLDOWN_SECONDS):
        kind = NotificationKind.MEETING_WANTED
        listeners = User.objects.filter(
            is_active=True,
            notification_preferences__kind=kind,
            notification_preferences__enabled=True,
        ).exclude(pk=member.pk)
        with transaction.atomic():
            for listener in listeners[:500]:
                notify(
                    recipient=listener, kind=kind, text="Someone is looking for a meeting.", url=url
                )
    return url
