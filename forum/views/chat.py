"""Chat pages: the room list, a room (works without JavaScript), its history, creating rooms."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from forum.actions.chat import ChatError, create_room, send_message
from forum.actions.safety import screen_text
from forum.forms.moderation import MUTE_DURATIONS
from forum.models import Room, Step
from forum.models.chat import BODY_MAX_LENGTH
from forum.permissions.chat import (
    REFUSAL_TEXT,
    can_create_room,
    get_room_for,
    is_read_only,
    send_refusal,
)
from forum.realtime.presence import rooms_presence
from forum.selectors.chat import history_page, listed_rooms, mentorship_rooms_of, recent_messages
from forum.views.meetings import meeting_context
from forum.views.safety import offer_crisis_panel


class RoomForm(forms.Form):
    title = forms.CharField(max_length=80)
    slug = forms.SlugField(
        max_length=80, help_text="The room's address: /chat/<this>/. Letters, digits and dashes."
    )
    description = forms.CharField(widget=forms.Textarea, max_length=500, required=False)
    step = forms.ModelChoiceField(
        queryset=Step.objects.all(), required=False, empty_label="No particular step"
    )
    slow_mode_seconds = forms.IntegerField(
        min_value=0,
        max_value=3600,
        initial=0,
        label="Slow mode (seconds)",
        help_text="How long each member waits between two messages; 0 turns it off.",
    )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if slug == "new" or Room.objects.filter(slug=slug).exists():
            raise forms.ValidationError("A room already uses that address.")
        return slug


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": BODY_MAX_LENGTH}),
        max_length=BODY_MAX_LENGTH,
        strip=True,
    )
    client_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def room_list(request: HttpRequest) -> HttpResponse:
    rooms = list(listed_rooms())
    private_rooms = list(mentorship_rooms_of(request.user))
    present = rooms_presence([room.pk for room in rooms + private_rooms])
    for room in rooms + private_rooms:
        room.present = present[room.pk].count
    return render(
        request,
        "forum/chat/room_list.html",
        {
            "rooms": rooms,
            "private_rooms": private_rooms,
            "can_create": can_create_room(request.user),
        },
    )


@login_required
def room_create(request: HttpRequest) -> HttpResponse:
    if not can_create_room(request.user):
        raise PermissionDenied("Only moderators can create rooms.")
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        room = create_room(by=request.user, **form.cleaned_data)
        messages.success(request, f"The room “{room.title}” is open.")
        return redirect(room)
    return render(request, "forum/chat/room_form.html", {"form": form})


@login_required
def room_detail(request: HttpRequest, slug: str) -> HttpResponse:
    room = get_room_for(request.user, slug)
    refusal = send_refusal(request.user, room)
    return render(
        request,
        "forum/chat/room_detail.html",
        {
            "room": room,
            "chat_messages": recent_messages(room),
            "form": MessageForm(),
            "refusal": refusal,
            "refusal_text": REFUSAL_TEXT.get(refusal, ""),
            "read_only": is_read_only(room),
            "body_max_length": BODY_MAX_LENGTH,
            "mute_durations": [(key, label) for key, (label, _) in MUTE_DURATIONS.items()],
            **meeting_context(request, room),
        },
    )


@login_required
@require_POST
def room_send(request: HttpRequest, slug: str) -> HttpResponse:
    """Sending without JavaScript: the same action as the socket, then back to the room."""
    room = get_room_for(request.user, slug)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write between 1 and 2,000 characters, then send.")
        return redirect(room)
    try:
        send_message(
            member=request.user,
            room=room,
            body=form.cleaned_data["body"],
            client_id=form.cleaned_data["client_id"],
        )
    except ChatError as error:
        messages.error(request, error.message)
        if error.code != "held_for_review":
            return redirect(f"{room.get_absolute_url()}#chat-form")
    # Moderation (issue 6): the author alone sees the crisis panel on the next page.
    if screen_text(form.cleaned_data["body"]).is_crisis:
        offer_crisis_panel(request)
    return redirect(f"{room.get_absolute_url()}#chat-form")


@login_required
def room_history(request: HttpRequest, slug: str) -> HttpResponse:
    room = get_room_for(request.user, slug)
    page = history_page(
        room, before=_int_param(request, "before"), after=_int_param(request, "after")
    )
    return render(request, "forum/chat/room_history.html", {"room": room, "page": page})
