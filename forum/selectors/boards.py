"""Read side of boards: which boards exist and the topics they list."""

from __future__ import annotations

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Value
from django.http import Http404
from django.shortcuts import get_object_or_404

from forum.models import Board, Topic, TopicKind, TopicRead
from forum.permissions.posts import filter_visible_boards, filter_visible_topics
from forum.selectors.paging import KeysetPage, keyset_page


def general_boards(viewer) -> QuerySet[Board]:
    return filter_visible_boards(Board.objects.filter(step__isnull=True), viewer)


def all_general_boards() -> QuerySet[Board]:
    """Every general board, members-only ones included (they are listed, marked, to visitors)."""
    return Board.objects.filter(step__isnull=True)


def get_general_board(slug: str) -> Board:
    return get_object_or_404(Board.objects.select_related("step"), slug=slug)


def get_step_board(step_number: int) -> Board:
    return get_object_or_404(Board.objects.select_related("step"), step_id=step_number)


# What a board's topic row shows (forum/presenters.py present_topics), and every list's order
# (the keys its pages are read from); no post is read.
TOPIC_ROW_FIELDS = (
    "created_at",
    "board__name",
    "board__slug",
    "board__step_id",
    "kind",
    "title",
    "author__username",
    "is_anonymous",
    "content_note",
    "is_locked",
    "is_pinned",
    "reply_count",
    "last_activity_at",
)


def with_read_marker(queryset: QuerySet[Topic], viewer) -> QuerySet[Topic]:
    """Annotate ``last_read_number`` (None if never opened) in the same query."""
    if not viewer.is_authenticated:
        return queryset.annotate(last_read_number=Value(None, output_field=IntegerField()))
    marker = TopicRead.objects.filter(member_id=viewer.pk, topic=OuterRef("pk")).values(
        "last_read_number"
    )[:1]
    return queryset.annotate(last_read_number=Subquery(marker, output_field=IntegerField()))


def listing(queryset: QuerySet[Topic], viewer) -> QuerySet[Topic]:
    """What a topic row shows: the topic, its board and its author's pseudonym, nothing more."""
    return with_read_marker(
        filter_visible_topics(queryset, viewer)
        .select_related("author", "board")
        .only(*TOPIC_ROW_FIELDS),
        viewer,
    )


def board_topics(board: Board, *, kind: str, viewer) -> QuerySet[Topic]:
    """One kind only: the two kinds of service are never interleaved in one list."""
    return listing(Topic.objects.filter(board=board, kind=kind), viewer).order_by(
        "-is_pinned", "-last_activity_at", "-id"
    )


def shares_from_every_board(viewer) -> QuerySet[Topic]:
    """Carrying-the-message shares of all boards, newest first (gathered on /steps/12/)."""
    return listing(Topic.objects.filter(kind=TopicKind.MESSAGE), viewer).order_by(
        "-created_at", "-id"
    )


def topic_page_of(
    queryset: QuerySet[Topic],
    number: int,
    per_page: int,
    *,
    after: str | None = None,
    before: str | None = None,
) -> KeysetPage:
    """One page of a topic list, read from a cursor (forum/selectors/paging.py), never OFFSET."""
    page = keyset_page(queryset, per_page=per_page, number=number, after=after, before=before)
    if page is None:
        raise Http404("No such page.")
    return page
