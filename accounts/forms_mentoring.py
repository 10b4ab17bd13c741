"""Forms for mentoring; the rules themselves live in accounts/actions/mentoring.py."""

from __future__ import annotations

from django import forms

from accounts.models.mentoring import (
    DEFAULT_CAPACITY,
    INTRO_MAX_LENGTH,
    MAX_CAPACITY,
    NOTE_MAX_LENGTH,
    REQUEST_MESSAGE_MAX_LENGTH,
)

STEP_CHOICES = [(n, f"Step {n}") for n in range(1, 13)]


class MentorProfileForm(forms.Form):
    intro = forms.CharField(
        label="A short introduction",
        max_length=INTRO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who you are in recovery and how you like to mentor. No contact details.",
    )
    focus_steps = forms.TypedMultipleChoiceField(
        label="Steps you like to help with",
        choices=STEP_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty for any step.",
    )
    capacity = forms.IntegerField(
        label="Most mentees at once",
        min_value=1,
        max_value=MAX_CAPACITY,
        initial=DEFAULT_CAPACITY,
    )
    is_paused = forms.BooleanField(label="Pause: take no new requests for now", required=False)


class MentorRequestForm(forms.Form):
    message = forms.CharField(
        label="Your message",
        max_length=REQUEST_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A few words about where you are and what you hope for. No contact details.",
    )


class AnswerForm(forms.Form):
    note = forms.CharField(
        label="A kind note (optional)",
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
