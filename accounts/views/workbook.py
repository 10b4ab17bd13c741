"""The private step workbook: the member's own pages, the check-in, and sharing with a mentor.

Every page here is the member's own (or, for shared work, their active mentor's): nothing is
cached, and other members, moderators and admins get a 404 where existence itself is private.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.actions.journey import StepMoveRefused, answer_move_request
from accounts.actions.workbook import (
    WorkbookRefused,
    delete_entry,
    save_entry,
    share_entry,
    share_step,
    unshare_entry,
    unshare_step,
    write_check_in,
    write_share_note,
)
from accounts.forms_workbook import NoteForm, content_from, worksheet_form
from accounts.models import FIRST_STEP, LAST_STEP, EntryKind, WorkbookEntry, WorkbookShare
from accounts.selectors_mentoring import get_mentorship_for
from accounts.selectors_workbook import (
    active_mentorship_as_mentee,
    entry_summary,
    get_move_request_for_mentor,
    get_own_entry,
    shared_work_for,
    step_sharing,
    waiting_requests_for,
    workbook_entries,
)
from accounts.workbook import PROMPTS, WORKSHEETS, kind_allowed_on, worksheets_for


def _step_or_404(number: int):
    if not FIRST_STEP <= number <= LAST_STEP:
        raise Http404("There are twelve steps.")
    from forum.selectors.steps import get_step

    return get_step(number)


def _sheet_forms(entries: list[WorkbookEntry], number: int, *, bound=None) -> list[dict]:
    """One "new entry" form per worksheet of the step, reopening the latest draft of its kind."""
    sheets = []
    for worksheet in worksheets_for(number):
        draft = next((e for e in entries if e.kind == worksheet.kind and e.is_draft), None)
        if bound is not None and bound["kind"] == worksheet.kind:
            form, draft = bound["form"], bound.get("entry") or draft
        else:
            form = worksheet_form(worksheet.kind, initial=draft.content if draft else None)
        sheets.append({"worksheet": worksheet, "form": form, "draft": draft})
    return sheets


def _autosave_answer(entry: WorkbookEntry | None) -> JsonResponse:
    if entry is None:
        return JsonResponse({"saved": False})
    return JsonResponse(
        {
            "saved": True,
            "entry": entry.pk,
            "action": entry.get_absolute_url(),
            "saved_at": timezone.localtime(entry.updated_at).strftime("%H:%M"),
        }
    )


def _save_from_post(request: HttpRequest, *, number: int, entry: WorkbookEntry | None):
    kind = entry.kind if entry is not None else request.POST.get("kind", "")
    if kind not in WORKSHEETS:
        raise WorkbookRefused("That is not one of the workbook's pages.")
    autosave = request.POST.get("autosave") == "1"
    saved = save_entry(
        member=request.user,
        step=number,
        kind=kind,
        content=content_from(kind, request.POST),
        entry=entry,
        draft=autosave,
    )
    return kind, autosave, saved


@never_cache
@login_required
def workbook(request: HttpRequest, number: int) -> HttpResponse:
    step = _step_or_404(number)
    member = request.user
    bound = None
    if request.method == "POST":
        entry = None
        if request.POST.get("entry"):
            try:
                entry = get_own_entry(member, step=number, entry_id=int(request.POST["entry"]))
            except ValueError as error:
                raise Http404("No such entry.") from error
        try:
            kind, autosave, saved = _save_from_post(request, number=number, entry=entry)
        except WorkbookRefused as refusal:
            if request.POST.get("autosave") == "1":
                return JsonResponse({"saved": False, "error": str(refusal)}, status=400)
            kind = request.POST.get("kind", "")
            if kind not in WORKSHEETS or not kind_allowed_on(kind, number):
                messages.error(request, str(refusal))
                return redirect("accounts:workbook", number=number)
            form = worksheet_form(kind, data=request.POST)
            form.is_valid()
            form.add_error(None, str(refusal))
            bound = {"kind": kind, "form": form, "entry": entry}
        else:
            if autosave:
                return _autosave_answer(saved)
            messages.success(request, "Saved in your workbook.")
            return redirect(f"{reverse('accounts:workbook', kwargs={'number': number})}#entries")
    entries = workbook_entries(member, number)
    sharing = step_sharing(member, number)
    for entry in entries:
        entry.summary = entry_summary(entry)
        entry.is_shared = entry.pk in sharing.shared_entry_ids
    mentorship = active_mentorship_as_mentee(member)
    context = {
        "step": step,
        "prompts": PROMPTS[number],
        "sheets": _sheet_forms(entries, number, bound=bound),
        "entries": entries,
        "mentorship": mentorship,
        "step_share": sharing.step_share,
        "notes": sharing.notes,
        "is_current": member.current_step == number,
    }
    return render(request, "accounts/workbook/workbook.html", context, status=400 if bound else 200)


@never_cache
@login_required
def entry_detail(request: HttpRequest, number: int, entry_id: int) -> HttpResponse:
    step = _step_or_404(number)
    entry = get_own_entry(request.user, step=number, entry_id=entry_id)
    status = 200
    if request.method == "POST":
        try:
            _, autosave, saved = _save_from_post(request, number=number, entry=entry)
        except WorkbookRefused as refusal:
            if request.POST.get("autosave") == "1":
                return JsonResponse({"saved": False, "error": str(refusal)}, status=400)
            form = worksheet_form(entry.kind, data=request.POST)
            form.is_valid()
            form.add_error(None, str(refusal))
            status = 400
        else:
            if autosave:
                return _autosave_answer(saved)
            messages.success(request, "Saved in your workbook.")
            return redirect(f"{reverse('accounts:workbook', kwargs={'number': number})}#entries")
    else:
        form = worksheet_form(entry.kind, initial=entry.content)
    context = {
        "step": step,
        "entry": entry,
        "worksheet": WORKSHEETS[entry.kind],
        "form": form,
        "shared": entry.shares.filter(mentorship__status="active").exists(),
        "mentorship": active_mentorship_as_mentee(request.user),
    }
    return render(request, "accounts/workbook/entry.html", context, status=status)


@login_required
@require_POST
def entry_delete(request: HttpRequest, number: int, entry_id: int) -> HttpResponse:
    entry = get_own_entry(request.user, step=number, entry_id=entry_id)
    delete_entry(member=request.user, entry=entry)
    messages.success(request, "The entry is deleted.")
    return redirect("accounts:workbook", number=number)


@login_required
@require_POST
def entry_share(request: HttpRequest, number: int, entry_id: int) -> HttpResponse:
    entry = get_own_entry(request.user, step=number, entry_id=entry_id)
    try:
        if request.POST.get("action") == "unshare":
            unshare_entry(member=request.user, entry=entry)
            messages.success(request, "Taken back: your mentor no longer sees this entry.")
        else:
            share_entry(member=request.user, entry=entry)
            messages.success(request, "Shared with your mentor, read-only. You can take it back.")
    except WorkbookRefused as refusal:
        messages.error(request, str(refusal))
    return redirect(f"{reverse('accounts:workbook', kwargs={'number': number})}#entries")


@login_required
@require_POST
def step_share_view(request: HttpRequest, number: int) -> HttpResponse:
    _step_or_404(number)
    try:
        if request.POST.get("action") == "unshare":
            unshare_step(member=request.user, step=number)
            messages.success(request, f"Taken back: your mentor no longer sees your Step {number}.")
        else:
            share_step(member=request.user, step=number)
            messages.success(
                request, f"Your Step {number} work is shared with your mentor, read-only."
            )
    except WorkbookRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("accounts:workbook", number=number)


@never_cache
@login_required
def check_in(request: HttpRequest) -> HttpResponse:
    form = worksheet_form(EntryKind.CHECK_IN, data=request.POST or None)
    if request.method == "POST":
        try:
            write_check_in(
                member=request.user, content=content_from(EntryKind.CHECK_IN, request.POST)
            )
        except WorkbookRefused as refusal:
            form.is_valid()
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Checked in. It is in your Step 10 workbook.")
            return redirect("home")
    return render(
        request,
        "accounts/workbook/check_in.html",
        {"form": form, "worksheet": WORKSHEETS[EntryKind.CHECK_IN]},
        status=400 if request.method == "POST" else 200,
    )


# --- the mentor's side ---------------------------------------------------------------------


@never_cache
@login_required
def mentee_workbook(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = get_mentorship_for(request.user, pk)
    items = shared_work_for(request.user, mentorship)
    for item in items:
        for entry in item.entries:
            entry.worksheet = WORKSHEETS[entry.kind]
            entry.rows = [
                (f.label, dict(f.choices).get(entry.content.get(f.name), entry.content.get(f.name)))
                for f in entry.worksheet.fields
                if entry.content.get(f.name)
            ]
    context = {
        "mentorship": mentorship,
        "items": items,
        "questions": waiting_requests_for(mentorship),
        "note_form": NoteForm(),
    }
    return render(request, "accounts/workbook/mentee_workbook.html", context)


@login_required
@require_POST
def share_note(request: HttpRequest, pk: int, share_id: int) -> HttpResponse:
    mentorship = get_mentorship_for(request.user, pk)
    shared_work_for(request.user, mentorship)  # 404 unless this mentor may read it
    share = WorkbookShare.objects.filter(pk=share_id, mentorship=mentorship).first()
    if share is None:
        raise Http404("No such shared writing.")
    try:
        write_share_note(mentor=request.user, share=share, note=request.POST.get("note", ""))
    except WorkbookRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Your note is beside it now.")
    return redirect("accounts:mentee_workbook", pk=pk)


@login_required
@require_POST
def move_note(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    mentorship = get_mentorship_for(request.user, pk)
    move_request = get_move_request_for_mentor(request.user, mentorship, request_id)
    try:
        answer_move_request(
            mentor=request.user, request=move_request, note=request.POST.get("note", "")
        )
    except StepMoveRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Your note is sent. Moving on stays their decision.")
    return redirect("accounts:mentee_workbook", pk=pk)
