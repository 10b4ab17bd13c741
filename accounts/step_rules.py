"""The one place that decides what a member may do because of where they are on their step journey.

Steps are worked in order (see shared DOMAIN.md): a member moves forward one step at a time, and
carrying the message is Step 12's work, "the result of these steps".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accounts.models import FIRST_STEP, LAST_STEP


def carry_message_step() -> int:
    return settings.HOMEGROUP["CARRY_MESSAGE_STEP"]


def can_carry_message(member) -> bool:
    """Only a member whose journey has reached Step 12 may write a carrying-the-message share."""
    return bool(member.is_authenticated) and member.current_step >= carry_message_step()


def has_worked_all_steps(member) -> bool:
    return bool(member.is_authenticated) and member.current_step >= LAST_STEP


def allowed_next_steps(member) -> list[int]:
    """Steps a member may move to now: any earlier step, or exactly the next one."""
    current = member.current_step
    return [n for n in range(FIRST_STEP, min(current + 1, LAST_STEP) + 1) if n != current]


def is_allowed_move(*, from_step: int, to_step: int) -> bool:
    if not FIRST_STEP <= to_step <= LAST_STEP:
        return False
    return to_step < from_step or to_step == from_step + 1


def needs_reflection(*, from_step: int, to_step: int) -> bool:
    """Moving on has weight: every move forward stores a reflection the member wrote.
    Going back is always free."""
    return to_step > from_step


def may_declare_prior_steps(member) -> bool:
    """Members who worked the steps before joining say so once, and start at their step.

    Once means once: a member who already came in at a step, or who has moved forward here,
    walks on one step at a time like everyone else.
    """
    if not member.is_authenticated or member.current_step >= LAST_STEP:
        return False
    return not member.step_changes.filter(to_step__gt=models.F("from_step")).exists()
