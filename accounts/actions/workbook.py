"""Writing in the private step workbook, the daily check-in, and sharing with one's mentor.

Nothing here logs, notifies or indexes what a member wrote: notifications say only that
something was shared or answered, never the words.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import (
    FIRST_STEP,
    LAST_STEP,
    EntryKind,
    Mentorship,
    User,
    WorkbookEntry,
    WorkbookShare,
)
from accounts.models.workbook import NOTE_MAX_LENGTH
from accounts.permissions import can_read_shared_work
from accounts.selectors_workbook import active_mentorship_as_mentee
from accounts.workbook import WORKSHEETS, kind_allowed_on


class WorkbookRefused(Exception):
    """A workbook change that cannot happen; the message says why, kindly."""


def clean_content(*, kind: str, content: dict[str, str]) -> dict[str, str]:
    """Keep the worksheet's own fields only, trimmed; refuse over-long text and unknown choices."""
    worksheet = WORKSHEETS.get(kind)
    if worksheet is None:
        raise WorkbookRefused("That is not one of the workbook's pages.")
    cleaned: dict[str, str] = {}
    for f in worksheet.fields:
        value = str(content.get(f.name) or "")
        if f.is_choice:
            value = value.strip()
            if value and value not in dict(f.choices):
                raise WorkbookRefused(f"Choose one of the answers for “{f.label}”.")
        else:
            value = value.replace("\r\n", "\n").strip()
            if len(value) > f.max_length:
                raise WorkbookRefused(f"“{f.label}” is at most {f.max_length:,} characters.")
        if value:
            cleaned[f.name] = value
    return cleaned


def has_words(kind: str, content: dict[str, str]) -> bool:
    return any(content.get(f.name) for f in WORKSHEETS[kind].fields if not f.is_choice) or (
        kind == EntryKind.CHECK_IN and bool(content)
    )


def check_step_number(step: int) -> None:
    if not FIRST_STEP <= step <= LAST_STEP:
        raise WorkbookRefused("There are twelve steps.")


def save_entry(
    *,
    member: User,
    step: int,
    kind: str,
    content: dict[str, str],
    entry: WorkbookEntry | None = None,
    draft: bool = False,
) -> WorkbookEntry | None:
    """Create or update one of the member's own entries.

    ``draft=True`` is the autosave as the member types: an empty new draft stores nothing
    (returns None); an entry saved before keeps being an entry. ``draft=False`` is "Save".
    """
    check_step_number(step)
    if entry is not None and entry.member_id != member.pk:
        raise WorkbookRefused("That entry is not yours.")
    if entry is not None:
        kind, step = entry.kind, entry.step
    elif not kind_allowed_on(kind, step):
        raise WorkbookRefused("That page is not part of this step's workbook.")
    cleaned = clean_content(kind=kind, content=content)
    if not has_words(kind, cleaned):
        if draft:
            return entry
        raise WorkbookRefused("Write something first; an empty page is not saved.")
    now = timezone.now()
    if entry is None:
        return WorkbookEntry.objects.create(
            member=member,
            step=step,
            kind=kind,
            content=cleaned,
            is_draft=draft,
            created_at=now,
            updated_at=now,
        )
    entry.content = cleaned
    entry.updated_at = now
    entry.is_draft = entry.is_draft and draft
    entry.save(update_fields=["content", "updated_at", "is_draft"])
    return entry


def delete_entry(*, member: User, entry: WorkbookEntry) -> None:
    if entry.member_id != member.pk:
        raise WorkbookRefused("That entry is not yours.")
    entry.delete()


def write_check_in(*, member: User, content: dict[str, str]) -> WorkbookEntry:
    """The daily check-in: a Step 10 entry, whatever step the member is on."""
    entry = save_entry(member=member, step=10, kind=EntryKind.CHECK_IN, content=content)
    assert entry is not None
    return entry


def write_reflection(*, member: User, step: int, text: str) -> WorkbookEntry:
    """A moving-on reflection: refused when empty, so a move forward is never a click-through."""
    cleaned = clean_content(kind=EntryKind.STEP_REFLECTION, content={"text": text})
    if not cleaned.get("text"):
        raise WorkbookRefused(
            "Write a few words about what this step gave you before moving on. "
            "There is no rush: it is yours to decide when."
        )
    now = timezone.now()
    return WorkbookEntry.objects.create(
        member=member,
        step=step,
        kind=EntryKind.STEP_REFLECTION,
        content=cleaned,
        is_draft=False,
        created_at=now,
        updated_at=now,
    )


def clean_note(note: str) -> str:
    """A mentor's note (beside shared work, or before a mentee moves on): required, bounded."""
    note = (note or "").strip()
    if not note:
        raise WorkbookRefused("Write your note first.")
    if len(note) > NOTE_MAX_LENGTH:
        raise WorkbookRefused(f"A note is at most {NOTE_MAX_LENGTH:,} characters.")
    return note


# --- sharing with one's mentor ---------------------------------------------------------------


def _mentorship_to_share_with(member: User) -> Mentorship:
    mentorship = active_mentorship_as_mentee(member)
    if mentorship is None or mentorship.mentor_id is None:
        raise WorkbookRefused("You can share your workbook with a mentor once you have one.")
    return mentorship


def _tell_mentor(*, member: User, mentorship: Mentorship, step: int) -> None:
    from django.urls import reverse

    from forum.actions.notifications import notify
    from forum.models import NotificationKind

    notify(
        recipient=mentorship.mentor,
        kind=NotificationKind.WORKBOOK_SHARED,
        actor=member,
        text=f"{member.username} shared Step {step} workbook writing with you.",
        url=reverse("accounts:mentee_workbook", kwargs={"pk": mentorship.pk}),
    )


def _share(*, member: User, about_step: int, **target) -> WorkbookShare:
    """Share ``target`` (an entry, or a step) once with the active mentor, who is told once."""
    mentorship = _mentorship_to_share_with(member)
    try:
        with transaction.atomic():
            share, created = WorkbookShare.objects.get_or_create(mentorship=mentorship, **target)
    except IntegrityError:
        share, created = WorkbookShare.objects.get(mentorship=mentorship, **target), False
    if created:
        _tell_mentor(member=member, mentorship=mentorship, step=about_step)
    return share


@transaction.atomic
def share_entry(*, member: User, entry: WorkbookEntry) -> WorkbookShare:
    if entry.member_id != member.pk:
        raise WorkbookRefused("That entry is not yours.")
    if entry.is_draft:
        raise WorkbookRefused("Save the entry first; drafts stay with you.")
    return _share(member=member, about_step=entry.step, entry=entry)


@transaction.atomic
def share_step(*, member: User, step: int) -> WorkbookShare:
    check_step_number(step)
    return _share(member=member, about_step=step, step=step)


def unshare_entry(*, member: User, entry: WorkbookEntry) -> int:
    """Take an entry back from every mentor it was shared with; the mentor's note goes too."""
    if entry.member_id != member.pk:
        raise WorkbookRefused("That entry is not yours.")
    deleted, _ = WorkbookShare.objects.filter(entry=entry, mentorship__mentee_id=member.pk).delete()
    return deleted


def unshare_step(*, member: User, step: int) -> int:
    deleted, _ = WorkbookShare.objects.filter(step=step, mentorship__mentee_id=member.pk).delete()
    return deleted


def write_share_note(*, mentor: User, share: WorkbookShare, note: str) -> WorkbookShare:
    """The mentor's private note beside what was shared; only the two of them read it."""
    mentorship = share.mentorship
    if not can_read_shared_work(mentor, mentorship):
        raise WorkbookRefused("This writing is no longer shared with you.")
    share.mentor_note = clean_note(note)
    share.noted_at = timezone.now()
    share.save(update_fields=["mentor_note", "noted_at"])
    from django.urls import reverse

    from forum.actions.notifications import notify
    from forum.models import NotificationKind

    step = share.step if share.step is not None else share.entry.step
    notify(
        recipient=mentorship.mentee,
        kind=NotificationKind.WORKBOOK_NOTE,
        actor=mentor,
        text=f"{mentor.username} left a note on your Step {step} workbook.",
        url=reverse("accounts:workbook", kwargs={"number": step}),
    )
    return share


def rotate_workbook_keys(*, batch_size: int = 500) -> int:
    """Re-encrypt every workbook text with the newest key in WORKBOOK_KEYS (the first).

    After this, older keys can be dropped from the environment. Returns rows rewritten.
    """
    from accounts.models import StepMoveRequest

    rewritten = 0
    for model, fields in (
        (WorkbookEntry, ["content"]),
        (WorkbookShare, ["mentor_note"]),
        (StepMoveRequest, ["mentor_note"]),
    ):
        for row in model.objects.only("pk", *fields).iterator(chunk_size=batch_size):
            row.save(update_fields=fields)
            rewritten += 1
    return rewritten
