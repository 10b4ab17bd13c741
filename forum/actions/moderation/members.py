"""Acting on members: warn, mute in a room, suspend, ban."""

from __future__ import annotations

from datetime import timedelta

from allauth.usersessions.models import UserSession
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from forum.actions.chat import disconnect_member, mute_member
from forum.actions.moderation.common import (
    Action,
    Target,
    actioned,
    clean_duration,
    clean_reason,
    close_reports,
    when,
    write_audit,
)
from forum.actions.notifications import notify
from forum.errors import ModerationError
from forum.models import AuditLogEntry, NotificationKind, Report, Room, TargetKind
from forum.permissions.moderation import check_can_act_on_member, check_can_moderate_members


def check_member_action(*, moderator: User, member: User, reason: str) -> str:
    check_can_moderate_members(moderator)
    check_can_act_on_member(moderator, member)
    return clean_reason(reason)


def _close_item_reports(moderator: User, item: Target | None, member: User, outcome: str):
    """A member action taken from the queue closes the reports of that item and of the member."""
    if item is not None and item.kind != TargetKind.MEMBER:
        actioned(item, moderator, outcome)
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
        description=f"member {member.username} in {where} until {when(until)}",
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
        description=f"member {member.username} until {when(until)}",
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
