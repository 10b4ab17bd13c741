"""Moving along the step journey: forward one step at a time with a reflection, back freely.

Moving on has weight: each move forward stores a reflection the member wrote (in their
workbook); "ask my mentor first" waits for the mentor's note, and the member can still move on
alone later. Members who worked the steps before joining say so once and come in at their step.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.actions.workbook import WorkbookRefused, clean_note, write_reflection
from accounts.models import (
    FIRST_STEP,
    LAST_STEP,
    StepChange,
    StepMoveRequest,
    User,
    WorkbookEntry,
)
from accounts.permissions import can_read_shared_work
from accounts.selectors_workbook import active_mentorship_as_mentee
from accounts.step_rules import is_allowed_move, may_declare_prior_steps, needs_reflection
from forum.actions.notifications import notify
from forum.models import NotificationKind


class StepMoveRefused(Exception):
    """The move breaks the order of the steps, or has no reflection; the message says why."""


def check_step_move(*, member: User, to_step: int, reflection: str = "") -> None:
    current = member.current_step
    if not FIRST_STEP <= to_step <= LAST_STEP:
        raise StepMoveRefused(f"There are twelve steps; step {to_step} is not one of them.")
    if to_step == current:
        raise StepMoveRefused(f"You are already on Step {current}.")
    if not is_allowed_move(from_step=current, to_step=to_step):
        raise StepMoveRefused(
            f"Steps are worked in order, one at a time: from Step {current} the next one is "
            f"Step {current + 1}. Each step prepares you for the one after it, so there is no "
            "skipping ahead, and no rush."
        )
    if needs_reflection(from_step=current, to_step=to_step) and not (reflection or "").strip():
        raise StepMoveRefused(
            f"Moving on from Step {current} starts with a few words of your own: what this "
            "step gave you. There is no time limit; it is yours to decide when."
        )


def _close_waiting_requests(member: User) -> None:
    StepMoveRequest.objects.filter(
        member_id=member.pk,
        status__in=[StepMoveRequest.Status.WAITING, StepMoveRequest.Status.ANSWERED],
    ).update(status=StepMoveRequest.Status.CLOSED)


def _record_move(
    *, member: User, to_step: int, reflection: WorkbookEntry | None, came_in: bool = False
) -> StepChange:
    locked = User.objects.select_for_update().get(pk=member.pk)
    change = StepChange.objects.create(
        member=locked,
        from_step=locked.current_step,
        to_step=to_step,
        changed_at=timezone.now(),
        reflection=reflection,
        came_in=came_in,
    )
    User.objects.filter(pk=locked.pk).update(current_step=to_step)
    member.current_step = to_step
    _close_waiting_requests(member)
    return change


@transaction.atomic
def move_to_step(*, member: User, to_step: int, reflection: str = "") -> StepChange:
    """Move back to any earlier step, or forward to the next one with a written reflection.

    A refused move stores nothing, the reflection included.
    """
    locked = User.objects.select_for_update().get(pk=member.pk)
    check_step_move(member=locked, to_step=to_step, reflection=reflection)
    entry = None
    if needs_reflection(from_step=locked.current_step, to_step=to_step):
        try:
            entry = write_reflection(member=locked, step=locked.current_step, text=reflection)
        except WorkbookRefused as refusal:
            raise StepMoveRefused(str(refusal)) from refusal
    return _record_move(member=member, to_step=to_step, reflection=entry)


# --- ask my mentor first --------------------------------------------------------------------


def waiting_move_request(member: User) -> StepMoveRequest | None:
    """The member's open "ask my mentor first" for their current step, if any."""
    return (
        StepMoveRequest.objects.filter(
            member_id=member.pk,
            from_step=member.current_step,
            status__in=[StepMoveRequest.Status.WAITING, StepMoveRequest.Status.ANSWERED],
        )
        .select_related("mentorship__mentor")
        .first()
    )


@transaction.atomic
def ask_mentor_first(*, member: User, reflection: str) -> StepMoveRequest:
    """Write the reflection now; the move waits for the mentor's note (the mentor is told).

    The mentor reads the reflection that comes with the question, and nothing else.
    """
    locked = User.objects.select_for_update().get(pk=member.pk)
    if locked.current_step >= LAST_STEP:
        raise StepMoveRefused("Step 12 is the last step; there is no step after it to move to.")
    check_step_move(member=locked, to_step=locked.current_step + 1, reflection=reflection)
    mentorship = active_mentorship_as_mentee(locked)
    if mentorship is None or mentorship.mentor_id is None:
        raise StepMoveRefused("Asking your mentor first needs a mentor; you can move on alone.")
    if waiting_move_request(locked) is not None:
        raise StepMoveRefused("You have already asked your mentor; their note will come here.")
    entry = write_reflection(member=locked, step=locked.current_step, text=reflection)
    request = StepMoveRequest.objects.create(
        member=locked, mentorship=mentorship, from_step=locked.current_step, reflection=entry
    )
    notify(
        recipient=mentorship.mentor,
        kind=NotificationKind.STEP_MOVE_ASKED,
        actor=locked,
        text=(
            f"{locked.username} would like your word before moving on from "
            f"Step {request.from_step}."
        ),
        url=reverse("accounts:mentee_workbook", kwargs={"pk": mentorship.pk}),
    )
    return request


@transaction.atomic
def answer_move_request(*, mentor: User, request: StepMoveRequest, note: str) -> StepMoveRequest:
    if not can_read_shared_work(mentor, request.mentorship):
        raise StepMoveRefused("This question is no longer yours to answer.")
    if request.status == StepMoveRequest.Status.CLOSED:
        raise StepMoveRefused("Your mentee has already moved on.")
    try:
        request.mentor_note = clean_note(note)
    except WorkbookRefused as refusal:
        raise StepMoveRefused(str(refusal)) from refusal
    request.status = StepMoveRequest.Status.ANSWERED
    request.answered_at = timezone.now()
    request.save(update_fields=["mentor_note", "status", "answered_at"])
    notify(
        recipient=request.member,
        kind=NotificationKind.STEP_MOVE_ANSWERED,
        actor=mentor,
        text=f"{mentor.username} answered about moving on from Step {request.from_step}.",
        url=reverse("accounts:move_on", kwargs={"number": request.from_step}),
    )
    return request


@transaction.atomic
def move_on_after_asking(*, member: User, request: StepMoveRequest) -> StepChange:
    """Move on with the reflection already written: after the mentor's note, or alone."""
    locked = User.objects.select_for_update().get(pk=member.pk)
    if request.member_id != locked.pk or request.status == StepMoveRequest.Status.CLOSED:
        raise StepMoveRefused("There is no question waiting for this step.")
    if request.from_step != locked.current_step:
        raise StepMoveRefused("You are on another step now.")
    return _record_move(
        member=member, to_step=locked.current_step + 1, reflection=request.reflection
    )


# --- coming in at one's step ----------------------------------------------------------------


@transaction.atomic
def declare_prior_steps(*, member: User, to_step: int, reflection: str) -> StepChange:
    """A member who worked the steps before joining starts at their step, once, with one
    reflection covering the steps already worked; the journey records that they came in there."""
    locked = User.objects.select_for_update().get(pk=member.pk)
    if not may_declare_prior_steps(locked):
        raise StepMoveRefused(
            "Coming in at your step is something you say once, when you start here. From now "
            "on the steps go one at a time."
        )
    if not locked.current_step < to_step <= LAST_STEP:
        raise StepMoveRefused(f"Choose a step after Step {locked.current_step}, up to Step 12.")
    if not (reflection or "").strip():
        raise StepMoveRefused("A few words first, please: what working the earlier steps gave you.")
    entry = write_reflection(member=locked, step=to_step - 1, text=reflection)
    return _record_move(member=member, to_step=to_step, reflection=entry, came_in=True)
