"""Small helpers for board templates."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from django import template
from django.urls import reverse
from django.utils.html import format_html

from forum.fragments import render_blocks

register = template.Library()

ANONYMOUS_LABEL = "Anonymous member"
FORMER_MEMBER_LABEL = "former member"


def author_html(item, viewer, profile_urls: Mapping[str, str] | None = None) -> str:
    """Who wrote a topic or post, as the viewer may know it (escaped HTML).

    ``profile_urls`` maps pseudonyms to profile addresses for pages that list many rows.
    """
    named = not item.is_anonymous and item.author_id is not None
    return author_label_html(
        author_id=item.author_id,
        username=item.author.username if named else "",
        is_anonymous=item.is_anonymous,
        viewer=viewer,
        profile_urls=profile_urls,
    )


def author_label_html(
    *,
    author_id: int | None,
    username: str,
    is_anonymous: bool,
    viewer,
    profile_urls: Mapping[str, str] | None = None,
) -> str:
    """``author_html`` from plain values (a row read with ``values()``)."""
    is_self = bool(viewer and viewer.is_authenticated and author_id == viewer.pk)
    if is_anonymous:
        if is_self:
            return format_html('<span class="author anonymous">{} (you)</span>', ANONYMOUS_LABEL)
        return format_html('<span class="author anonymous">{}</span>', ANONYMOUS_LABEL)
    if author_id is None:
        return format_html('<span class="author former">{}</span>', FORMER_MEMBER_LABEL)
    if profile_urls is None:
        url = reverse("accounts:profile", kwargs={"pseudonym": username})
    else:
        url = profile_urls[username]
    return _profile_link(url, username)


@lru_cache(maxsize=4096)
def _profile_link(url: str, username: str) -> str:
    """A named author's link, escaped once per process (it depends on nothing else)."""
    return format_html('<a class="author" href="{}">{}</a>', url, username)


@register.simple_tag(takes_context=True)
def author_name(context, item) -> str:
    """``{% author_name post %}``: ``author_html`` for the requesting member."""
    request = context.get("request")
    return author_html(item, getattr(request, "user", None))


@register.inclusion_tag("forum/_kind_badge.html")
def kind_badge(kind: str) -> dict:
    from forum.models import TopicKind

    return {"kind": kind, "label": TopicKind(kind).label, "is_share": kind == TopicKind.MESSAGE}


@register.simple_tag
def topic_row_blocks(rows: list[dict], *, show_board: bool) -> list[str]:
    """``forum/_topic_row.html`` for each row of ``present_topics``, one cache read for all."""
    return render_blocks(
        "forum/_topic_row.html", rows, name="topic", shared={"show_board": bool(show_board)}
    )
