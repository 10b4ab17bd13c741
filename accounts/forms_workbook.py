"""Forms built from the workbook's worksheets (accounts/workbook.py): the page and its rules agree."""

from __future__ import annotations

from django import forms

from accounts.workbook import WORKSHEETS, Worksheet


def worksheet_form(kind: str, *, data=None, initial: dict | None = None) -> forms.Form:
    """Fields are prefixed with the kind, so several worksheets can share one page."""
    worksheet: Worksheet = WORKSHEETS[kind]
    fields: dict[str, forms.Field] = {}
    for f in worksheet.fields:
        if f.is_choice:
            fields[f.name] = forms.ChoiceField(
                label=f.label,
                choices=[("", "—"), *f.choices],
                required=False,
                help_text=f.help,
            )
        else:
            fields[f.name] = forms.CharField(
                label=f.label,
                required=False,
                strip=False,
                max_length=f.max_length,
                help_text=f.help,
                widget=forms.Textarea(attrs={"rows": f.rows}),
            )
    form_class = type(f"{kind.title()}Form", (forms.Form,), fields)
    return form_class(data=data, initial=initial, prefix=kind)


def content_from(kind: str, data) -> dict[str, str]:
    """The worksheet's fields from POST data (the action cleans and validates them)."""
    return {f.name: data.get(f"{kind}-{f.name}", "") for f in WORKSHEETS[kind].fields}


class ReflectionForm(forms.Form):
    reflection = forms.CharField(
        label="What this step gave me",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="A few words of your own. They stay in your workbook.",
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Your note",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only your mentee reads it.",
    )


class CleanDateForm(forms.Form):
    clean_date = forms.DateField(
        label="My clean date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Private: only you see it here.",
    )
