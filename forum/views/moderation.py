"""Moderation pages: the review queue, one item, one member, the audit log, the safety lists, and
the report form members reach from posts, topics, chat messages and profiles.

Views parse input, call one action and render. Moderators see pseudonyms only: nothing here
renders an email or an IP address.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.standing import is_suspended
from forum.actions import moderation as actions
from forum.actions.moderation import ItemNotFound, ModerationError, Target, resolve_target
from forum.forms.moderation import (
    AppealForm,
    CheckInAnswerForm,
    CheckInForm,
    CrisisPhraseForm,
    EditForm,
    HideMessageForm,
    LogFilterForm,
    MoveForm,
    MuteForm,
    NoteForm,
    ReasonForm,
    ReportForm,
    RoomMuteForm,
    SlowModeForm,
    SuspendForm,
    UnmuteForm,
    WarnForm,
    WatchedWordForm,
)
from forum.models import AuditLogEntry, CheckIn, CrisisPhrase, TargetKind, WatchedWord
from forum.permissions.chat import get_room_for
from forum.permissions.moderation import (
    can_act_on_member,
    can_moderate_content,
    can_moderate_members,
    can_report_at_all,
    check_can_manage_safety_lists,
    check_can_moderate_content,
    check_can_moderate_members,
    check_can_review,
    check_can_view_audit_log,
    report_refusal,
)
from forum.selectors.moderation import (
    LOG_PAGE_SIZE,
    audit_log,
    ban_for,
    measures_for,
    moderator_names,
    open_appeals,
    reports_about_member,
    review_item,
    review_queue,
    rooms_to_mute_in,
)


def not_found_as_404(view):
    """Actions raise ItemNotFound for an unknown or unseen item; to a visitor that is a 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ItemNotFound as missing:
            raise Http404(str(missing)) from missing

    return wrapper


ITEM_ACTIONS = {
    "dismiss",
    "hide",
    "unhide",
    "delete",
    "edit",
    "lock",
    "unlock",
    "pin",
    "unpin",
    "move",
    "approve",
    "reject",
    "check_in",
}
LIFT_ACTIONS = {"lift_suspension", "unmute", "unban"}
MEMBER_ACTIONS = {"warn", "mute", "suspend", "ban", "hide_all", "note"} | LIFT_ACTIONS


# Reports (members) ---------------------------------------------------------------------------


def _item_url(target: Target) -> str:
    obj = target.obj
    if target.kind == TargetKind.CHAT_MESSAGE:
        return obj.room.get_absolute_url()
    if target.kind == TargetKind.MEETING_SHARE:
        return obj.meeting.room.get_absolute_url()
    return obj.get_absolute_url()


@login_required
@not_found_as_404
def report(request: HttpRequest, kind: str, target_id: int) -> HttpResponse:
    """Report a topic, post, chat message or member: a reason and an optional note."""
    if not can_report_at_all(request.user):
        raise PermissionDenied("You cannot report right now.")
    target = resolve_target(kind, target_id)
    refusal = report_refusal(request.user, target)
    if refusal == "unseen":
        raise Http404("No such item.")
    if refusal == "own":
        return render(
            request,
            "forum/moderation/report_own.html",
            {"target": target, "back": _item_url(target)},
            status=403,
        )
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.report_item(
                    reporter=request.user,
                    kind=kind,
                    target_id=target_id,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except ModerationError as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request,
                    "Thank you. A moderator will look at it soon, and you will hear the outcome. "
                    "Nobody is told who reported.",
                )
                return redirect(_item_url(target))
        status = 400
    return render(
        request,
        "forum/moderation/report_form.html",
        {"form": form, "target": target, "back": _item_url(target)},
        status=status,
    )


# Queue and items (moderators) ----------------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    check_can_review(request.user)
    page = review_queue(page=request.GET.get("page") or 1)
    return render(request, "forum/moderation/queue.html", {"page": page, "items": page.object_list})


def _rooms_for(item) -> object:
    room_id = item.obj.room_id if item.kind == TargetKind.CHAT_MESSAGE and item.obj else None
    return rooms_to_mute_in(room_id=room_id)


def action_forms(*, rooms, edit_initial: dict | None = None) -> dict:
    """One unbound form per action, each with its own ids so labels stay unique on the page."""
    classes = {
        "edit": EditForm,
        "move": MoveForm,
        "check_in": CheckInForm,
        "warn": WarnForm,
        "mute": MuteForm,
        "suspend": SuspendForm,
    }
    forms = {}
    for action in sorted(ITEM_ACTIONS | (MEMBER_ACTIONS - LIFT_ACTIONS - {"note"})):
        form_class = classes.get(action, ReasonForm)
        kwargs = {"auto_id": f"id_{action}_%s"}
        if action == "mute":
            kwargs["rooms"] = rooms
        if action == "edit":
            kwargs["initial"] = edit_initial or {}
        forms[action] = form_class(**kwargs)
    return forms


def lift_forms(subject: User) -> dict:
    """The forms that undo a measure, for the measures the member is under right now."""
    forms = {}
    if is_suspended(subject):
        forms["lift_suspension"] = ReasonForm(auto_id="id_lift_suspension_%s")
    if not subject.is_active:
        forms["unban"] = ReasonForm(auto_id="id_unban_%s")
    rooms = actions.active_mute_rooms(subject)
    if rooms.exists():
        forms["unmute"] = UnmuteForm(auto_id="id_unmute_%s", rooms=rooms)
    return forms


def _item_context(request: HttpRequest, item, closed) -> dict:
    moderator = request.user
    if item.obj is None:
        subject = item.subject
    else:
        subject = item.obj if item.kind == TargetKind.MEMBER else item.obj.author
    post = None
    if item.obj is not None and item.kind == TargetKind.POST:
        post = item.obj
    elif item.kind == TargetKind.TOPIC and item.context:
        post = item.context[0]
    topic = None
    if item.obj is not None and item.kind == TargetKind.TOPIC:
        topic = item.obj
    elif post is not None:
        topic = post.topic
    edit_initial = {}
    if post is not None:
        edit_initial = {"body": post.body, "title": topic.title if post.is_opening else ""}
    return {
        "item": item,
        "closed": closed,
        "subject": subject,
        "post": post,
        "topic": topic,
        "can_content": can_moderate_content(moderator),
        "can_members": can_moderate_members(moderator)
        and subject is not None
        and can_act_on_member(moderator, subject),
        "forms": action_forms(rooms=_rooms_for(item), edit_initial=edit_initial),
        "check_ins": CheckIn.objects.filter(target_kind=item.kind, target_id=item.target_id),
        "is_pending": item.obj is not None
        and item.kind != TargetKind.MEMBER
        and actions.is_pending(
            Target(kind=item.kind, id=item.target_id, obj=item.obj, subject=subject)
        ),
    }


@login_required
def item(request: HttpRequest, kind: str, target_id: int) -> HttpResponse:
    check_can_review(request.user)
    found, closed = review_item(kind, target_id)
    return render(request, "forum/moderation/item.html", _item_context(request, found, closed))


@login_required
@require_POST
@not_found_as_404
def item_action(request: HttpRequest, kind: str, target_id: int, action: str) -> HttpResponse:
    """One moderator action on one item; every action needs a reason for the audit log."""
    check_can_review(request.user)
    if action not in ITEM_ACTIONS:
        raise Http404("Unknown action.")
    review_item(kind, target_id)
    moderator = request.user
    back = reverse("forum:moderation_item", kwargs={"kind": kind, "target_id": target_id})
    if action == "check_in":
        return _check_in(request, kind, target_id, back)
    form_class = {"edit": EditForm, "move": MoveForm}.get(action, ReasonForm)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    data = form.cleaned_data
    common = {
        "moderator": moderator,
        "kind": kind,
        "target_id": target_id,
        "reason": data["reason"],
    }
    try:
        if action == "dismiss":
            actions.dismiss_reports(**common)
        elif action == "hide":
            actions.hide_item(**common)
        elif action == "unhide":
            actions.unhide_item(**common)
        elif action == "delete":
            actions.delete_item(**common)
        elif action == "edit":
            actions.edit_item(**common, body=data["body"], title=data.get("title") or None)
        elif action in ("lock", "unlock", "pin", "unpin"):
            actions.set_topic_flag(**common, action=action)
        elif action == "move":
            actions.move_topic(**common, board_id=data["board"].pk)
        elif action == "approve":
            actions.approve_item(**common)
        elif action == "reject":
            actions.reject_item(**common)
    except ModerationError as refusal:
        messages.error(request, str(refusal))
        return redirect(back)
    messages.success(request, f"Done: {AuditLogEntry.Action(action).label.lower()}.")
    if action in ("delete", "reject", "dismiss"):
        return redirect("forum:moderation_queue")
    return redirect(back)


def _check_in(request: HttpRequest, kind: str, target_id: int, back: str) -> HttpResponse:
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    try:
        actions.send_check_in(
            moderator=request.user, kind=kind, target_id=target_id, text=form.cleaned_data["text"]
        )
    except ModerationError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Sent. The member can read it privately and answer.")
    return redirect(back)


def _form_errors(form) -> str:
    errors = [
        f"{form.fields[f].label if f in form.fields else ''}: {e}".lstrip(": ")
        for f, es in form.errors.items()
        for e in es
    ]
    return " ".join(errors) or "Please check the form."


# Members (moderators) ------------------------------------------------------------------------


@login_required
def member(request: HttpRequest, member_id: int) -> HttpResponse:
    check_can_review(request.user)
    subject = get_object_or_404(User, pk=member_id)
    return render(
        request,
        "forum/moderation/member.html",
        {
            "subject": subject,
            "reports": reports_about_member(subject)[:50],
            "log": audit_log().filter(member=subject)[:50],
            "can_members": can_moderate_members(request.user)
            and can_act_on_member(request.user, subject),
            "forms": action_forms(rooms=rooms_to_mute_in()),
            "lift_forms": lift_forms(subject),
            "notes": subject.moderator_notes.all()[:50],
            "note_form": NoteForm(auto_id="id_note_%s"),
            "is_suspended": is_suspended(subject),
        },
    )


@login_required
@require_POST
@not_found_as_404
def member_action(request: HttpRequest, member_id: int, action: str) -> HttpResponse:
    check_can_moderate_members(request.user)
    if action not in MEMBER_ACTIONS:
        raise Http404("Unknown action.")
    subject = get_object_or_404(User, pk=member_id)
    moderator = request.user
    item = _item_from_post(request)
    back = item.moderation_url if item else reverse("forum:moderation_member", args=[member_id])
    if action == "mute":
        form = MuteForm(request.POST, rooms=_rooms_for(item) if item else rooms_to_mute_in())
    elif action == "unmute":
        form = UnmuteForm(request.POST, rooms=actions.active_mute_rooms(subject))
    else:
        form = {"warn": WarnForm, "suspend": SuspendForm, "note": NoteForm}.get(action, ReasonForm)(
            request.POST
        )
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    data = form.cleaned_data
    try:
        if action == "warn":
            actions.warn_member(
                moderator=moderator, member=subject, message=data["message"], item=item
            )
        elif action == "mute":
            actions.mute_in_chat(
                moderator=moderator,
                member=subject,
                room=data["room"],
                duration=data["duration"],
                reason=data["reason"],
                item=item,
            )
        elif action == "suspend":
            actions.suspend_member(
                moderator=moderator,
                member=subject,
                duration=data["duration"],
                reason=data["reason"],
                item=item,
            )
        elif action == "ban":
            actions.ban_member(
                moderator=moderator, member=subject, reason=data["reason"], item=item
            )
        elif action == "note":
            actions.add_note(moderator=moderator, member=subject, text=data["text"])
        elif action == "hide_all":
            actions.hide_everything_by(moderator=moderator, member=subject, reason=data["reason"])
        elif action == "lift_suspension":
            actions.lift_suspension(moderator=moderator, member=subject, reason=data["reason"])
        elif action == "unmute":
            actions.unmute_in_chat(
                moderator=moderator, member=subject, room=data["room"], reason=data["reason"]
            )
        else:
            actions.unban_member(moderator=moderator, member=subject, reason=data["reason"])
    except ModerationError as refusal:
        messages.error(request, str(refusal))
        return redirect(back)
    messages.success(
        request, f"Done: {AuditLogEntry.Action(action).label.lower()} {subject.username}."
    )
    return redirect(back)


def _item_from_post(request: HttpRequest) -> Target | None:
    """The queue item a member action was taken from (its reports close with it)."""
    kind = request.POST.get("item_kind", "")
    raw_id = request.POST.get("item_id", "")
    if not kind or not raw_id.isdigit():
        return None
    try:
        review_item(kind, int(raw_id))
        return resolve_target(kind, int(raw_id))
    except (Http404, ItemNotFound):
        return None


# Audit log -----------------------------------------------------------------------------------


@login_required
def log(request: HttpRequest) -> HttpResponse:
    """Read-only: there is no view, form or admin page that changes or deletes an entry."""
    check_can_view_audit_log(request.user)
    form = LogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_log(
        moderator=filters.get("moderator", ""),
        member=filters.get("member", ""),
        action=filters.get("action", ""),
    )
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "forum/moderation/log.html",
        {
            "form": form,
            "page": page,
            "moderators": moderator_names(),
            "query": query.urlencode(),
        },
    )


# Watched words and crisis phrases ------------------------------------------------------------


@login_required
def watched_words(request: HttpRequest) -> HttpResponse:
    check_can_manage_safety_lists(request.user)
    form = WatchedWordForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.add_watched_word(moderator=request.user, **form.cleaned_data)
            except ModerationError as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, "The word is on the list.")
                return redirect("forum:moderation_words")
        status = 400
    return render(
        request,
        "forum/moderation/words.html",
        {"form": form, "words": WatchedWord.objects.select_related("created_by")},
        status=status,
    )


@login_required
@require_POST
@not_found_as_404
def watched_word_delete(request: HttpRequest, word_id: int) -> HttpResponse:
    check_can_manage_safety_lists(request.user)
    actions.remove_watched_word(moderator=request.user, word_id=word_id)
    messages.success(request, "The word is off the list.")
    return redirect("forum:moderation_words")


@login_required
def crisis_phrases(request: HttpRequest) -> HttpResponse:
    check_can_manage_safety_lists(request.user)
    form = CrisisPhraseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.add_crisis_phrase(
                    moderator=request.user, phrase=form.cleaned_data["phrase"]
                )
            except ModerationError as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, "The phrase is on the list.")
                return redirect("forum:moderation_crisis_phrases")
        status = 400
    return render(
        request,
        "forum/moderation/crisis_phrases.html",
        {"form": form, "phrases": CrisisPhrase.objects.all()},
        status=status,
    )


@login_required
@require_POST
@not_found_as_404
def crisis_phrase_delete(request: HttpRequest, phrase_id: int) -> HttpResponse:
    check_can_manage_safety_lists(request.user)
    actions.remove_crisis_phrase(moderator=request.user, phrase_id=phrase_id)
    messages.success(request, "The phrase is off the list.")
    return redirect("forum:moderation_crisis_phrases")


# A member's standing and appeals ------------------------------------------------------------


APPEAL_SENT = "Thank you. A moderator other than the one who decided will read it and answer you."


@login_required
def standing(request: HttpRequest) -> HttpResponse:
    """The measures in force on the member, with the reason and end, and an appeal for each."""
    return render(
        request,
        "forum/moderation/standing.html",
        {"measures": measures_for(request.user), "form": AppealForm()},
    )


@login_required
@require_POST
@not_found_as_404
def appeal(request: HttpRequest, entry_id: int) -> HttpResponse:
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("forum:standing")
    try:
        actions.appeal_measure(
            member=request.user, entry_id=entry_id, text=form.cleaned_data["text"]
        )
    except ModerationError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, APPEAL_SENT)
    return redirect("forum:standing")


# The banned member's page (accounts/banned.py sends every other request of theirs here) -----


def _banned_member(request: HttpRequest):
    return getattr(request, "banned_member", None)


def banned(request: HttpRequest) -> HttpResponse:
    member = _banned_member(request)
    if member is None:
        return redirect("home")
    response = render(
        request,
        "forum/banned.html",
        {"member": member, "measure": ban_for(member), "form": AppealForm()},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def banned_appeal(request: HttpRequest) -> HttpResponse:
    member = _banned_member(request)
    if member is None:
        return redirect("home")
    form = AppealForm(request.POST)
    measure = ban_for(member)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("forum:banned")
    try:
        actions.appeal_measure(
            member=member,
            entry_id=measure.entry_id or 0,
            text=form.cleaned_data["text"],
        )
    except (ModerationError, ItemNotFound) as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, APPEAL_SENT)
    return redirect("forum:banned")


@require_POST
def banned_leave(request: HttpRequest) -> HttpResponse:
    """Forget this session: the member leaves the page (they can come back by logging in)."""
    request.session.flush()
    return redirect("home")


@login_required
def appeals(request: HttpRequest) -> HttpResponse:
    check_can_moderate_members(request.user)
    return render(
        request,
        "forum/moderation/appeals.html",
        {"appeals": open_appeals(request.user)[:100], "form": ReasonForm()},
    )


@login_required
@require_POST
@not_found_as_404
def appeal_decide(request: HttpRequest, appeal_id: int, decision: str) -> HttpResponse:
    check_can_moderate_members(request.user)
    if decision not in ("lift", "keep"):
        raise Http404("Unknown decision.")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("forum:moderation_appeals")
    try:
        actions.decide_appeal(
            moderator=request.user,
            appeal_id=appeal_id,
            lift=decision == "lift",
            response=form.cleaned_data["reason"],
        )
    except ModerationError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Answered; the member has been told.")
    return redirect("forum:moderation_appeals")


@login_required
@not_found_as_404
def check_in(request: HttpRequest, check_in_id: int) -> HttpResponse:
    """The member reads a moderator's check-in and may answer it once."""
    found = actions.check_in_for(member=request.user, check_in_id=check_in_id)
    form = CheckInAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_check_in(
                member=request.user, check_in_id=found.pk, reply=form.cleaned_data["reply"]
            )
        except ModerationError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "Thank you for answering. A moderator will read it.")
        return redirect(found.get_absolute_url())
    return render(request, "forum/moderation/check_in.html", {"check_in": found, "form": form})


# In-room controls (moderators, on a chat room's page) ------------------------------------------

ROOM_CONTROLS = {
    "lock": ReasonForm,
    "unlock": ReasonForm,
    "slow_mode": SlowModeForm,
    "mute": RoomMuteForm,
    "hide": HideMessageForm,
}


@login_required
@require_POST
@not_found_as_404
def room_control(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """Lock, slow mode, mute in this room, hide a message: live to open sockets, audited."""
    check_can_moderate_content(request.user)
    if action not in ROOM_CONTROLS:
        raise Http404("Unknown action.")
    room = get_room_for(request.user, slug)
    form = ROOM_CONTROLS[action](request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(room)
    data = form.cleaned_data
    moderator = request.user
    try:
        if action in ("lock", "unlock"):
            actions.set_room_lock(
                moderator=moderator, room=room, locked=action == "lock", reason=data["reason"]
            )
        elif action == "slow_mode":
            actions.set_room_slow_mode(
                moderator=moderator, room=room, seconds=data["seconds"], reason=data["reason"]
            )
        elif action == "mute":
            subject = User.objects.filter(username__iexact=data["pseudonym"]).first()
            if subject is None:
                raise ModerationError("No member has that pseudonym.")
            actions.mute_in_chat(
                moderator=moderator,
                member=subject,
                room=room,
                duration=data["duration"],
                reason=data["reason"],
            )
        else:
            if not room.messages.filter(pk=data["message_id"]).exists():
                raise ModerationError("No message with that number in this room.")
            actions.hide_item(
                moderator=moderator,
                kind=TargetKind.CHAT_MESSAGE,
                target_id=data["message_id"],
                reason=data["reason"],
            )
    except ModerationError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Done; everyone in the room sees it now.")
    return redirect(room)
