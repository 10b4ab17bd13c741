"""Search over titles and posts the viewer may see.

PostgreSQL: full-text search on ``Post.search_vector`` (the opening post's vector carries its
topic title, weighted higher; GIN-indexed together with each post's block of ids, so the newest
matches are found without reading older ones), ranked among the most recent matches, with
highlighted snippets; topic titles also have their own vector (``Topic.search_vector``), so a
topic stays findable by its title when its opening post is removed. SQLite: a simple
case-insensitive match. The visibility rule is the one in forum/permissions/posts.py.

Filters (board, kind, date range, author) narrow both; results come in pages, bounded by the
ranked candidates (a search never reads past them, however deep the page asked for).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import nh3
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryCombinable,
    SearchQueryField,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import F, Func, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from forum.actions.posts import SEARCH_CONFIG
from forum.models import Board, Post, Topic
from forum.permissions.posts import filter_visible_posts, filter_visible_topics
from forum.selectors.paging import KeysetPage

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 20
RANKED_CANDIDATES = 500
MAX_PAGES = RANKED_CANDIDATES // PAGE_SIZE
TITLE_MATCHES = 5
# Search reads the newest matches from the newest blocks of 2**BLOCK_BITS post ids first (the
# search index holds each post's block, migration 0018).
BLOCK_BITS = 10
NEWEST_BLOCKS = 4
SNIPPET_CHARS = 200
# Private-use characters mark the highlights in the database's output, so that the whole
# snippet can be escaped first and only our own <mark> tags are added afterwards.
_START, _STOP = "\ue000", "\ue001"


@dataclass(frozen=True)
class SearchResult:
    post: Post
    snippet_html: SafeString


@dataclass(frozen=True)
class SearchFilters:
    """Validated by forum/forms/search.py; every field optional."""

    board: Board | None = None
    kind: str = ""
    since: date | None = None
    until: date | None = None
    author: str = ""


@dataclass
class SearchPage(KeysetPage):
    """``object_list``: SearchResults; ``topics``: title matches (first page only)."""

    topics: list[Topic] = field(default_factory=list)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _narrow(queryset: QuerySet, filters: SearchFilters, viewer, *, topic: str) -> QuerySet:
    """Apply the filters to posts (``topic="topic__"``) or topics (``topic=""``).

    The author filter never reveals who wrote an anonymous post or topic: those match only
    for their own author.
    """
    if filters.board is not None:
        queryset = queryset.filter(**{f"{topic}board": filters.board})
    if filters.kind:
        queryset = queryset.filter(**{f"{topic}kind": filters.kind})
    if filters.since:
        queryset = queryset.filter(created_at__gte=_day_start(filters.since))
    if filters.until:
        queryset = queryset.filter(created_at__lt=_day_start(filters.until + timedelta(days=1)))
    if filters.author:
        own = Q(author_id=viewer.pk) if viewer.is_authenticated else Q(pk__in=[])
        queryset = queryset.filter(author__username__iexact=filters.author).filter(
            Q(is_anonymous=False) | own
        )
    return queryset


def clean_query(raw: str | None) -> str:
    return " ".join((raw or "").replace("\x00", "").split())[:MAX_QUERY_LENGTH]


def highlight_markers_to_html(text: str) -> SafeString:
    """Escape everything, then turn our markers into <mark>; nh3 balances any stray marker."""
    escaped = html.escape(text.replace("\x00", ""), quote=True)
    marked = escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(nh3.clean(marked, tags={"mark"}, attributes={}))  # noqa: S308


_RELATED = ("topic", "topic__board", "author")


def _base(viewer) -> QuerySet[Post]:
    return filter_visible_posts(Post.objects.all(), viewer).select_related(*_RELATED)


def _search_query(query: str) -> SearchQuery:
    return SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")


def _ranked_page_ids(
    search_query: SearchQuery, candidates: QuerySet[Post], offset: int, count: int
) -> RawSQL:
    """The ids of one page of the candidates by rank, ranked from the candidates' own rows.

    Only the page's rows are then joined to their topic, board and author and get a headline;
    the candidates themselves are never joined nor read twice.
    """
    candidates_sql, candidates_params = candidates.query.sql_with_params()
    compiler = candidates.query.get_compiler(connection=connection)
    query_sql, query_params = search_query.resolve_expression(candidates.query).as_sql(
        compiler, connection
    )
    return RawSQL(  # noqa: S611 (every part compiled by the ORM, every value a parameter)
        f"SELECT c.id FROM ({candidates_sql}) c "  # noqa: S608 (compiled by the ORM)
        f"ORDER BY ts_rank(c.search_vector, {query_sql}) DESC, c.created_at DESC, c.id DESC "
        "OFFSET %s LIMIT %s",
        (*candidates_params, *query_params, offset, count),
    )


class _BlockedVector(Func):
    """A post's search vector plus one lexeme naming its block of ids (``~`` and the number,
    a word the parser never makes): what the search index holds (``forum_post_search_recent``,
    migration 0018)."""

    output_field = SearchVectorField()

    def __init__(self) -> None:
        super().__init__(F("search_vector"), F("id"))

    def as_sql(self, compiler, connection, **extra_context):
        (vector, vector_params), (id_, id_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        sql = f"({vector} || array_to_tsvector(ARRAY['~' || ({id_} >> {BLOCK_BITS})::text]))"
        return sql, [*vector_params, *id_params]


_NEWEST_BLOCK = f"(SELECT max(id) >> {BLOCK_BITS} FROM {Post._meta.db_table})"  # noqa: S608
_NEWEST_BLOCKS_QUERY = (
    "(SELECT array_to_string(ARRAY(SELECT '''~' || b || '''' FROM generate_series("  # noqa: S608
    f"{_NEWEST_BLOCK} - {NEWEST_BLOCKS - 1:d}, {_NEWEST_BLOCK}) b), ' | ')::tsquery)"
)


class _NewestBlocks(SearchQueryCombinable, Func):
    """A query for any of the ``NEWEST_BLOCKS`` newest blocks of post ids, read from the primary
    key as the search runs (an InitPlan), so the search stays one query."""

    output_field = SearchQueryField()

    def as_sql(self, compiler, connection, **extra_context):
        return _NEWEST_BLOCKS_QUERY, []


def _recent_matches(search_query: SearchQuery, viewer, filters: SearchFilters) -> QuerySet:
    """The ids, vectors and dates of the newest ``RANKED_CANDIDATES`` visible matches, newest
    first, in one query of two parts; PostgreSQL runs the second only while the first found too
    few (a part's LIMIT keeps it out of parallel plans, so the parts come in order).

    The first part finds the matches in the newest blocks of ids through the index alone (the
    blocks' lexemes narrow the word's posting list), sorted on ``id + 0`` so that it is not
    planned as a walk through the newest posts (the blocks are not known when it is planned).
    The second, for the older posts, is planned by how common the word is: a common word's few
    missing matches are read newest first, a rare word's through the index. The row's own
    vector is matched too: a query of stop words alone matches nothing, as before.
    """
    visible = _narrow(
        filter_visible_posts(Post.objects.all(), viewer), filters, viewer, topic="topic__"
    ).alias(blocked=_BlockedVector())
    newest = (
        visible.filter(blocked=search_query & _NewestBlocks(), search_vector=search_query)
        .order_by((F("id") + 0).desc())
        .values("id", "search_vector", "created_at")[:RANKED_CANDIDATES]
    )
    older = (
        visible.filter(
            blocked=search_query,
            id__lt=RawSQL(f"({_NEWEST_BLOCK} - {NEWEST_BLOCKS - 1:d}) << {BLOCK_BITS}", ()),  # noqa: S611
        )
        .order_by("-id")
        .values("id", "search_vector", "created_at")[:RANKED_CANDIDATES]
    )
    return newest.union(older, all=True)[:RANKED_CANDIDATES]


def _postgres(
    query: str, viewer, filters: SearchFilters, offset: int, count: int
) -> list[SearchResult]:
    search_query = _search_query(query)
    # Rank only the most recent matches, so that a common word costs the same on a million
    # posts as on a thousand.
    recent_matches = _recent_matches(search_query, viewer, filters)
    # The page's ids come from visible candidates only, so its rows are read by id alone.
    posts = (
        Post.objects.select_related(*_RELATED)
        .filter(id__in=_ranked_page_ids(search_query, recent_matches, offset, count))
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
        .order_by("-rank", "-created_at", "-id")
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


def _fallback(
    query: str, viewer, filters: SearchFilters, offset: int, count: int
) -> list[SearchResult]:
    matches = Q(body__icontains=query) | Q(number=1, topic__title__icontains=query)
    posts = _narrow(_base(viewer).filter(matches), filters, viewer, topic="topic__").order_by(
        "-created_at", "-id"
    )[offset : offset + count]
    return [
        SearchResult(post=p, snippet_html=highlight_markers_to_html(_snippet(p.body, query)))
        for p in posts
    ]


def matching_titles(query: str, viewer, filters: SearchFilters) -> list[Topic]:
    """Topics whose title matches, from the title's own index: found even when the opening
    post is removed or hidden (the title itself is still shown on the topic page)."""
    if connection.vendor == "postgresql":
        matches = Q(search_vector=_search_query(query))
    else:
        matches = Q(title__icontains=query)
    topics = filter_visible_topics(Topic.objects.filter(matches), viewer)
    return list(
        _narrow(topics, filters, viewer, topic="")
        .select_related("board")
        .only("title", "kind", "board__name", "board__slug", "board__step_id", "last_activity_at")
        .order_by("-last_activity_at", "-id")[:TITLE_MATCHES]
    )


def search(
    raw_query: str | None, viewer, *, filters: SearchFilters | None = None, page: int = 1
) -> SearchPage:
    """One page of post results (one row more is read to know a next page exists); the first
    page also lists topics whose title matches."""
    query = clean_query(raw_query)
    filters = filters or SearchFilters()
    if page > MAX_PAGES:
        raise Http404("No such page.")
    if not query:
        return SearchPage(object_list=[], number=page, has_next=False)
    offset = (page - 1) * PAGE_SIZE
    run = _postgres if connection.vendor == "postgresql" else _fallback
    rows = run(query, viewer, filters, offset, PAGE_SIZE + 1)
    return SearchPage(
        object_list=rows[:PAGE_SIZE],
        number=page,
        has_next=len(rows) > PAGE_SIZE and page < MAX_PAGES,
        topics=matching_titles(query, viewer, filters) if page == 1 else [],
    )
