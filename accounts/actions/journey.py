"""Moving along the step journey: forward one step at a time, back by any number."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import FIRST_STEP, LAST_STEP, StepChange, User
from accounts.step_rules import is_allowed_move


class StepMoveRefused(Exception):
    """The move breaks the order of the steps; the message says why, kindly."""


def check_step_move(*, member: User, to_step: int) -> None:
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


@transaction.atomic
def do_step_move(*, member: User, to_step: int) -> StepChange:
    """Record the move and change the current step. Call ``check_step_move`` first."""
    locked = User.objects.select_for_update().get(pk=member.pk)
    check_step_move(member=locked, to_step=to_step)
    change = StepChange.objects.create(
        member=locked, from_step=locked.current_step, to_step=to_step, changed_at=timezone.now()
    )
    User.objects.filter(pk=locked.pk).update(current_step=to_step)
    member.current_step = to_step
    return change


def move_to_step(*, member: User, to_step: int) -> StepChange:
    check_step_move(member=member, to_step=to_step)
    return do_step_move(member=member, to_step=to_step)
