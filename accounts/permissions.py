"""Who may do what between members: mentoring eligibility, blocks and private contact.

``can_*`` answer for templates and actions; ``filter_*`` apply the same rule to querysets.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Block, MentorRequest, Mentorship
from accounts.session_members import forget_values
from accounts.standing import may_participate
from accounts.step_rules import can_carry_message, carry_message_step


def mentor_min_account_days() -> int:
    return settings.HOMEGROUP["MENTOR_MIN_ACCOUNT_DAYS"]


def newcomer_days() -> int:
    return settings.HOMEGROUP["NEWCOMER_DAYS"]


def _older_than(member, days: int, *, now=None) -> bool:
    return member.date_joined <= (now or timezone.now()) - datetime.timedelta(days=days)


def has_mentor_role(member) -> bool:
    """A moderator granted this member the mentor role (cached on the instance)."""
    cached = member.__dict__.get("_has_mentor_role")
    if cached is None:
        from accounts.models import MentorRole

        cached = MentorRole.objects.filter(member_id=member.pk).exists()
        member.__dict__["_has_mentor_role"] = cached
    return cached


def can_mentor(member, *, now=None) -> bool:
    """The one rule: Step 12 and an account at least MENTOR_MIN_ACCOUNT_DAYS old, or the role.

    Mentoring is carrying the message, which is Step 12's work; the account age keeps a brand
    new account that clicked through the steps from mentoring anyone.
    """
    if not getattr(member, "is_authenticated", False) or not member.is_active:
        return False
    if can_carry_message(member) and _older_than(member, mentor_min_account_days(), now=now):
        return True
    return has_mentor_role(member)


def filter_eligible_mentors(members: QuerySet, *, prefix: str = "", now=None) -> QuerySet:
    """``can_mentor`` as a queryset filter. ``prefix`` is the path to the member, e.g. "member__"."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=mentor_min_account_days())
    rule = Q(
        **{
            f"{prefix}current_step__gte": carry_message_step(),
            f"{prefix}date_joined__lte": cutoff,
        }
    ) | Q(**{f"{prefix}mentor_role__isnull": False})
    return members.filter(rule, **{f"{prefix}is_active": True})


def is_newcomer(member, *, now=None) -> bool:
    """An account younger than NEWCOMER_DAYS: nobody may contact them privately uninvited."""
    return not _older_than(member, newcomer_days(), now=now)


BLOCKED_IDS_TTL = 300


def blocked_ids_cache_key(member_id: int) -> str:
    return f"blocks:{member_id}"


def blocked_ids(member) -> frozenset[int]:
    """Ids of members this member has blocked.

    Every page with posts or chat messages asks, so the answer is kept on the instance and in
    the cache; blocking and unblocking drop the cached value.
    """
    if not getattr(member, "is_authenticated", False):
        return frozenset()
    cached = member.__dict__.get("_blocked_ids")
    if cached is None:
        key = blocked_ids_cache_key(member.pk)
        stored = cache.get(key)
        if stored is None:
            stored = list(
                Block.objects.filter(blocker_id=member.pk).values_list("blocked_id", flat=True)
            )
            cache.set(key, stored, BLOCKED_IDS_TTL)
        cached = frozenset(stored)
        member.__dict__["_blocked_ids"] = cached
    return cached


def block_applies(blocked: Collection[int], *, author_id: int | None, anonymous: bool) -> bool:
    """Does a viewer's block (``blocked``: ``blocked_ids(viewer)``) apply to a piece of content?

    The one rule for every place a block changes what a member sees of content: folding posts
    and chat messages, notifications, mentions. Never for anonymous content: if a block made
    any difference there (a fold, a missing notification), the viewer would learn that the
    "Anonymous member" is someone they blocked.
    """
    return not anonymous and author_id is not None and author_id in blocked


def forget_blocked_ids(member) -> None:
    for name in ("_blocked_ids", "_hidden_ids"):
        member.__dict__.pop(name, None)
    forget_values([blocked_ids_cache_key(member.pk)])


def has_blocked(blocker, blocked) -> bool:
    return Block.objects.filter(blocker_id=blocker.pk, blocked_id=blocked.pk).exists()


def block_related_ids(member) -> frozenset[int]:
    """Members with a block between them and ``member``, either way (cached on the instance)."""
    cached = member.__dict__.get("_hidden_ids")
    if cached is None:
        rows = Block.objects.filter(Q(blocker_id=member.pk) | Q(blocked_id=member.pk)).values_list(
            "blocker_id", "blocked_id"
        )
        cached = frozenset(a if b == member.pk else b for a, b in rows)
        member.__dict__["_hidden_ids"] = cached
    return cached


def either_blocked(a, b) -> bool:
    return Block.objects.filter(
        Q(blocker_id=a.pk, blocked_id=b.pk) | Q(blocker_id=b.pk, blocked_id=a.pk)
    ).exists()


def recipient_asked(*, mentor, mentee) -> bool:
    """The mentee asked this mentor: a direct request, an open request, or a mentorship."""
    if Mentorship.objects.filter(mentor_id=mentor.pk, mentee_id=mentee.pk).exists():
        return True
    return (
        MentorRequest.objects.filter(mentee_id=mentee.pk)
        .filter(
            Q(mentor_id=mentor.pk, status__in=["pending", "accepted"])
            | Q(mentor__isnull=True, status="pending")
        )
        .exists()
    )


def can_contact_privately(sender, recipient, *, now=None) -> bool:
    """May ``sender`` start private contact with ``recipient`` (a request, a private room)?

    Refused between blocked members (in either direction: the blocker should unblock first),
    for members who may not participate, and, while the recipient is a newcomer, for anyone
    but a mentor the newcomer asked.
    """
    if not getattr(sender, "is_authenticated", False) or sender.pk == recipient.pk:
        return False
    if not may_participate(sender) or not recipient.is_active:
        return False
    if either_blocked(sender, recipient):
        return False
    if is_newcomer(recipient, now=now):
        return can_mentor(sender, now=now) and recipient_asked(mentor=sender, mentee=recipient)
    return True


def can_ask_mentor(mentee, mentor, *, profile) -> bool:
    """May ``mentee`` ask ``mentor`` (whose ``MentorProfile`` is ``profile``) to mentor them?

    The one rule for the mentor list's "Ask" and for the request itself. A listed, unpaused
    mentor invited requests, so the newcomer protection of ``can_contact_privately`` (about who
    may contact a *newcomer*) does not apply: a mentor younger than NEWCOMER_DAYS, e.g. one a
    moderator granted the role, may be asked. Refused with a block either way, and while either
    member may not participate. Capacity and earlier requests are the action's own answers.
    """
    if not getattr(mentee, "is_authenticated", False) or mentee.pk == mentor.pk:
        return False
    if profile is None or profile.member_id != mentor.pk or profile.is_paused:
        return False
    if not may_participate(mentee) or not may_participate(mentor) or not can_mentor(mentor):
        return False
    return mentor.pk not in block_related_ids(mentee)


def can_ask_for_mentor(member) -> bool:
    """Suspended or banned members cannot ask for a mentor."""
    return may_participate(member)


def can_read_shared_work(viewer, mentorship) -> bool:
    """Only the mentor of an active mentorship reads what the mentee shared from their workbook.

    Ending the mentorship ends the access; moderators and admins have none.
    """
    return (
        getattr(viewer, "is_authenticated", False)
        and mentorship.is_active
        and mentorship.mentor_id == viewer.pk
    )
