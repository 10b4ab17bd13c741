"""Forms for meetings: start now, schedule, a co-host, and a group's own format texts.

The rules (who may chair or co-host, how texts are cleaned) live in forum/permissions/meetings.py
and forum/actions/meetings.py; these forms only parse and show the refusals next to the field.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from django import forms
from django.utils import timezone

from accounts.models import User
from forum.models.meetings import DEFAULT_TEXTS, TEXT_MAX_LENGTH
from forum.permissions.meetings import COHOST_RULE, cohost_refusal

COHOST_LIST_ID = "meeting-cohost-candidates"


class CohostForm(forms.Form):
    """An optional co-host, named by pseudonym; ``chair`` is who submits the form."""

    cohost = forms.CharField(
        label="Co-host (optional)",
        required=False,
        max_length=150,
        help_text=f"Their pseudonym. {COHOST_RULE} The co-host takes over if you drop out.",
        widget=forms.TextInput(attrs={"list": COHOST_LIST_ID, "autocomplete": "off"}),
    )

    def __init__(self, *args, chair=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.chair = chair

    def clean_cohost(self) -> User | None:
        name = self.cleaned_data.get("cohost", "").strip()
        if not name:
            return None
        cohost = User.objects.filter(username__iexact=name, is_active=True).first()
        if cohost is None:
            raise forms.ValidationError(f"No member is called \u201c{name}\u201d.")
        refusal = cohost_refusal(cohost, self.chair) if self.chair is not None else None
        if refusal:
            raise forms.ValidationError(refusal)
        return cohost


class StartForm(CohostForm):
    topic = forms.CharField(label="Topic (optional)", max_length=200, required=False)

    field_order = ["topic", "cohost"]


class ScheduleForm(CohostForm):
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

    field_order = ["title", "topic", "starts_at", "tz_offset", "repeats_weekly", "cohost"]

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


FORMAT_LABELS = {
    "welcome": "Opening: the welcome",
    "purpose": "Opening: what the meeting is for",
    "anonymity": "The anonymity reminder (read at the opening and the close)",
    "reading": "The reading",
    "topic_intro": "Introducing the topic",
    "newcomer": "The welcome for newcomers",
    "closing": "Closing",
}


class FormatForm(forms.Form):
    """A group's own words for each part of its format; an empty text means ours."""

    open_chat_between_shares = forms.BooleanField(
        required=False, label="Open a short chat between shares"
    )
    share_seconds = forms.IntegerField(
        label="Minutes for each share",
        min_value=1,
        max_value=10,
        help_text="The chair can add a minute during a share.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        texts = {
            name: forms.CharField(
                label=FORMAT_LABELS[name],
                required=False,
                max_length=TEXT_MAX_LENGTH,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=f"Up to {TEXT_MAX_LENGTH:,} characters, plain text. Leave it empty "
                "for our words.",
            )
            for name in DEFAULT_TEXTS
        }
        self.fields = {**texts, **self.fields}

    @classmethod
    def for_format(cls, fmt, data=None) -> FormatForm:
        initial = {name: getattr(fmt, name) for name in DEFAULT_TEXTS}
        initial |= {
            "open_chat_between_shares": fmt.open_chat_between_shares,
            "share_seconds": max(1, fmt.share_seconds // 60),
        }
        return cls(data, initial=initial)

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in DEFAULT_TEXTS}

    def options(self) -> dict:
        return {
            "open_chat_between_shares": self.cleaned_data["open_chat_between_shares"],
            "share_seconds": self.cleaned_data["share_seconds"] * 60,
        }
