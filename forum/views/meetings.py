"""Meeting pages: what is live and next, starting or scheduling one, "I need a meeting now",
a group's format texts, and the plain forms that let a member attend without JavaScript.

The meeting itself runs on the room's page over its own socket (forum/realtime/meetings.py);
the plain forms post here and call the same actions the socket does.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from forum.actions import meetings as act
from forum.actions.meeting_commands import CHAIR_COMMANDS, MEMBER_COMMANDS, perform
from forum.actions.moderation.meetings import edit_meeting_format, reset_meeting_format
from forum.errors import ItemNotFound, MeetingError, ModerationError
from forum.forms.meetings import COHOST_LIST_ID, FormatForm, ScheduleForm, StartForm
from forum.permissions.chat import can_see_room, get_room_for
from forum.permissions.meetings import can_chair, can_edit_format, can_schedule_meeting
from forum.selectors.meetings import (
    cohost_candidates,
    format_of,
    get_meeting,
    live_meeting_in,
    live_meetings,
    meeting_state,
    next_meetings,
    resume_shares,
)

DRAFT_KEY = "meeting-draft"
FORM_KEY = "meeting-form"


CHAIR_REFUSAL = "Only members with standing can chair a meeting."
FORMAT_REFUSAL = "Only members who may chair here can edit the format."


def _room_where(request: HttpRequest, slug: str, rule, refusal: str):
    """The room, if the member can see it (else 404) and ``rule`` lets them act there."""
    room = get_room_for(request.user, slug)
    if not rule(request.user, room):
        raise PermissionDenied(refusal)
    return room


def _keep_for_correction(request: HttpRequest, name: str, room) -> HttpResponse:
    """Back to the room with what the chair typed, so the form shows it with its errors."""
    data = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    request.session[FORM_KEY] = {"name": name, "data": data}
    messages.error(request, "Please check the meeting form: something needs changing.")
    return redirect(f"{room.get_absolute_url()}#meeting-forms")


def _chair_forms(request: HttpRequest) -> dict:
    """The start and schedule forms; the one sent back for correction is bound again."""
    pending = request.session.pop(FORM_KEY, None) or {}
    data = pending.get("data")
    chair = request.user
    return {
        "start_form": StartForm(
            data if pending.get("name") == "start" else None, chair=chair, auto_id="id_start_%s"
        ),
        "schedule_form": ScheduleForm(
            data if pending.get("name") == "schedule" else None, chair=chair
        ),
        "chair_forms_open": bool(pending),
    }


def meeting_context(request: HttpRequest, room) -> dict:
    """What a room's page adds for meetings: the live one (and, for the page without
    JavaScript, its state and shares as this member sees them), the chair's start/schedule."""
    member = request.user
    meeting = live_meeting_in(room)
    may_chair = can_schedule_meeting(member, room)
    context = {
        "meeting": meeting,
        "may_chair_here": may_chair,
        "may_edit_format": can_edit_format(member, room),
        **_chair_forms(request),
        "cohost_list_id": COHOST_LIST_ID,
        "cohost_candidates": cohost_candidates(member) if may_chair and not meeting else [],
    }
    if meeting is not None and member.is_authenticated:
        view = meeting_state(meeting.pk, member)
        inside = view["me"]["status"] == "in" or view["me"]["runs"]
        context |= {
            "meeting_view": view,
            "meeting_shares": resume_shares(meeting.pk) if inside else [],
            "meeting_draft": request.session.pop(DRAFT_KEY, ""),
        }
    return context


def meeting_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "forum/meetings/list.html",
        {
            "live": list(live_meetings()),
            "upcoming": list(next_meetings()),
            "may_chair": can_chair(request.user),
        },
    )


@login_required
@require_POST
def meeting_now(request: HttpRequest) -> HttpResponse:
    """Take the member to the live meeting, or the always-open room; tell those who opted in."""
    return redirect(act.look_for_meeting(member=request.user))


@login_required
@require_POST
def meeting_start(request: HttpRequest, slug: str) -> HttpResponse:
    room = _room_where(request, slug, can_schedule_meeting, CHAIR_REFUSAL)
    form = StartForm(request.POST, chair=request.user)
    if not form.is_valid():
        return _keep_for_correction(request, "start", room)
    try:
        act.start_meeting(
            by=request.user,
            room=room,
            topic=form.cleaned_data["topic"],
            cohost=form.cleaned_data["cohost"],
        )
    except MeetingError as error:
        messages.error(request, error.message)
    return redirect(room)


@login_required
@require_POST
def meeting_schedule(request: HttpRequest, slug: str) -> HttpResponse:
    room = _room_where(request, slug, can_schedule_meeting, CHAIR_REFUSAL)
    form = ScheduleForm(request.POST, chair=request.user)
    if not form.is_valid():
        return _keep_for_correction(request, "schedule", room)
    act.schedule_meeting(
        by=request.user,
        room=room,
        title=form.cleaned_data["title"],
        topic=form.cleaned_data["topic"],
        starts_at=form.cleaned_data["starts_at"],
        repeats_weekly=form.cleaned_data["repeats_weekly"],
        cohost=form.cleaned_data["cohost"],
    )
    messages.success(request, "The meeting is on the list. Thank you for chairing.")
    return redirect("forum:meeting_list")


@login_required
def meeting_format(request: HttpRequest, slug: str) -> HttpResponse:
    """A group's own words for its format; an empty text, or "reset", brings back ours."""
    room = _room_where(request, slug, can_edit_format, FORMAT_REFUSAL)
    fmt = format_of(room)
    form = FormatForm.for_format(fmt, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                edit_meeting_format(
                    by=request.user, room=room, texts=form.texts(), **form.options()
                )
            except MeetingError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "The format is saved. The next meeting reads it.")
                return redirect("forum:meeting_format", slug=room.slug)
        status = 400
    return render(
        request, "forum/meetings/format.html", {"room": room, "form": form}, status=status
    )


@login_required
@require_POST
def meeting_format_reset(request: HttpRequest, slug: str) -> HttpResponse:
    room = _room_where(request, slug, can_edit_format, FORMAT_REFUSAL)
    reset_meeting_format(by=request.user, room=room)
    messages.success(request, "The format reads our words again.")
    return redirect("forum:meeting_format", slug=room.slug)


# Attending without JavaScript ------------------------------------------------------------------

PLAIN_VERBS = {"join"} | MEMBER_COMMANDS | CHAIR_COMMANDS


def _plain_command(verb: str, data) -> dict:
    """A plain form's fields as the command the socket would send, with the same types."""
    command: dict = {"type": verb}
    for name in ("member_id", "seconds"):
        if data.get(name):
            try:
                command[name] = int(data[name])
            except ValueError:
                raise MeetingError("invalid", "That form was not filled in as expected.") from None
    if "on" in data:
        command["on"] = data["on"] == "1"
    if data.get("phase"):
        command["phase"] = data["phase"]
    if verb == "share":
        command["body"] = data.get("body", "")
    return command


def _do(verb: str, member, meeting, request: HttpRequest) -> None:
    if verb == "join":
        act.join_meeting(member=member, meeting=meeting, socket=False)
        return
    command = _plain_command(verb, request.POST)
    if verb == "share":
        request.session[DRAFT_KEY] = command["body"]
    perform(member=member, meeting=meeting, command=command)
    request.session.pop(DRAFT_KEY, None)


@login_required
@require_POST
def meeting_plain(request: HttpRequest, meeting_id: int, verb: str) -> HttpResponse:
    """One plain form of the meeting (a member's join, hand, thanks, pass and share, or one of
    the chair's commands): the socket's actions, then back to the room. A refused share keeps
    its text in the form."""
    meeting = get_meeting(meeting_id)
    if verb not in PLAIN_VERBS or meeting is None or not can_see_room(request.user, meeting.room):
        raise Http404("No such meeting.")
    try:
        _do(verb, request.user, meeting, request)
    except MeetingError as error:
        messages.error(request, error.message)
    except (PermissionDenied, ModerationError, ItemNotFound) as error:
        messages.error(request, str(error) or "Only those who run the meeting can do that.")
    return redirect(f"{meeting.room.get_absolute_url()}#meeting")
