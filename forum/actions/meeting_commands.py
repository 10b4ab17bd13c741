"""One command of a meeting — a socket frame or a plain form — run as its one action.

The socket (forum/realtime/meetings.py) and the pages without JavaScript (forum/views/meetings.py)
both come here, so a chair or a member can do the same things either way and every permission
check stays in the action it guards.
"""

from __future__ import annotations

from accounts.models import User
from forum.actions import meetings as act
from forum.actions.moderation import meetings as safety
from forum.errors import MeetingError
from forum.models import Meeting, MeetingShare

MEMBER_COMMANDS = frozenset({"raise_hand", "lower_hand", "thanks", "pass", "share"})
CHAIR_COMMANDS = frozenset(
    {
        "call_next",
        "extend",
        "phase",
        "auto_advance",
        "mute",
        "remove",
        "lock",
        "lobby",
        "admit",
        "end",
    }
)


def _member(command: dict) -> User:
    found = User.objects.filter(pk=command.get("member_id")).first()
    if found is None:
        raise MeetingError("invalid", "No such member in this meeting.")
    return found


def perform(*, member: User, meeting: Meeting, command: dict) -> None:
    """Run what ``command`` (already checked for its fields' types) asks of ``meeting``."""
    kind = command["type"]
    on = command.get("on", True)
    if kind in ("raise_hand", "lower_hand"):
        act.raise_hand(member=member, meeting=meeting, raised=kind == "raise_hand")
    elif kind == "share":
        act.send_share(member=member, meeting=meeting, body=command["body"])
    elif kind == "thanks":
        act.say_thanks(member=member, meeting=meeting)
    elif kind == "pass":
        act.finish_share(by=member, meeting=meeting)
    elif kind == "report":
        share = MeetingShare.objects.filter(pk=command["share_id"], meeting=meeting).first()
        if share is None:
            raise MeetingError("invalid", "No such share.")
        safety.report_share(
            member=member,
            share=share,
            reason=command.get("reason") or "other",
            note=command.get("note") or "",
        )
    elif kind == "call_next":
        act.call_next(by=member, meeting=meeting, member_id=command.get("member_id"))
    elif kind == "extend":
        act.extend_share(by=member, meeting=meeting, seconds=command.get("seconds", 60))
    elif kind == "phase":
        act.set_phase(by=member, meeting=meeting, phase=command.get("phase"))
    elif kind == "auto_advance":
        act.set_auto_advance(by=member, meeting=meeting, on=on)
    elif kind == "mute":
        safety.mute_in_meeting(by=member, meeting=meeting, member=_member(command), muted=on)
    elif kind == "remove":
        safety.remove_from_meeting(by=member, meeting=meeting, member=_member(command))
    elif kind == "lock":
        safety.set_meeting_lock(by=member, meeting=meeting, locked=on)
    elif kind == "lobby":
        safety.set_meeting_lobby(by=member, meeting=meeting, on=on)
    elif kind == "admit":
        safety.admit_from_lobby(by=member, meeting=meeting, member=_member(command))
    elif kind == "end":
        safety.end_meeting(by=member, meeting=meeting)
    else:
        raise MeetingError("invalid", "Unknown meeting command.")
