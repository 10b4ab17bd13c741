"""Care for a member at risk: a moderator's private check-in, which the member can answer.

Sent from the item page of an at-risk report. Only the member and moderators read it; the audit
log records that a check-in was sent, never its words.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from forum.actions.moderation.common import Action, open_reports, resolve_target, write_audit
from forum.actions.notifications import notify
from forum.errors import ItemNotFound, ModerationError
from forum.models import CheckIn, NotificationKind, Report
from forum.models.moderation import NOTE_MAX_LENGTH
from forum.permissions.moderation import check_can_moderate_members


def _clean(text: str, *, what: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ModerationError(f"Please write {what}.")
    if len(text) > NOTE_MAX_LENGTH:
        raise ModerationError(f"Please keep it to {NOTE_MAX_LENGTH} characters.")
    return text


def send_check_in(*, moderator: User, kind: str, target_id: int, text: str) -> CheckIn:
    check_can_moderate_members(moderator)
    target = resolve_target(kind, target_id)
    at_risk = open_reports(kind, target_id).filter(reason=Report.Reason.MEMBER_AT_RISK)
    if not at_risk.exists():
        raise ModerationError("A check-in is sent from an open \u201cmember at risk\u201d report.")
    if target.subject is None or not target.subject.is_active:
        raise ModerationError("This member can no longer be reached.")
    text = _clean(text, what="your message")
    return do_send_check_in(moderator=moderator, member=target.subject, target=target, text=text)


@transaction.atomic
def do_send_check_in(*, moderator: User, member: User, target, text: str) -> CheckIn:
    check_in = CheckIn.objects.create(
        member=member,
        moderator=moderator,
        moderator_name=moderator.username,
        target_kind=target.kind,
        target_id=target.id,
        text=text,
    )
    notify(
        recipient=member,
        kind=NotificationKind.MODERATION_NOTICE,
        text="A moderator wrote to check in on you. Only you and the moderators can read it, "
        "and you can answer if you like.",
        url=check_in.get_absolute_url(),
    )
    write_audit(
        moderator=moderator,
        action=Action.CHECK_IN,
        reason="Check-in sent (its words stay private)",
        member=member,
        description=f"member {member.username}",
    )
    return check_in


def check_in_for(*, member: User, check_in_id: int) -> CheckIn:
    """The member's own check-in; anyone else gets ItemNotFound (its existence is private)."""
    found = CheckIn.objects.filter(pk=check_in_id, member_id=member.pk).first()
    if found is None:
        raise ItemNotFound("No such message.")
    return found


@transaction.atomic
def answer_check_in(*, member: User, check_in_id: int, reply: str) -> CheckIn:
    """The member answers once; the moderator who wrote is told (not what was said)."""
    check_in = check_in_for(member=member, check_in_id=check_in_id)
    if check_in.replied_at is not None:
        raise ModerationError("You have already answered; thank you.")
    check_in.reply = _clean(reply, what="your answer")
    check_in.replied_at = timezone.now()
    check_in.save(update_fields=["reply", "replied_at"])
    if check_in.moderator is not None:
        notify(
            recipient=check_in.moderator,
            kind=NotificationKind.APPEAL_RECEIVED,
            text=f"{member.username} answered your check-in.",
            url=f"/moderation/member/{member.pk}/",
        )
    return check_in
