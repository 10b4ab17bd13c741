"""Forms for reports and moderator actions. The rules live in forum/actions/moderation/."""

from __future__ import annotations

from datetime import timedelta

from django import forms

from forum.models import Board, Room, WatchedWord
from forum.models.moderation import MEMBER_REPORT_REASONS
from forum.models.posts import BODY_MAX_LENGTH

REASON_HELP = (
    "Goes into the audit log. The member sees it for a suspension, a mute or a ban (and a warning)."
)

MUTE_DURATIONS = {
    "15m": ("15 minutes", timedelta(minutes=15)),
    "1h": ("1 hour", timedelta(hours=1)),
    "1d": ("1 day", timedelta(days=1)),
    "7d": ("7 days", timedelta(days=7)),
}
SUSPEND_DURATIONS = {
    "1d": ("1 day", timedelta(days=1)),
    "3d": ("3 days", timedelta(days=3)),
    "7d": ("7 days", timedelta(days=7)),
    "30d": ("30 days", timedelta(days=30)),
}


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong?", choices=MEMBER_REPORT_REASONS, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Anything a moderator should know (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The member you report is never told who reported them.",
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note for the moderators",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only moderators read it; the member never does. The audit log records it.",
    )


class CheckInForm(forms.Form):
    text = forms.CharField(
        label="Your words to the member",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Care, not a warning. Only the member and moderators read it; they can answer.",
    )


class CheckInAnswerForm(forms.Form):
    reply = forms.CharField(
        label="Your answer (optional, private)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label="What would you like a moderator to know?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Read by moderators only, and not by the one who decided. You can appeal once.",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )


class EditForm(ReasonForm):
    title = forms.CharField(label="Title", required=False, max_length=150)
    body = forms.CharField(
        label="Text",
        strip=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class MoveForm(ReasonForm):
    board = forms.ModelChoiceField(label="Move to board", queryset=Board.objects.all())


class WarnForm(forms.Form):
    message = forms.CharField(
        label="Your words to the member",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sent as a private notification and kept in the audit log.",
    )


class MuteForm(ReasonForm):
    room = forms.ModelChoiceField(label="Room", queryset=Room.objects.none())
    duration = forms.ChoiceField(
        label="For", choices=[(k, label) for k, (label, _) in MUTE_DURATIONS.items()]
    )

    def __init__(self, *args, rooms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms if rooms is not None else Room.objects.none()

    def clean_duration(self) -> timedelta:
        return MUTE_DURATIONS[self.cleaned_data["duration"]][1]


class UnmuteForm(ReasonForm):
    room = forms.ModelChoiceField(label="Room", queryset=Room.objects.none())

    def __init__(self, *args, rooms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms if rooms is not None else Room.objects.none()


class SuspendForm(ReasonForm):
    duration = forms.ChoiceField(
        label="For", choices=[(k, label) for k, (label, _) in SUSPEND_DURATIONS.items()]
    )

    def clean_duration(self) -> timedelta:
        return SUSPEND_DURATIONS[self.cleaned_data["duration"]][1]


class WatchedWordForm(forms.Form):
    word = forms.CharField(label="Word or phrase", max_length=100)
    mode = forms.ChoiceField(label="When it appears", choices=WatchedWord.Mode.choices)


class CrisisPhraseForm(forms.Form):
    phrase = forms.CharField(label="Phrase", max_length=100)


class LogFilterForm(forms.Form):
    moderator = forms.CharField(label="Moderator", required=False, max_length=150)
    member = forms.CharField(label="Member", required=False, max_length=150)
    action = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[("", "Any action")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from forum.models import AuditLogEntry

        self.fields["action"].choices = [("", "Any action"), *AuditLogEntry.Action.choices]


class SlowModeForm(ReasonForm):
    seconds = forms.IntegerField(label="Seconds between messages (0 turns it off)", min_value=0)


class RoomMuteForm(ReasonForm):
    pseudonym = forms.CharField(label="Member's pseudonym", max_length=150)
    duration = forms.ChoiceField(
        label="For", choices=[(k, label) for k, (label, _) in MUTE_DURATIONS.items()]
    )

    def clean_duration(self) -> timedelta:
        return MUTE_DURATIONS[self.cleaned_data["duration"]][1]


class HideMessageForm(ReasonForm):
    message_id = forms.IntegerField(label="Message number", min_value=1)
