"""Who may see, join and write in a chat room: the one place these rules live.

Private (mentorship) rooms exist only for their mentor and mentee. To anyone else, moderators
included, they look exactly like a room that does not exist (404 over HTTP, 4404 on a socket).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.roles import capabilities
from accounts.standing import is_banned, is_suspended
from forum.models import Room, RoomMute


class SendRefusal:
    """Error codes a member gets when the room will not take their message."""

    READ_ONLY = "read_only"
    SUSPENDED = "suspended"
    LOCKED = "locked"
    MUTED = "muted"
    MEETING = "meeting"


REFUSAL_TEXT = {
    SendRefusal.READ_ONLY: "This mentorship has ended, so the room is kept read-only.",
    SendRefusal.SUSPENDED: "Your account is suspended for now, so you can read but not write.",
    SendRefusal.LOCKED: "A moderator has locked this room for now.",
    SendRefusal.MUTED: "A moderator has paused your messages in this room for a while.",
    SendRefusal.MEETING: "A meeting is on in this room: the room's chat waits until it ends, "
    "so nobody talks across a share.",
}


def can_see_room(member, room: Room) -> bool:
    if not getattr(member, "is_authenticated", False):
        return False
    if room.mentorship_id is None:
        return True
    return room.mentorship.involves(member)


def get_room_for(member, slug: str) -> Room:
    """The room ``slug`` as ``member`` may see it, or Http404 (missing and private look alike)."""
    room = Room.objects.select_related("mentorship", "step").filter(slug=slug).first()
    if room is None or not can_see_room(member, room):
        raise Http404("No such room.")
    return room


def filter_listed_rooms(queryset: QuerySet[Room]) -> QuerySet[Room]:
    """Rooms shown on /chat/ to everyone: never the private mentorship rooms."""
    return queryset.filter(mentorship__isnull=True)


def is_read_only(room: Room) -> bool:
    return room.mentorship_id is not None and not room.mentorship.is_active


def active_mute(member, room: Room, *, now=None) -> RoomMute | None:
    return (
        RoomMute.objects.filter(room=room, member=member, until__gt=now or timezone.now())
        .order_by("-until")
        .first()
    )


@dataclass(frozen=True)
class SendFacts:
    """What ``send_refusal`` would otherwise ask the database, read with the room in the same
    query (forum/selectors/chat.py ``room_for_send``): the end of the member's latest mute in
    the room, and whether a meeting is live there."""

    mute_until: datetime | None
    meeting_live: bool


def _is_muted(member, room: Room, now, facts: SendFacts | None) -> bool:
    if facts is None:
        return active_mute(member, room, now=now) is not None
    return facts.mute_until is not None and facts.mute_until > (now or timezone.now())


def _meeting_is_live(room: Room, facts: SendFacts | None) -> bool:
    if facts is None:
        return room.meetings.filter(status="live").exists()
    return facts.meeting_live


def send_refusal(member, room: Room, *, now=None, facts: SendFacts | None = None) -> str | None:
    """Why ``member`` may not write in ``room`` now (a SendRefusal code), or None if they may.

    Assumes ``can_see_room`` already holds. Moderators may still write in a locked room (to say
    why it is locked) but not in someone's private room, which they cannot see at all.
    ``facts``, read for ``member`` with the room, saves the mute and meeting queries.
    """
    if is_read_only(room):
        return SendRefusal.READ_ONLY
    if is_banned(member) or is_suspended(member, now=now):
        return SendRefusal.SUSPENDED
    if room.is_locked and not capabilities(member).moderate_content:
        return SendRefusal.LOCKED
    if _is_muted(member, room, now, facts):
        return SendRefusal.MUTED
    if _meeting_is_live(room, facts):
        return SendRefusal.MEETING
    return None


def can_send_in_room(member, room: Room) -> bool:
    return can_see_room(member, room) and send_refusal(member, room) is None


def may_connect(member) -> bool:
    """A suspended or banned member's socket is refused (4403); they can still read the page."""
    return not is_banned(member) and not is_suspended(member)


def skips_slow_mode(member, room: Room) -> bool:
    """Moderators keep the conversation safe, so slow mode does not hold them back."""
    return capabilities(member).moderate_content


def can_create_room(member) -> bool:
    return capabilities(member).moderate_content


def can_moderate_chat(member) -> bool:
    return capabilities(member).moderate_content
