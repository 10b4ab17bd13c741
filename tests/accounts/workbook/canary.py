"""Write a canary into every field of the workbook, a draft, a check-in and a moving-on reflection."""

from __future__ import annotations

from accounts.actions.journey import move_to_step
from accounts.actions.workbook import save_entry, write_check_in
from accounts.models import EntryKind
from accounts.workbook import STEP_WORKSHEETS, WORKSHEETS

CANARY = "CanaryWorkbook7f3a"


def write_canary_everywhere(member, canary: str = CANARY) -> int:
    """Returns how many texts carry the canary. The member moves forward one step (with a
    canary reflection); going back afterwards keeps them on the step they started on."""
    written = 0
    for step, kinds in STEP_WORKSHEETS.items():
        for kind in kinds:
            fields = WORKSHEETS[kind].fields
            content = {
                f.name: (f.choices[0][0] if f.is_choice else f"{canary} {kind} {f.name} s{step}")
                for f in fields
            }
            save_entry(member=member, step=step, kind=kind, content=content)
            written += sum(1 for f in fields if not f.is_choice)
    save_entry(
        member=member,
        step=1,
        kind=EntryKind.WRITING,
        content={"text": f"{canary} draft"},
        draft=True,
    )
    write_check_in(
        member=member,
        content={"feeling": "2", "grateful": f"{canary} grateful", "differently": f"{canary} do"},
    )
    start = member.current_step
    if start < 12:
        move_to_step(member=member, to_step=start + 1, reflection=f"{canary} what it gave me")
        move_to_step(member=member, to_step=start)
    return written + 4
