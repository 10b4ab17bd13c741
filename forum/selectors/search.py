"""Search over titles and posts the viewer may see.

PostgreSQL: full-text search on the GIN-indexed ``Post.search_vector`` (the opening post's vector
carries its topic title, weighted higher), ranked among the most recent matches, with
highlighted snippets. SQLite: a simple
case-insensitive match. The visibility rule is the one in forum/permissions/posts.py.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import nh3
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet, Subquery
from django.utils.safestring import SafeString, mark_safe

from forum.actions.posts import SEARCH_CONFIG
from forum.models import Post
from forum.permissions.posts import filter_visible_posts

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 50
RANKED_CANDIDATES = 2000
SNIPPET_CHARS = 200
# Private-use characters mark the highlights in the database's output, so that the whole
# snippet can be escaped first and only our own <mark> tags are added afterwards.
_START, _STOP = "\ue000", "\ue001"


@dataclass(frozen=True)
class SearchResult:
    post: Post
    snippet_html: SafeString


def clean_query(raw: str | None) -> str:
    return " ".join((raw or "").replace("\x00", "").split())[:MAX_QUERY_LENGTH]


def highlight_markers_to_html(text: str) -> SafeString:
    """Escape everything, then turn our markers into <mark>; nh3 balances any stray marker."""
    escaped = html.escape(text.replace("\x00", ""), quote=True)
    marked = escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(nh3.clean(marked, tags={"mark"}, attributes={}))  # noqa: S308


def _base(viewer) -> QuerySet[Post]:
    return filter_visible_posts(Post.objects.all(), viewer).select_related(
        "topic", "topic__board", "author"
    )


def _postgres(query: str, viewer) -> list[SearchResult]:
    search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    # Rank only the most recent matches, so that a common word costs the same on a million
    # posts as on a thousand (ranking reads every matching vector).
    recent_matches = (
        filter_visible_posts(Post.objects.all(), viewer)
        .filter(search_vector=search_query)
        .order_by("-id")
        .values("id")[:RANKED_CANDIDATES]
    )
    posts = (
        _base(viewer)
        .filter(id__in=Subquery(recent_matches))
        .annotate(
            rank=SearchRank(F("search_vector"), search_query),
            headline=SearchHeadline(
                "body",
                search_query,
                config=SEARCH_CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-created_at", "-id")[:MAX_RESULTS]
    )
    return [SearchResult(post=p, snippet_html=highlight_markers_to_html(p.headline)) for p in posts]


def _snippet(body: str, query: str) -> str:
    """Text around the first match, with our markers round every match."""
    terms = [t for t in query.split() if t]
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None
    match = pattern.search(body) if pattern else None
    start = max((match.start() if match else 0) - SNIPPET_CHARS // 3, 0)
    window = body[start : start + SNIPPET_CHARS]
    window = window.replace(_START, "").replace(_STOP, "")
    if pattern:
        window = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", window)
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_CHARS < len(body) else ""
    return f"{prefix}{window}{suffix}"


def _fallback(query: str, viewer) -> list[SearchResult]:
    matches = Q(body__icontains=query) | Q(number=1, topic__title__icontains=query)
    posts = _base(viewer).filter(matches).order_by("-created_at", "-id")[:MAX_RESULTS]
    return [
        SearchResult(post=p, snippet_html=highlight_markers_to_html(_snippet(p.body, query)))
        for p in posts
    ]


def search_posts(raw_query: str | None, viewer) -> list[SearchResult]:
    query = clean_query(raw_query)
    if not query:
        return []
    if connection.vendor == "postgresql":
        return _postgres(query, viewer)
    return _fallback(query, viewer)
