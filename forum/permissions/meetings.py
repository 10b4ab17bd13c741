"""Who may chair, run, join and write in a meeting: the one home of these rules."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.permissions import can_mentor
from accounts.roles import capabilities
from accounts.standing import may_participate
from forum.models import Meeting, MeetingAttendee
from forum.permissions.chat import can_see_room


def can_chair(member) -> bool:
    """Members with standing who sign up to chair: those who may mentor, and moderators."""
    if not getattr(member, "is_authenticated", False) or not may_participate(member):
        return False
    return can_mentor(member) or capabilities(member).moderate_content


COHOST_RULE = (
    "A co-host is another member who may chair: a mentor, a moderator, or a member on Step 12 "
    "whose account is old enough to mentor."
)


def cohost_refusal(cohost, chair) -> str | None:
    """Why ``cohost`` cannot co-host a meeting ``chair`` chairs (the one rule for the forms and
    the actions), or None. Co-hosts are chosen by the same rule as chairs: ``can_chair``."""
    if cohost is None:
        return None
    if cohost.pk == chair.pk:
        return "You are chairing this meeting, so you cannot also be its co-host."
    if not can_chair(cohost):
        return f"{cohost.username} cannot co-host. {COHOST_RULE}"
    return None


def can_schedule_meeting(member, room) -> bool:
    return can_chair(member) and room.mentorship_id is None and can_see_room(member, room)


def can_run_meeting(member, meeting: Meeting) -> bool:
    """Chair, co-host, or a moderator: the safety verbs and the format's advance."""
    if not getattr(member, "is_authenticated", False):
        return False
    if member.pk in (meeting.chair_id, meeting.cohost_id):
        return may_participate(member)
    return capabilities(member).moderate_content


def can_see_share(member, share) -> bool:
    """Only during the meeting, only for those in it: there is no transcript. A share kept
    after the end because someone reported it is for moderators' queue alone."""
    meeting = share.meeting
    if not meeting.is_live or not getattr(member, "is_authenticated", False):
        return False
    if share.is_hidden and share.author_id != member.pk:
        return False
    if can_run_meeting(member, meeting):
        return True
    return MeetingAttendee.objects.filter(
        meeting=meeting, member=member, status=MeetingAttendee.Status.IN
    ).exists()


def can_edit_format(member, room) -> bool:
    """Who may change a room's format texts: the members who may chair a meeting in it
    (members with standing who sign up to chair, mentors, moderators) - the same people who
    read the texts out."""
    return can_schedule_meeting(member, room)


def lobby_new_account_days() -> int:
    return int(settings.HOMEGROUP.get("MEETING_LOBBY_NEW_ACCOUNT_DAYS", 0))


def waits_in_lobby(member, meeting: Meeting, *, now=None) -> bool:
    """A first-time attendee waits while the lobby is on; so does every new account when the
    ``MEETING_LOBBY_NEW_ACCOUNT_DAYS`` setting is above 0. Those who run it never wait."""
    if can_run_meeting(member, meeting):
        return False
    days = lobby_new_account_days()
    now = now or timezone.now()
    if days and member.date_joined > now - timedelta(days=days):
        return True
    if not meeting.lobby_on:
        return False
    been_before = (
        MeetingAttendee.objects.filter(member=member, status=MeetingAttendee.Status.IN)
        .exclude(meeting=meeting)
        .exists()
    )
    return not been_before


def share_refusal(member, meeting: Meeting, attendee: MeetingAttendee | None) -> str | None:
    """Why ``member`` may not write in the meeting now, or None. Cross-talk is impossible: while
    someone shares only they write; between shares only if the format opens the chat."""
    if not meeting.is_live:
        return "not_live"
    if attendee is None or attendee.status != MeetingAttendee.Status.IN:
        return "not_in_meeting"
    if not may_participate(member):
        return "suspended"
    if attendee.is_muted:
        return "muted"
    if meeting.sharer_id is not None:
        return None if meeting.sharer_id == member.pk else "not_your_share"
    return None if _open_chat(meeting) else "no_cross_talk"


def _open_chat(meeting: Meeting) -> bool:
    fmt = getattr(meeting.room, "meeting_format", None)
    return bool(fmt and fmt.open_chat_between_shares and meeting.phase == Meeting.Phase.SHARES)


REFUSAL_TEXT = {
    "not_live": "This meeting is not live.",
    "not_in_meeting": "You are not in this meeting.",
    "suspended": "Your account is suspended for now, so you cannot join or write in meetings. "
    "You can still read the room's page.",
    "muted": "The chair has muted you for this meeting.",
    "not_your_share": "Someone is sharing: only they can write now. You can send a quiet thank you.",
    "no_cross_talk": "Raise your hand to share; the chair will call you.",
}
