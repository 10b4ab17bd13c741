"""Meeting pages: what is live and next, starting or scheduling one, and "I need a meeting now".

The meeting itself runs on the room's page over its own socket (forum/realtime/meetings.py).
"""

from __future__ import annotations

from datetime import UTC, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from forum.actions.meetings import look_for_meeting, schedule_meeting, start_meeting
from forum.errors import MeetingError
from forum.permissions.chat import get_room_for
from forum.permissions.meetings import can_chair, can_schedule_meeting
from forum.selectors.meetings import live_meeting_in, live_meetings, next_meetings


class ScheduleForm(forms.Form):
    title = forms.CharField(max_length=80)
    topic = forms.CharField(max_length=200, required=False)
    starts_at = forms.DateTimeField(
        label="Starts at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="In your own time zone; everyone sees it in theirs.",
    )
    tz_offset = forms.IntegerField(
        required=False, min_value=-900, max_value=900, widget=forms.HiddenInput
    )
    repeats_weekly = forms.BooleanField(required=False, label="Every week at this time")

    def clean(self):
        data = super().clean()
        starts = data.get("starts_at")
        if starts is not None:
            # The browser sends its offset (minutes behind UTC); without JavaScript: UTC.
            naive = starts.replace(tzinfo=None)
            data["starts_at"] = naive.replace(tzinfo=UTC) + timedelta(
                minutes=data.get("tz_offset") or 0
            )
            if data["starts_at"] < timezone.now() - timedelta(minutes=5):
                self.add_error("starts_at", "Choose a time that has not passed yet.")
        return data


def meeting_context(member, room) -> dict:
    """What a room's page adds for meetings: the live one, and the chair's start/schedule."""
    return {
        "meeting": live_meeting_in(room),
        "may_chair_here": can_schedule_meeting(member, room),
        "schedule_form": ScheduleForm(),
    }


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
    return redirect(look_for_meeting(member=request.user))


@login_required
@require_POST
def meeting_start(request: HttpRequest, slug: str) -> HttpResponse:
    room = get_room_for(request.user, slug)
    try:
        start_meeting(by=request.user, room=room, topic=request.POST.get("topic", ""))
    except PermissionDenied:
        raise
    except MeetingError as error:
        messages.error(request, error.message)
    return redirect(room)


@login_required
@require_POST
def meeting_schedule(request: HttpRequest, slug: str) -> HttpResponse:
    room = get_room_for(request.user, slug)
    form = ScheduleForm(request.POST)
    if not can_chair(request.user):
        raise PermissionDenied("Only members with standing can chair a meeting.")
    if form.is_valid():
        schedule_meeting(
            by=request.user,
            room=room,
            title=form.cleaned_data["title"],
            topic=form.cleaned_data["topic"],
            starts_at=form.cleaned_data["starts_at"],
            repeats_weekly=form.cleaned_data["repeats_weekly"],
        )
        messages.success(request, "The meeting is on the list. Thank you for chairing.")
    else:
        errors = "; ".join(e for field in form.errors.values() for e in field)
        messages.error(request, f"The meeting was not scheduled: {errors}")
    return redirect("forum:meeting_list")
