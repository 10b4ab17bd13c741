"""Appeals: a member asks for another look at a suspension, a mute or a ban, once per measure.

The appeal goes to a moderator other than the one who acted (the one with the fewest open
appeals); that moderator, or any other but the one who acted, lifts the measure or keeps it
with a reply the member reads.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from accounts.roles import MODERATE_MEMBERS
from accounts.standing import is_banned, is_suspended
from forum.actions.moderation.common import Action, write_audit
from forum.actions.moderation.members import (
    active_mute_rooms,
    do_lift_suspension,
    do_unban,
    do_unmute,
)
from forum.actions.notifications import notify
from forum.errors import ItemNotFound, ModerationError
from forum.models import Appeal, AuditLogEntry, NotificationKind
from forum.models.moderation import APPEAL_MAX_LENGTH
from forum.permissions.moderation import check_can_moderate_members

APPEALABLE = (Action.SUSPEND, Action.MUTE, Action.BAN)


def in_force(entry: AuditLogEntry, member: User) -> bool:
    """Whether the measure this entry records still applies to the member."""
    if entry.action == Action.SUSPEND:
        return is_suspended(member)
    if entry.action == Action.MUTE:
        return active_mute_rooms(member).exists()
    if entry.action == Action.BAN:
        return is_banned(member)
    return False


def check_appeal(*, member: User, entry_id: int, text: str) -> tuple[AuditLogEntry, str]:
    entry = AuditLogEntry.objects.filter(
        pk=entry_id, member_id=member.pk, action__in=APPEALABLE
    ).first()
    if entry is None:
        raise ItemNotFound("No such measure.")
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ModerationError("Please say what you would like a moderator to know.")
    if len(text) > APPEAL_MAX_LENGTH:
        raise ModerationError(f"Please keep the appeal to {APPEAL_MAX_LENGTH} characters.")
    if Appeal.objects.filter(entry=entry).exists():
        raise ModerationError("You have already appealed this; a moderator will answer.")
    if not in_force(entry, member):
        raise ModerationError("This measure has already ended.")
    return entry, text


def reviewer_for(entry: AuditLogEntry) -> User | None:
    """A moderator other than the one who acted: the one with the fewest open appeals."""
    app_label, codename = MODERATE_MEMBERS.split(".")
    holds = Q(is_superuser=True) | Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    )
    holds |= Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    candidates = (
        User.objects.filter(holds, is_active=True)
        .exclude(pk=entry.moderator_id)
        .exclude(pk=entry.member_id)
        .distinct()
    )
    open_counts = dict(
        Appeal.objects.filter(status=Appeal.Status.OPEN, assigned_to__isnull=False)
        .values_list("assigned_to")
        .annotate(n=Count("id"))
    )
    ranked = sorted(candidates, key=lambda m: (m.is_superuser, open_counts.get(m.pk, 0), m.pk))
    return ranked[0] if ranked else None


@transaction.atomic
def do_appeal(*, member: User, entry: AuditLogEntry, text: str) -> Appeal:
    reviewer = reviewer_for(entry)
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                member=member, entry=entry, text=text, assigned_to=reviewer
            )
    except IntegrityError as duplicate:
        raise ModerationError("You have already appealed this; a moderator will answer.") from (
            duplicate
        )
    if reviewer is not None:
        notify(
            recipient=reviewer,
            kind=NotificationKind.APPEAL_RECEIVED,
            text=f"{member.username} appealed a measure; it waits for you in the appeals list.",
            url="/moderation/appeals/",
        )
    return appeal


def appeal_measure(*, member: User, entry_id: int, text: str) -> Appeal:
    entry, text = check_appeal(member=member, entry_id=entry_id, text=text)
    return do_appeal(member=member, entry=entry, text=text)


def check_decide(*, moderator: User, appeal_id: int, response: str) -> tuple[Appeal, str]:
    check_can_moderate_members(moderator)
    appeal = Appeal.objects.select_related("entry", "member").filter(pk=appeal_id).first()
    if appeal is None:
        raise ItemNotFound("No such appeal.")
    if appeal.status != Appeal.Status.OPEN:
        raise ModerationError("This appeal has already been answered.")
    if appeal.entry.moderator_id == moderator.pk:
        raise ModerationError("Another moderator answers an appeal about your own decision.")
    response = " ".join((response or "").replace("\x00", "").split())
    if not response:
        raise ModerationError("Please write a reply: the member reads it.")
    return appeal, response


def _mute_room(appeal: Appeal):
    rooms = list(active_mute_rooms(appeal.member))
    for room in rooms:
        if f" in {room.title} until" in appeal.entry.target_description:
            return room
    return rooms[0] if rooms else None


@transaction.atomic
def do_decide(*, moderator: User, appeal: Appeal, lift: bool, response: str) -> Appeal:
    member = appeal.member
    if lift and in_force(appeal.entry, member):
        if appeal.entry.action == Action.SUSPEND:
            do_lift_suspension(moderator=moderator, member=member, reason=f"Appeal: {response}")
        elif appeal.entry.action == Action.BAN:
            do_unban(moderator=moderator, member=member, reason=f"Appeal: {response}")
        else:
            do_unmute(
                moderator=moderator,
                member=member,
                room=_mute_room(appeal),
                reason=f"Appeal: {response}",
            )
    elif not lift:
        write_audit(
            moderator=moderator,
            action=Action.KEEP_ON_APPEAL,
            reason=response,
            member=member,
            description=f"{appeal.entry.get_action_display().lower()} of member {member.username}",
        )
    appeal.status = Appeal.Status.LIFTED if lift else Appeal.Status.KEPT
    appeal.response = response
    appeal.resolved_at = timezone.now()
    appeal.resolved_by = moderator
    appeal.save(update_fields=["status", "response", "resolved_at", "resolved_by"])
    outcome = "lifted the measure" if lift else "looked again and kept the measure"
    notify(
        recipient=member,
        kind=NotificationKind.MODERATION_NOTICE,
        text=f"About your appeal: a moderator {outcome}. Their reply: \u201c{response}\u201d",
    )
    return appeal


def decide_appeal(*, moderator: User, appeal_id: int, lift: bool, response: str) -> Appeal:
    appeal, response = check_decide(moderator=moderator, appeal_id=appeal_id, response=response)
    return do_decide(moderator=moderator, appeal=appeal, lift=lift, response=response)
