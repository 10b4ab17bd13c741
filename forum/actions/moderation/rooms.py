"""In-room controls for moderators: lock a chat room, and slow mode on or off.

The chat actions send the change live to every open socket; these check who may act and write
the audit entry. Hiding a message and muting in a room are the content and member verbs.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from forum.actions import chat
from forum.actions.moderation.common import Action, clean_reason, write_audit
from forum.errors import ModerationError
from forum.models import AuditLogEntry, Room
from forum.permissions.moderation import check_can_moderate_content

MAX_SLOW_MODE_SECONDS = 3600


def _check(moderator: User, room: Room, reason: str) -> str:
    check_can_moderate_content(moderator)
    if room.is_private:
        raise ModerationError("A private mentorship room is not moderated from its page.")
    return clean_reason(reason)


@transaction.atomic
def set_room_lock(*, moderator: User, room: Room, locked: bool, reason: str) -> AuditLogEntry:
    reason = _check(moderator, room, reason)
    chat.lock_room(room=room, locked=locked, by=moderator)
    return write_audit(
        moderator=moderator,
        action=Action.LOCK if locked else Action.UNLOCK,
        reason=reason,
        description=f"chat room {room.title}",
    )


@transaction.atomic
def set_room_slow_mode(*, moderator: User, room: Room, seconds: int, reason: str) -> AuditLogEntry:
    reason = _check(moderator, room, reason)
    if not 0 <= seconds <= MAX_SLOW_MODE_SECONDS:
        raise ModerationError(f"Slow mode is 0 (off) to {MAX_SLOW_MODE_SECONDS} seconds.")
    chat.set_slow_mode(room=room, seconds=seconds, by=moderator)
    state = f"{seconds} s" if seconds else "off"
    return write_audit(
        moderator=moderator,
        action=Action.SLOW_MODE,
        reason=reason,
        description=f"chat room {room.title}: slow mode {state}",
    )
