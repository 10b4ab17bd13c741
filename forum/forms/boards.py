"""Composer forms. Length rules live in the actions; forms give the same limits to the browser."""

from __future__ import annotations

from django import forms

from forum.models.boards import CONTENT_NOTE_MAX_LENGTH, TITLE_MAX_LENGTH, TITLE_MIN_LENGTH
from forum.models.posts import BODY_MAX_LENGTH

CONTENT_NOTE_HELP = (
    'Optional. A few words such as "relapse", "self-harm" or "grief": your text stays folded '
    "behind this note until a reader chooses to open it."
)
ANONYMOUS_HELP = (
    'Other members see "Anonymous member" instead of your pseudonym. Moderators can still '
    "act on what is posted."
)


class PostForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        strip=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown works: *emphasis*, **strong**, > quotes, lists and links.",
    )
    content_note = forms.CharField(
        label="Content note",
        required=False,
        max_length=CONTENT_NOTE_MAX_LENGTH,
        help_text=CONTENT_NOTE_HELP,
    )
    is_anonymous = forms.BooleanField(
        label='Post as "Anonymous member"', required=False, help_text=ANONYMOUS_HELP
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError("Please write something before posting.")
        return body


class TopicForm(PostForm):
    title = forms.CharField(label="Title", min_length=TITLE_MIN_LENGTH, max_length=TITLE_MAX_LENGTH)

    field_order = ["title", "body", "content_note", "is_anonymous"]

    def __init__(self, *args, share: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = "Your share" if share else "What would you like to say?"
        if share:
            self.fields["body"].help_text = (
                "Speak from your own experience of working the steps: what it was like, what "
                'you did, what happened. "I" rather than "you". Markdown works.'
            )
            self.fields["body"].widget.attrs["placeholder"] = (
                "When I was working Step 4, I ... What helped me was ..."
            )


class EditPostForm(forms.Form):
    title = forms.CharField(label="Title", min_length=TITLE_MIN_LENGTH, max_length=TITLE_MAX_LENGTH)
    body = forms.CharField(
        label="Text", strip=False, max_length=BODY_MAX_LENGTH, widget=forms.Textarea
    )
    content_note = forms.CharField(
        label="Content note",
        required=False,
        max_length=CONTENT_NOTE_MAX_LENGTH,
        help_text=CONTENT_NOTE_HELP,
    )

    def __init__(self, *args, with_title: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError("Please write something before posting.")
        return body


def prepare_composer(form: PostForm, *, draft_key: str) -> PostForm:
    """Hooks for static/js/composer.js: the draft saved as the member types, @mention lists."""
    from django.urls import reverse

    body = form.fields["body"].widget
    body.attrs.update(
        {
            "data-draft-key": draft_key,
            "data-draft-url": reverse("forum:draft"),
            "data-mention-url": reverse("forum:mentions"),
            "aria-autocomplete": "list",
        }
    )
    if "title" in form.fields:
        form.fields["title"].widget.attrs["data-draft-title"] = "1"
    return form
