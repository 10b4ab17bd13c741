"""Read-side queries for mentoring, with their joins fixed in place."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Block, MentorProfile, MentorRequest, MentorRole, Mentorship
from accounts.permissions import block_related_ids, can_ask_mentor, filter_eligible_mentors


def available_mentors(viewer) -> list[MentorProfile]:
    """Opted-in, eligible, unpaused mentors, with ``active_count``, ``has_room`` and
    ``can_ask`` (``can_ask_mentor`` for the viewer) set.

    Mentors with a block between them and the viewer are left out silently.
    """
    profiles = (
        filter_eligible_mentors(MentorProfile.objects.all(), prefix="member__")
        .filter(is_paused=False)
        .filter(
            Q(member__suspended_until__isnull=True) | Q(member__suspended_until__lte=timezone.now())
        )
        .select_related("member")
        .annotate(
            holds_mentor_role=Exists(MentorRole.objects.filter(member_id=OuterRef("member_id"))),
            active_count=Count(
                "member__mentorships_as_mentor",
                filter=Q(member__mentorships_as_mentor__status=Mentorship.Status.ACTIVE),
            ),
        )
        .order_by("member__username")
    )
    if getattr(viewer, "is_authenticated", False):
        profiles = profiles.exclude(member_id=viewer.pk).exclude(
            member_id__in=block_related_ids(viewer)
        )
    result = list(profiles.distinct())
    for profile in result:
        profile.has_room = profile.active_count < profile.capacity
        profile.member.__dict__["_has_mentor_role"] = profile.holds_mentor_role
        profile.can_ask = can_ask_mentor(viewer, profile.member, profile=profile)
    return result


def mentor_profile_for(member) -> MentorProfile | None:
    return MentorProfile.objects.filter(member_id=member.pk).first()


def incoming_requests(mentor) -> QuerySet[MentorRequest]:
    """Direct requests waiting for this mentor's answer (none from members they blocked)."""
    return (
        MentorRequest.objects.filter(mentor_id=mentor.pk, status=MentorRequest.Status.PENDING)
        .exclude(mentee_id__in=block_related_ids(mentor))
        .select_related("mentee")
        .order_by("created_at", "id")
    )


def open_requests_for(mentor) -> QuerySet[MentorRequest]:
    """Open requests any mentor may take, except the mentor's own and blocked members'."""
    return (
        MentorRequest.objects.filter(mentor__isnull=True, status=MentorRequest.Status.PENDING)
        .exclude(mentee_id=mentor.pk)
        .exclude(mentee_id__in=block_related_ids(mentor))
        .select_related("mentee")
        .order_by("created_at", "id")
    )


def requests_sent_by(member) -> QuerySet[MentorRequest]:
    return (
        MentorRequest.objects.filter(mentee_id=member.pk)
        .select_related("mentor")
        .order_by("-created_at", "-id")[:20]
    )


def pending_open_request(member) -> MentorRequest | None:
    return MentorRequest.objects.filter(
        mentee_id=member.pk, mentor__isnull=True, status=MentorRequest.Status.PENDING
    ).first()


def mentorships_for(member) -> QuerySet[Mentorship]:
    """Active and past mentorships the member is part of; only the two ever see these."""
    return (
        Mentorship.objects.filter(Q(mentor_id=member.pk) | Q(mentee_id=member.pk))
        .select_related("mentor", "mentee")
        .order_by("status", "-started_at")
    )


def get_mentorship_for(member, pk: int) -> Mentorship:
    """The mentorship if ``member`` is one of the two; otherwise it does not exist (404)."""
    mentorship = (
        Mentorship.objects.filter(pk=pk)
        .filter(Q(mentor_id=member.pk) | Q(mentee_id=member.pk))
        .select_related("mentor", "mentee")
        .first()
    )
    if mentorship is None:
        raise Http404("No such mentorship.")
    return mentorship


def get_request_for_answer(member, pk: int) -> MentorRequest:
    """A request the member may see: their own, one addressed to them, or an open one."""
    request = (
        MentorRequest.objects.filter(pk=pk)
        .filter(Q(mentee_id=member.pk) | Q(mentor_id=member.pk) | Q(mentor__isnull=True))
        .select_related("mentee", "mentor")
        .first()
    )
    if request is None:
        raise Http404("No such request.")
    return request


def blocks_made_by(member) -> QuerySet[Block]:
    return Block.objects.filter(blocker_id=member.pk).select_related("blocked")


def mentoring_export(member) -> dict:
    """The member's mentoring, blocks and notifications, for the /me/export/ download."""
    from forum.models import Notification, NotificationPreference

    profile = mentor_profile_for(member)
    return {
        "mentor_profile": None
        if profile is None
        else {
            "intro": profile.intro,
            "focus_steps": profile.focus_steps,
            "capacity": profile.capacity,
            "is_paused": profile.is_paused,
        },
        "mentor_requests_sent": [
            {
                "to": r.mentor.username if r.mentor_id else None,
                "message": r.message,
                "status": r.status,
                "note": r.note,
                "created_at": r.created_at.isoformat(),
            }
            for r in MentorRequest.objects.filter(mentee_id=member.pk).select_related("mentor")
        ],
        "mentorships": [
            {
                "role": "mentor" if m.mentor_id == member.pk else "mentee",
                "with": m.other_name(member),
                "status": m.status,
                "started_at": m.started_at.isoformat(),
                "ended_at": m.ended_at.isoformat() if m.ended_at else None,
            }
            for m in mentorships_for(member)
        ],
        "blocked_members": [b.blocked.username for b in blocks_made_by(member)],
        "notifications": [
            {
                "kind": n.kind,
                "text": n.text,
                "url": n.url,
                "created_at": n.created_at.isoformat(),
                "read": n.read_at is not None,
            }
            for n in Notification.objects.filter(recipient_id=member.pk).order_by("-created_at")
        ],
        "notification_preferences": {
            p.kind: p.enabled for p in NotificationPreference.objects.filter(member_id=member.pk)
        },
    }
