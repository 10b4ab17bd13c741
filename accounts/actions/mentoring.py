"""Mentoring: opting in, asking for a mentor, answering, and ending a mentorship.

Every refusal raises ``MentoringRefused`` with a message fit to show the member. Refusals that
involve a block read like any other "not available" answer: the blocked member is never told.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    FIRST_STEP,
    LAST_STEP,
    MentorProfile,
    MentorRequest,
    MentorRole,
    Mentorship,
    User,
)
from accounts.models.mentoring import (
    INTRO_MAX_LENGTH,
    MAX_CAPACITY,
    NOTE_MAX_LENGTH,
    REQUEST_MESSAGE_MAX_LENGTH,
)
from accounts.permissions import (
    can_ask_mentor,
    can_contact_privately,
    can_mentor,
    either_blocked,
)
from accounts.roles import capabilities
from accounts.standing import may_participate
from forum.actions.chat import close_mentorship_room, open_mentorship_room
from forum.actions.notifications import mark_read_from, notify
from forum.models import NotificationKind

NOT_AVAILABLE = "This mentor is not taking requests right now."
# After a decline the same mentor cannot be asked again for this long: no pressure by repetition.
REASK_AFTER_DAYS = 7


class MentoringRefused(Exception):
    """A mentoring step that cannot happen; the message says why, kindly."""


# --- the mentor's side: opting in -------------------------------------------------------


def check_mentor_profile(
    *, member: User, intro: str, focus_steps: Iterable[int], capacity: int
) -> tuple[str, list[int], int]:
    if not can_mentor(member):
        raise MentoringRefused(
            "Mentoring is carrying the message, so it opens once you have worked all twelve "
            "steps and have been here a while — or when a moderator invites you."
        )
    if not may_participate(member):
        raise MentoringRefused("While your account is suspended you cannot offer mentoring.")
    intro = (intro or "").strip()
    if not intro:
        raise MentoringRefused("Write a short introduction so members know who you are.")
    if len(intro) > INTRO_MAX_LENGTH:
        raise MentoringRefused(f"An introduction is at most {INTRO_MAX_LENGTH} characters.")
    steps = sorted({int(n) for n in focus_steps})
    if any(not FIRST_STEP <= n <= LAST_STEP for n in steps):
        raise MentoringRefused("Focus steps are numbers from 1 to 12.")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise MentoringRefused(f"Capacity is between 1 and {MAX_CAPACITY} mentees.")
    return intro, steps, capacity


def save_mentor_profile(
    *,
    member: User,
    intro: str,
    focus_steps: Iterable[int],
    capacity: int,
    is_paused: bool = False,
) -> MentorProfile:
    """Opt in, or change what one offers. Lowering the capacity never ends a mentorship."""
    intro, steps, capacity = check_mentor_profile(
        member=member, intro=intro, focus_steps=focus_steps, capacity=capacity
    )
    profile, _ = MentorProfile.objects.update_or_create(
        member=member,
        defaults={
            "intro": intro,
            "focus_steps": steps,
            "capacity": capacity,
            "is_paused": is_paused,
            "updated_at": timezone.now(),
        },
    )
    return profile


def set_paused(*, member: User, paused: bool) -> MentorProfile:
    profile = MentorProfile.objects.filter(member=member).first()
    if profile is None:
        raise MentoringRefused("You have not offered to mentor yet.")
    MentorProfile.objects.filter(pk=profile.pk).update(is_paused=paused, updated_at=timezone.now())
    profile.is_paused = paused
    return profile


def grant_mentor_role(*, moderator: User, member: User) -> MentorRole:
    if not capabilities(moderator).moderate_members:
        raise MentoringRefused("Only moderators can grant the mentor role.")
    role, _ = MentorRole.objects.get_or_create(member=member, defaults={"granted_by": moderator})
    member.__dict__.pop("_has_mentor_role", None)
    return role


def revoke_mentor_role(*, moderator: User, member: User) -> None:
    if not capabilities(moderator).moderate_members:
        raise MentoringRefused("Only moderators can revoke the mentor role.")
    MentorRole.objects.filter(member=member).delete()
    member.__dict__.pop("_has_mentor_role", None)


# --- availability -------------------------------------------------------------------------


def active_mentee_count(mentor: User) -> int:
    return Mentorship.objects.filter(mentor=mentor, status=Mentorship.Status.ACTIVE).count()


def has_room(profile: MentorProfile) -> bool:
    return active_mentee_count(profile.member) < profile.capacity


def _has_active_mentor(mentee: User) -> bool:
    return Mentorship.objects.filter(mentee=mentee, status=Mentorship.Status.ACTIVE).exists()


def _check_asker(mentee: User) -> None:
    if not may_participate(mentee):
        raise MentoringRefused("While your account is suspended you cannot ask for a mentor.")
    if _has_active_mentor(mentee):
        raise MentoringRefused(
            "You already have a mentor. If you would like a different one, end that "
            "mentorship first — no reason needed."
        )


def _clean_text(text: str, *, limit: int, what: str, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise MentoringRefused(f"Write a short {what}.")
    if len(text) > limit:
        raise MentoringRefused(f"A {what} is at most {limit} characters.")
    return text


# --- the mentee's side: asking ------------------------------------------------------------


def check_mentor_request(*, mentee: User, mentor: User, message: str) -> str:
    if mentee.pk == mentor.pk:
        raise MentoringRefused("Nobody can mentor themself — ask another member.")
    _check_asker(mentee)
    message = _clean_text(message, limit=REQUEST_MESSAGE_MAX_LENGTH, what="message", required=True)
    profile = MentorProfile.objects.filter(member=mentor).first()
    if not can_ask_mentor(mentee, mentor, profile=profile):
        raise MentoringRefused(NOT_AVAILABLE)
    if not has_room(profile):
        raise MentoringRefused("This mentor has no room for another mentee right now.")
    if MentorRequest.objects.filter(
        mentee=mentee, mentor=mentor, status=MentorRequest.Status.PENDING
    ).exists():
        raise MentoringRefused("You already asked this mentor; they have not answered yet.")
    recently = timezone.now() - datetime.timedelta(days=REASK_AFTER_DAYS)
    if MentorRequest.objects.filter(
        mentee=mentee,
        mentor=mentor,
        status=MentorRequest.Status.DECLINED,
        decided_at__gt=recently,
    ).exists():
        raise MentoringRefused(
            f"This mentor answered you recently. You can ask again {REASK_AFTER_DAYS} days after "
            "their answer — or ask another mentor, or post an open request."
        )
    return message


@transaction.atomic
def do_mentor_request(*, mentee: User, mentor: User, message: str) -> MentorRequest:
    try:
        with transaction.atomic():
            request = MentorRequest.objects.create(mentee=mentee, mentor=mentor, message=message)
    except IntegrityError as error:
        raise MentoringRefused(
            "You already asked this mentor; they have not answered yet."
        ) from error
    notify(
        recipient=mentor,
        kind=NotificationKind.MENTOR_REQUEST_RECEIVED,
        actor=mentee,
        text=f"{mentee.username} asks you to be their mentor.",
        url=reverse("accounts:mentoring"),
    )
    return request


def request_mentor(*, mentee: User, mentor: User, message: str) -> MentorRequest:
    message = check_mentor_request(mentee=mentee, mentor=mentor, message=message)
    return do_mentor_request(mentee=mentee, mentor=mentor, message=message)


def post_open_request(*, mentee: User, message: str) -> MentorRequest:
    """Ask any available mentor. One open request at a time."""
    _check_asker(mentee)
    message = _clean_text(message, limit=REQUEST_MESSAGE_MAX_LENGTH, what="message", required=True)
    try:
        with transaction.atomic():
            return MentorRequest.objects.create(mentee=mentee, mentor=None, message=message)
    except IntegrityError as error:
        raise MentoringRefused("You already have an open request waiting for a mentor.") from error


def withdraw_request(*, member: User, request: MentorRequest) -> MentorRequest:
    if request.mentee_id != member.pk:
        raise MentoringRefused("Only the member who asked can withdraw a request.")
    if not request.is_pending:
        raise MentoringRefused("This request is no longer waiting for an answer.")
    MentorRequest.objects.filter(pk=request.pk, status=MentorRequest.Status.PENDING).update(
        status=MentorRequest.Status.WITHDRAWN, decided_at=timezone.now()
    )
    request.status = MentorRequest.Status.WITHDRAWN
    return request


# --- the mentor's side: answering ---------------------------------------------------------


def _check_answerer(*, mentor: User, request: MentorRequest) -> None:
    if not request.is_pending:
        raise MentoringRefused("This request is no longer waiting for an answer.")
    if request.is_open:
        if request.mentee_id == mentor.pk:
            raise MentoringRefused("Nobody can mentor themself.")
    elif request.mentor_id != mentor.pk:
        raise MentoringRefused("This request was sent to another mentor.")


def check_accept(*, mentor: User, request: MentorRequest) -> None:
    _check_answerer(mentor=mentor, request=request)
    if not can_mentor(mentor):
        raise MentoringRefused("Mentoring is open to members who can carry the message.")
    if not may_participate(mentor):
        raise MentoringRefused("While your account is suspended you cannot take a mentee.")
    mentee = request.mentee
    if either_blocked(mentor, mentee) or not can_contact_privately(mentor, mentee):
        raise MentoringRefused("You cannot take this request.")
    if request.is_open and not MentorProfile.objects.filter(member=mentor).exists():
        raise MentoringRefused("Offer to mentor first (your mentor profile), then take requests.")
    profile = MentorProfile.objects.filter(member=mentor).first()
    if profile is not None and not has_room(profile):
        raise MentoringRefused(
            "You are at your capacity. Raise it in your mentor profile, or wait until a "
            "mentorship ends."
        )
    if _has_active_mentor(mentee):
        raise MentoringRefused("This member has found a mentor in the meantime.")


@transaction.atomic
def accept_request(*, mentor: User, request: MentorRequest, note: str = "") -> Mentorship:
    """Accept a direct request, or take an open one: a mentorship and its private room."""
    note = _clean_text(note, limit=NOTE_MAX_LENGTH, what="note", required=False)
    # Lock the mentor's profile so two accepts at once cannot go over capacity.
    MentorProfile.objects.select_for_update().filter(member=mentor).first()
    request = MentorRequest.objects.select_for_update().select_related("mentee").get(pk=request.pk)
    check_accept(mentor=mentor, request=request)
    mentee = request.mentee
    now = timezone.now()
    try:
        with transaction.atomic():
            mentorship = Mentorship.objects.create(mentor=mentor, mentee=mentee, started_at=now)
    except IntegrityError as error:
        raise MentoringRefused("You are already this member's mentor.") from error
    MentorRequest.objects.filter(pk=request.pk).update(
        status=MentorRequest.Status.ACCEPTED,
        mentor=mentor,
        note=note,
        mentorship=mentorship,
        decided_at=now,
    )
    # A member has one mentor at a time: their other requests are no longer needed.
    MentorRequest.objects.filter(mentee=mentee, status=MentorRequest.Status.PENDING).exclude(
        pk=request.pk
    ).update(status=MentorRequest.Status.WITHDRAWN, decided_at=now)
    open_mentorship_room(mentorship=mentorship)
    text = f"{mentor.username} accepted your request and is now your mentor."
    if note:
        text = f"{text} Their note: {note}"
    notify(
        recipient=mentee,
        kind=NotificationKind.MENTOR_REQUEST_ACCEPTED,
        actor=mentor,
        text=text,
        url=mentorship.get_absolute_url(),
    )
    return mentorship


def decline_request(*, mentor: User, request: MentorRequest, note: str = "") -> MentorRequest:
    """Decline a direct request, with an optional kind note. Open requests are not declined."""
    if request.is_open:
        raise MentoringRefused("An open request is for any mentor; simply leave it for another.")
    _check_answerer(mentor=mentor, request=request)
    note = _clean_text(note, limit=NOTE_MAX_LENGTH, what="note", required=False)
    updated = MentorRequest.objects.filter(
        pk=request.pk, status=MentorRequest.Status.PENDING
    ).update(status=MentorRequest.Status.DECLINED, note=note, decided_at=timezone.now())
    if not updated:
        raise MentoringRefused("This request is no longer waiting for an answer.")
    request.status, request.note = MentorRequest.Status.DECLINED, note
    text = f"{mentor.username} cannot be your mentor right now."
    if note:
        text = f"{text} Their note: {note}"
    notify(
        recipient=request.mentee,
        kind=NotificationKind.MENTOR_REQUEST_DECLINED,
        actor=mentor,
        text=text,
        url=reverse("accounts:mentoring"),
    )
    return request


# --- ending -------------------------------------------------------------------------------


@transaction.atomic
def _settle_request_notifications(mentorship: Mentorship) -> None:
    """The mentor's "asks you to be their mentor" notification from this mentee no longer asks
    anything once their mentorship has ended: it stops counting as unread."""
    if mentorship.mentor is not None and mentorship.mentee_id is not None:
        mark_read_from(
            member=mentorship.mentor,
            actor_id=mentorship.mentee_id,
            kind=NotificationKind.MENTOR_REQUEST_RECEIVED,
        )


def end_mentorship(
    *, member: User, mentorship: Mentorship, notify_other: bool = True
) -> Mentorship:
    """Either side may end it at any time, without a reason. The room becomes read-only."""
    if not mentorship.involves(member):
        raise MentoringRefused("Only the two members of a mentorship can end it.")
    now = timezone.now()
    updated = Mentorship.objects.filter(pk=mentorship.pk, status=Mentorship.Status.ACTIVE).update(
        status=Mentorship.Status.ENDED, ended_at=now, ended_by=member
    )
    if not updated:
        raise MentoringRefused("This mentorship has already ended.")
    mentorship.status, mentorship.ended_at, mentorship.ended_by = (
        Mentorship.Status.ENDED,
        now,
        member,
    )
    close_mentorship_room(mentorship=mentorship)
    _settle_request_notifications(mentorship)
    other = mentorship.other(member)
    if notify_other and other is not None:
        notify(
            recipient=other,
            kind=NotificationKind.MENTORSHIP_ENDED,
            actor=member,
            text=f"Your mentorship with {member.username} has ended. The room stays readable.",
            url=mentorship.get_absolute_url(),
        )
    return mentorship
