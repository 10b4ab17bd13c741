"""Blocking and unblocking. The blocked member is never told."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q

from accounts.actions.mentoring import end_mentorship
from accounts.models import Block, Mentorship, User
from accounts.permissions import forget_blocked_ids
from forum.realtime.events import member_group, send_event_on_commit


class BlockRefused(Exception):
    pass


@transaction.atomic
def block_member(*, blocker: User, blocked: User) -> Block:
    """Block ``blocked`` for ``blocker``; blocking twice is harmless.

    A mentorship between the two ends quietly (an ordinary "ended" notice, no reason given):
    blocking means no more private contact.
    """
    if blocker.pk == blocked.pk:
        raise BlockRefused("You cannot block yourself.")
    try:
        with transaction.atomic():
            block = Block.objects.create(blocker=blocker, blocked=blocked)
    except IntegrityError:
        block = Block.objects.get(blocker=blocker, blocked=blocked)
    forget_blocked_ids(blocker)
    send_event_on_commit(member_group(blocker.pk), {"type": "member.blocks"})
    for mentorship in Mentorship.objects.filter(
        Q(mentor=blocker, mentee=blocked) | Q(mentor=blocked, mentee=blocker),
        status=Mentorship.Status.ACTIVE,
    ):
        end_mentorship(member=blocker, mentorship=mentorship, notify_other=True)
    return block


def unblock_member(*, blocker: User, blocked_id: int) -> bool:
    deleted, _ = Block.objects.filter(blocker=blocker, blocked_id=blocked_id).delete()
    forget_blocked_ids(blocker)
    send_event_on_commit(member_group(blocker.pk), {"type": "member.blocks"})
    return bool(deleted)
