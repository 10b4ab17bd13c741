"""Read side of boards: which boards exist and the topics they list."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from django.db import DEFAULT_DB_ALIAS
from django.db.models import IntegerField, Model, OuterRef, QuerySet, Subquery, Value
from django.http import Http404
from django.shortcuts import get_object_or_404

from forum.models import Board, Step, Topic, TopicKind, TopicRead
from forum.permissions.posts import filter_visible_boards, filter_visible_topics
from forum.selectors.paging import KeysetPage, ListReads, QuerySetReads, keyset_page
from forum.selectors.prepared import PreparedQuery


def general_boards(viewer) -> QuerySet[Board]:
    return filter_visible_boards(Board.objects.filter(step__isnull=True), viewer)


def all_general_boards() -> QuerySet[Board]:
    """Every general board, members-only ones included (they are listed, marked, to visitors)."""
    return Board.objects.filter(step__isnull=True)


def get_general_board(slug: str) -> Board:
    return get_object_or_404(Board.objects.select_related("step"), slug=slug)


_BOARD_COLUMNS = tuple(field.attname for field in Board._meta.concrete_fields)
_STEP_COLUMNS = tuple(field.attname for field in Step._meta.concrete_fields)
_STEP_BOARDS = PreparedQuery(
    lambda shape, *, step: Board.objects.filter(step_id=step).values(
        *_BOARD_COLUMNS, *(f"step__{name}" for name in _STEP_COLUMNS)
    )
)


def get_step_board(step_number: int) -> Board:
    """The step's board with its step (the step page, home), read with SQL compiled once."""
    rows = _STEP_BOARDS.rows((), step=int(step_number))
    if not rows:
        raise Http404("No Board matches the given query.")
    (row,) = rows
    board = Board.from_db(DEFAULT_DB_ALIAS, _BOARD_COLUMNS, [row[n] for n in _BOARD_COLUMNS])
    board.step = Step.from_db(
        DEFAULT_DB_ALIAS, _STEP_COLUMNS, [row[f"step__{n}"] for n in _STEP_COLUMNS]
    )
    return board


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
# The same, read as plain values (forum/presenters.py present_topic_rows): with the ids.
TOPIC_ROW_VALUES = ("id", "author_id", "board_id", *TOPIC_ROW_FIELDS)


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


def _list_viewer(member_id: int | None):
    """The viewer the visibility rule and the read marker are asked about, from the slot that
    carries the member's id (None: a visitor)."""
    if member_id is None:
        return AnonymousUser()
    return SimpleNamespace(pk=member_id, is_authenticated=True)


class TopicList:
    """A topic list (its topics before the visibility rule, and its order: descending keys, the
    id last) whose pages are read as row dicts with SQL compiled once per process for each kind
    of read (forum/selectors/prepared.py); ``hide`` drops more for a viewer (their mutes)."""

    def __init__(
        self,
        *,
        topics: Callable[..., QuerySet[Topic]],
        order: tuple[str, ...],
        hide: Callable[[QuerySet[Topic], object], QuerySet[Topic]] | None = None,
    ) -> None:
        self.topics = topics
        self.order = order
        self.hide = hide
        self.fields = tuple(name[1:] for name in order)
        self.columns = tuple(
            name for name in TOPIC_ROW_VALUES if name != "created_at" or name in self.fields
        )
        self.prepared = PreparedQuery(self._read)

    def visible(self, viewer, **slots) -> QuerySet[Topic]:
        topics = filter_visible_topics(self.topics(**slots), viewer)
        return self.hide(topics, viewer) if self.hide else topics

    def queryset(self, viewer, **slots) -> QuerySet[Topic]:
        """The list as model instances (a few rows on home, tests)."""
        return listing(self.visible(viewer, **slots), viewer).order_by(*self.order)

    def reads(self, viewer, **slots) -> PreparedListReads:
        return PreparedListReads(self, viewer, slots)

    def _read(self, shape: tuple, *, member: int | None = None, start: int = 0, **slots):
        _, read, count = shape
        viewer = _list_viewer(member)
        cursor = tuple(slots.pop(f"key{n}") for n in range(len(self.fields)) if f"key{n}" in slots)
        visible = self.visible(viewer, **slots)
        if read == "key":
            # The narrow read of key_before(): the order's columns, the visibility rule, no join.
            return visible.order_by(*self.order).values_list(*self.fields)[start : start + 1]
        rows = with_read_marker(visible.values(*self.columns), viewer).order_by(*self.order)
        return QuerySetReads(rows).rows(read, cursor or None, count)


class PreparedListReads:
    """``ListReads`` of a ``TopicList`` for one viewer (forum/selectors/paging.py)."""

    model: type[Model] = Topic

    def __init__(self, topic_list: TopicList, viewer, slots: dict) -> None:
        self.topic_list = topic_list
        self.member_id = viewer.pk if viewer.is_authenticated else None
        self.slots = {**slots, **({"member": self.member_id} if self.member_id else {})}
        self.fields = topic_list.fields

    def _rows(self, read: str, key: tuple | None, count: int, **extra) -> list[dict]:
        shape = (self.member_id is not None, read, count)
        keys = {f"key{n}": value for n, value in enumerate(key or ())}
        return self.topic_list.prepared.rows(shape, **self.slots, **keys, **extra)

    def first(self, count: int) -> list[dict]:
        return self._rows("first", None, count)

    def after(self, key: tuple, count: int) -> list[dict]:
        return self._rows("after", key, count)

    def before(self, key: tuple, count: int) -> list[dict]:
        return self._rows("before", key, count)

    def key_before(self, offset: int) -> tuple | None:
        # Before the second row there is no OFFSET to bind: that is the first row's key.
        rows = self.first(1) if offset < 2 else self._rows("key", None, 1, start=offset - 1)
        return tuple(rows[0][name] for name in self.fields) if rows else None


BOARD_LIST = TopicList(
    topics=lambda *, board, kind: Topic.objects.filter(board_id=board, kind=kind),
    order=("-is_pinned", "-last_activity_at", "-id"),
)
SHARE_LIST = TopicList(
    topics=lambda: Topic.objects.filter(kind=TopicKind.MESSAGE), order=("-created_at", "-id")
)


def board_topics(board: Board, *, kind: str, viewer) -> QuerySet[Topic]:
    """One kind only: the two kinds of service are never interleaved in one list."""
    return BOARD_LIST.queryset(viewer, board=board.pk, kind=str(kind))


def shares_from_every_board(viewer) -> QuerySet[Topic]:
    """Carrying-the-message shares of all boards, newest first (gathered on /steps/12/)."""
    return SHARE_LIST.queryset(viewer)


def board_topic_reads(board: Board, *, kind: str, viewer) -> PreparedListReads:
    """``board_topics`` as row dicts (the board and step pages)."""
    return BOARD_LIST.reads(viewer, board=board.pk, kind=str(kind))


def share_reads(viewer) -> PreparedListReads:
    """``shares_from_every_board`` as row dicts (the Step 12 shares tab)."""
    return SHARE_LIST.reads(viewer)


def topic_page_of(
    queryset: QuerySet[Topic] | ListReads,
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
