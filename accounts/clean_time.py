"""Clean time, counted privately: days and the milestones a member reaches, never a streak shown
to others. Resetting the date after a relapse changes only this count, not the journey."""

from __future__ import annotations

MILESTONES: tuple[tuple[int, str], ...] = (
    (1, "one day"),
    (7, "one week"),
    (30, "30 days"),
    (60, "60 days"),
    (90, "90 days"),
    (180, "six months"),
    (365, "one year"),
)


def _label(days: int) -> str | None:
    for count, label in MILESTONES:
        if count == days:
            return label
    if days > 365 and days % 365 == 0:
        return f"{days // 365} years"
    return None


def milestones_reached(days: int | None) -> list[str]:
    if days is None:
        return []
    reached = [label for count, label in MILESTONES if count <= days]
    reached += [f"{n} years" for n in range(2, days // 365 + 1)]
    return reached


def milestone_today(days: int | None) -> str | None:
    return None if days is None else _label(days)


def next_milestone(days: int | None) -> tuple[str, int] | None:
    """The next milestone and how many days until it."""
    if days is None:
        return None
    for count, label in MILESTONES:
        if count > days:
            return label, count - days
    years = days // 365 + 1
    return f"{years} years", years * 365 - days
