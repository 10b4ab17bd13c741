"""Acting on members: warn, mute in a room, suspend, ban, and lifting each of those again."""

from __future__ import annotations

from datetime import timedelta

from allauth.usersessions.models import UserSession
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.standing import is_suspended
from forum.actions import posts, topics
from forum.actions.chat import (
    disconnect_member,
    hide_message,
    mute_member,
    unmute_member,
)
from forum.actions.moderation.common import (
    Action,
    Target,
    actioned,
    clean_duration,
    clean_reason,
    close_reports,
    room_label,
    when,
    write_audit,
)
from forum.actions.notifications import notify
from forum.errors import ModerationError
from forum.models import (
    AuditLogEntry,
    ChatMessage,
    MemberNote,
    NotificationKind,
    Post,
    Report,
    Room,
    RoomMute,
    TargetKind,
    Topic,
    TopicState,
)
from forum.models.chat import ContentState
from forum.models.moderation import NOTE_MAX_LENGTH as NOTE_LENGTH
from forum.models.posts import HIDEABLE_POST_STATES
from forum.permissions.moderation import (
    check_can_act_on_member,
    check_can_moderate_content,
    check_can_moderate_members,
)


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
    where = room_label(room)
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


# Lifting: each undoes one measure, says why in the audit log, and tells the member ---------


def _lifted(
    *, moderator: User, member: User, action: str, reason: str, description: str, text: str
):
    notify(recipient=member, kind=NotificationKind.MODERATOR_WARNING, text=text)
    return write_audit(
        moderator=moderator,
        action=action,
        reason=reason,
        member=member,
        description=description,
    )


def lift_suspension(*, moderator: User, member: User, reason: str) -> AuditLogEntry:
    """The member may take part again at once."""
    reason = check_member_action(moderator=moderator, member=member, reason=reason)
    if not is_suspended(member):
        raise ModerationError("This member is not suspended.")
    return do_lift_suspension(moderator=moderator, member=member, reason=reason)


@transaction.atomic
def do_lift_suspension(*, moderator: User, member: User, reason: str) -> AuditLogEntry:
    User.objects.filter(pk=member.pk).update(suspended_until=None)
    member.suspended_until = None
    return _lifted(
        moderator=moderator,
        member=member,
        action=Action.LIFT_SUSPENSION,
        reason=reason,
        description=f"member {member.username}",
        text="A moderator lifted your suspension: you can take part again. Welcome back.",
    )


def active_mute_rooms(member: User):
    """The rooms the member is muted in right now."""
    return Room.objects.filter(mutes__member=member, mutes__until__gt=timezone.now()).order_by(
        "position", "title"
    )


def unmute_in_chat(*, moderator: User, member: User, room: Room, reason: str) -> AuditLogEntry:
    reason = check_member_action(moderator=moderator, member=member, reason=reason)
    if (
        room is None
        or not RoomMute.objects.filter(room=room, member=member, until__gt=timezone.now()).exists()
    ):
        raise ModerationError("This member is not muted in that room.")
    return do_unmute(moderator=moderator, member=member, room=room, reason=reason)


@transaction.atomic
def do_unmute(*, moderator: User, member: User, room: Room, reason: str) -> AuditLogEntry:
    unmute_member(room=room, member=member, by=moderator)
    where = room_label(room)
    return _lifted(
        moderator=moderator,
        member=member,
        action=Action.UNMUTE,
        reason=reason,
        description=f"member {member.username} in {where}",
        text=f"A moderator lifted your mute: you can write in {where} again.",
    )


def unban_member(*, moderator: User, member: User, reason: str) -> AuditLogEntry:
    """The account works again; the member logs in afresh (every session ended with the ban)."""
    reason = check_member_action(moderator=moderator, member=member, reason=reason)
    if member.is_active:
        raise ModerationError("This member is not banned.")
    return do_unban(moderator=moderator, member=member, reason=reason)


@transaction.atomic
def do_unban(*, moderator: User, member: User, reason: str) -> AuditLogEntry:
    User.objects.filter(pk=member.pk).update(is_active=True)
    member.is_active = True
    return _lifted(
        moderator=moderator,
        member=member,
        action=Action.UNBAN,
        reason=reason,
        description=f"member {member.username}",
        text="A moderator lifted your ban: your account works again. Welcome back.",
    )


# A spam account: everything it wrote, at once --------------------------------------------------


def hide_everything_by(*, moderator: User, member: User, reason: str) -> AuditLogEntry:
    """Hide every topic, post and chat message the member wrote (one audit entry)."""
    check_can_moderate_content(moderator)
    reason = check_member_action(moderator=moderator, member=member, reason=reason)
    return do_hide_everything_by(moderator=moderator, member=member, reason=reason)


@transaction.atomic
def do_hide_everything_by(*, moderator: User, member: User, reason: str) -> AuditLogEntry:
    hidden = {"topics": 0, "posts": 0, "messages": 0}
    for topic in Topic.objects.filter(author=member).exclude(state=TopicState.HIDDEN):
        hidden["topics"] += topics.hide_topic(topic=topic)
    for post in Post.objects.filter(author=member, state__in=HIDEABLE_POST_STATES):
        hidden["posts"] += posts.hide_post(post=post)
    for message in ChatMessage.objects.filter(author=member).exclude(state=ContentState.HIDDEN):
        hidden["messages"] += hide_message(message=message, by=moderator)
    for kind in (TargetKind.TOPIC, TargetKind.POST, TargetKind.CHAT_MESSAGE):
        for report in (
            Report.objects.filter(status=Report.Status.OPEN, target_kind=kind, subject=member)
            .values_list("target_id", flat=True)
            .distinct()
        ):
            close_reports(
                kind=kind,
                target_id=report,
                moderator=moderator,
                status=Report.Status.ACTIONED,
                outcome="Hidden",
            )
    if any(hidden.values()):
        notify(
            recipient=member,
            kind=NotificationKind.MODERATION_NOTICE,
            text="A moderator hid what you wrote here, because it looked like advertising or "
            "spam. Others no longer see it.",
        )
    counts = ", ".join(f"{n} {what}" for what, n in hidden.items())
    return write_audit(
        moderator=moderator,
        action=Action.HIDE_ALL,
        reason=reason,
        member=member,
        description=f"member {member.username}: {counts}",
    )


# Moderator notes -----------------------------------------------------------------------------


def add_note(*, moderator: User, member: User, text: str) -> MemberNote:
    """A note only moderators read; the audit log records that it was written and by whom."""
    check_can_moderate_members(moderator)
    check_can_act_on_member(moderator, member)
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ModerationError("Please write the note.")
    if len(text) > NOTE_LENGTH:
        raise ModerationError(f"Please keep a note to {NOTE_LENGTH} characters.")
    return do_add_note(moderator=moderator, member=member, text=text)


@transaction.atomic
def do_add_note(*, moderator: User, member: User, text: str) -> MemberNote:
    note = MemberNote.objects.create(
        member=member, author=moderator, author_name=moderator.username, text=text
    )
    write_audit(
        moderator=moderator,
        action=Action.NOTE,
        reason=f"Note #{note.pk}",
        member=member,
        description=f"member {member.username}",
    )
    return note
