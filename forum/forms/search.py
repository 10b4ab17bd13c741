"""The search form: a query and optional filters, all from the query string."""

from __future__ import annotations

from django import forms

from accounts.pseudonyms import MAX_LENGTH as PSEUDONYM_MAX_LENGTH
from forum.models import Board, TopicKind
from forum.permissions.posts import filter_visible_boards
from forum.selectors.search import SearchFilters, clean_query


class QueryField(forms.CharField):
    """Any text is a query: control characters go and it is cut to length, never refused."""

    def to_python(self, value) -> str:
        return clean_query(super().to_python(value))


class SearchForm(forms.Form):
    q = QueryField(label="Search topics and posts", required=False)
    board = forms.ModelChoiceField(
        label="Board or step",
        queryset=Board.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="Every board",
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Both kinds"), *TopicKind.choices]
    )
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    author = forms.CharField(
        label="Author's pseudonym", required=False, max_length=PSEUDONYM_MAX_LENGTH
    )

    def __init__(self, *args, viewer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = filter_visible_boards(
            Board.objects.order_by("step_id", "position", "name"), viewer
        )

    def clean_author(self) -> str:
        return (self.cleaned_data["author"] or "").strip().lstrip("@")

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date comes before the start date.")
        return data

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            board=data.get("board"),
            kind=data.get("kind") or "",
            since=data.get("since"),
            until=data.get("until"),
            author=data.get("author") or "",
        )

    @property
    def has_filters(self) -> bool:
        return self.is_bound and any(
            self.data.get(name) for name in ("board", "kind", "since", "until", "author")
        )
