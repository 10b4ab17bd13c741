"""Read side of the step workbook and the journey. Every query is scoped to its one reader."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q
from django.http import Http404

from accounts.models import (
    EntryKind,
    Mentorship,
    StepChange,
    StepMoveRequest,
    WorkbookEntry,
    WorkbookShare,
)
from accounts.permissions import can_read_shared_work
from accounts.workbook import summary_of


def active_mentorship_as_mentee(member) -> Mentorship | None:
    if not member.is_authenticated:
        return None
    return (
        Mentorship.objects.filter(mentee_id=member.pk, status=Mentorship.Status.ACTIVE)
        .select_related("mentor")
        .order_by("-started_at")
        .first()
    )


def workbook_entries(member, step: int) -> list[WorkbookEntry]:
    """The member's own entries on one step, newest first."""
    return list(WorkbookEntry.objects.filter(member_id=member.pk, step=step))


@dataclass
class StepSharing:
    """What of one step the member shares now, and the notes their mentors left on it."""

    shared_entry_ids: set[int]
    step_share: WorkbookShare | None
    notes: list[WorkbookShare]


def step_sharing(member, step: int) -> StepSharing:
    """One query for a workbook page: every share of this step's work (whole or by entry)."""
    shares = list(
        WorkbookShare.objects.filter(mentorship__mentee_id=member.pk)
        .filter(Q(step=step) | Q(entry__step=step, entry__member_id=member.pk))
        .select_related("mentorship__mentor")
        .order_by("-created_at")
    )
    live = [s for s in shares if s.mentorship.is_active]
    return StepSharing(
        shared_entry_ids={s.entry_id for s in live if s.entry_id is not None},
        step_share=next((s for s in live if s.step == step), None),
        notes=[s for s in shares if s.mentor_note],
    )


def get_own_entry(member, *, step: int, entry_id: int) -> WorkbookEntry:
    """One of the member's entries; anyone else's (or none) is a 404."""
    entry = WorkbookEntry.objects.filter(pk=entry_id, member_id=member.pk, step=step).first()
    if entry is None:
        raise Http404("No such entry.")
    return entry


def step_reflections(member) -> list[WorkbookEntry]:
    """The member's own moving-on reflections, offered to copy into a share."""
    return list(
        WorkbookEntry.objects.filter(
            member_id=member.pk, kind=EntryKind.STEP_REFLECTION, is_draft=False
        ).order_by("step", "created_at")
    )


def steps_worked(member) -> dict[int, StepChange]:
    """For each step the member has moved on from, the latest forward move out of it.

    A member who came in at a step counts the steps before it as worked (before joining).
    """
    worked: dict[int, StepChange] = {}
    for change in member.step_changes.filter(to_step__gt=F("from_step")).order_by("changed_at"):
        froms = range(1, change.to_step) if change.came_in else [change.from_step]
        for number in froms:
            if number < change.to_step:
                worked[number] = change
    return {n: c for n, c in worked.items() if n < member.current_step}


def waiting_requests_for(mentorship: Mentorship) -> list[StepMoveRequest]:
    return list(
        StepMoveRequest.objects.filter(mentorship=mentorship)
        .exclude(status=StepMoveRequest.Status.CLOSED)
        .select_related("reflection")
    )


def get_move_request_for_mentor(viewer, mentorship: Mentorship, pk: int) -> StepMoveRequest:
    if not can_read_shared_work(viewer, mentorship):
        raise Http404("No such question.")
    request = (
        StepMoveRequest.objects.filter(pk=pk, mentorship=mentorship)
        .select_related("mentorship", "member")
        .first()
    )
    if request is None:
        raise Http404("No such question.")
    return request


@dataclass
class SharedItem:
    share: WorkbookShare
    entries: list[WorkbookEntry]
    step: int


def shared_work_for(viewer, mentorship: Mentorship) -> list[SharedItem]:
    """What the mentee shares with this mentor, read-only. Nothing for anyone else (404)."""
    if not can_read_shared_work(viewer, mentorship):
        raise Http404("Nothing is shared with you here.")
    shares = list(
        WorkbookShare.objects.filter(mentorship=mentorship)
        .select_related("entry")
        .order_by("step", "-created_at")
    )
    steps = [s.step for s in shares if s.step is not None]
    by_step: dict[int, list[WorkbookEntry]] = {n: [] for n in steps}
    if steps:
        for entry in WorkbookEntry.objects.filter(
            member_id=mentorship.mentee_id, step__in=steps, is_draft=False
        ):
            by_step[entry.step].append(entry)
    items = []
    for share in shares:
        if share.entry_id is not None:
            if share.entry.member_id == mentorship.mentee_id:
                items.append(SharedItem(share, [share.entry], share.entry.step))
        else:
            items.append(SharedItem(share, by_step.get(share.step, []), share.step))
    return items


def workbook_export(member) -> dict[str, Any]:
    """The workbook, decrypted, for the member's own /me/export/ download."""
    entries = WorkbookEntry.objects.filter(member_id=member.pk).order_by("step", "created_at")
    return {
        "workbook": [
            {
                "step": e.step,
                "kind": e.kind,
                "content": e.content,
                "draft": e.is_draft,
                "created_at": e.created_at.isoformat(),
                "updated_at": e.updated_at.isoformat(),
            }
            for e in entries
        ],
        "workbook_notes_from_mentors": [
            {
                "step": s.step if s.step is not None else s.entry.step,
                "note": s.mentor_note,
                "noted_at": s.noted_at.isoformat() if s.noted_at else None,
            }
            for s in WorkbookShare.objects.filter(mentorship__mentee_id=member.pk)
            .exclude(mentor_note="")
            .select_related("entry")
        ],
    }


def entry_summary(entry: WorkbookEntry) -> str:
    return summary_of(entry.kind, entry.content)
