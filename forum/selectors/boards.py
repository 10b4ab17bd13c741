"""Read side of boards: which boards exist and the topics they list."""

from __future__ import annotations

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


# Each list's order, the keys its pages are read from.
LIST_ORDERS = {
    "board": ("-is_pinned", "-last_activity_at", "-id"),
    "shares": ("-created_at", "-id"),
}


def board_topics(board: Board, *, kind: str, viewer) -> QuerySet[Topic]:
    """One kind only: the two kinds of service are never interleaved in one list."""
    return listing(Topic.objects.filter(board=board, kind=kind), viewer).order_by(
        *LIST_ORDERS["board"]
    )


def shares_from_every_board(viewer) -> QuerySet[Topic]:
    """Carrying-the-message shares of all boards, newest first (gathered on /steps/12/)."""
    return listing(Topic.objects.filter(kind=TopicKind.MESSAGE), viewer).order_by(
        *LIST_ORDERS["shares"]
    )


# What a topic row is presented from as plain values (forum/presenters.py present_topic_rows),
# read without model instances: the same columns as TOPIC_ROW_FIELDS, with the ids.
TOPIC_ROW_VALUES = (
    "created_at",  # first: only the shares' order reads it
    "id",
    "kind",
    "title",
    "author_id",
    "author__username",
    "is_anonymous",
    "content_note",
    "is_locked",
    "is_pinned",
    "reply_count",
    "last_activity_at",
    "board_id",
    "board__name",
    "board__slug",
    "board__step_id",
)


def _list_viewer(member_id: int | None):
    """The viewer the visibility rule and the read marker are asked about, from the slot that
    carries the member's id (None: a visitor)."""
    if member_id is None:
        return AnonymousUser()
    return SimpleNamespace(pk=member_id, is_authenticated=True)


def _visible_topics(name: str, member_id: int | None, board_id: int | None, kind: str | None):
    if name == "board":
        topics = Topic.objects.filter(board_id=board_id, kind=kind)
    else:
        topics = Topic.objects.filter(kind=TopicKind.MESSAGE)
    return filter_visible_topics(topics, _list_viewer(member_id))


def _key_fields(name: str) -> tuple[str, ...]:
    return tuple(field[1:] for field in LIST_ORDERS[name])


def _topic_list(name: str, member_id: int | None, board_id: int | None, kind: str | None):
    """One of the topic lists read through ``PreparedListReads``, as a ``values()`` queryset."""
    columns = TOPIC_ROW_VALUES if name == "shares" else TOPIC_ROW_VALUES[1:]
    visible = _visible_topics(name, member_id, board_id, kind).values(*columns)
    return with_read_marker(visible, _list_viewer(member_id)).order_by(*LIST_ORDERS[name])


def _topic_list_read(
    shape: tuple,
    *,
    member: int | None = None,
    board: int | None = None,
    kind=None,
    start: int = 0,
    **key,
) -> QuerySet:
    name, _, read, count = shape
    if read == "key":
        # The narrow read of key_before(): the order's columns, the visibility rule, no join.
        topics = _visible_topics(name, member, board, kind).order_by(*LIST_ORDERS[name])
        return topics.values_list(*_key_fields(name))[start : start + 1]
    cursor = tuple(key[f"key{n}"] for n in range(len(key))) or None
    return QuerySetReads(_topic_list(name, member, board, kind)).rows(read, cursor, count)


_TOPIC_LISTS = PreparedQuery(_topic_list_read)


class PreparedListReads:
    """``ListReads`` of a board's topic list or the gathered shares, as row dicts, with SQL
    compiled once per process for each kind of read (forum/selectors/prepared.py)."""

    model: type[Model] = Topic

    def __init__(self, name: str, viewer, **slots) -> None:
        self.name = name
        self.member_id = viewer.pk if viewer.is_authenticated else None
        self.slots = {**slots, **({"member": self.member_id} if self.member_id else {})}
        self.fields = _key_fields(name)

    def _rows(self, read: str, key: tuple | None, count: int) -> list[dict]:
        shape = (self.name, self.member_id is not None, read, count)
        keys = {f"key{n}": value for n, value in enumerate(key or ())}
        return _TOPIC_LISTS.rows(shape, **self.slots, **keys)

    def first(self, count: int) -> list[dict]:
        return self._rows("first", None, count)

    def after(self, key: tuple, count: int) -> list[dict]:
        return self._rows("after", key, count)

    def before(self, key: tuple, count: int) -> list[dict]:
        return self._rows("before", key, count)

    def key_before(self, offset: int) -> tuple | None:
        if offset < 2:  # no OFFSET to bind: the first row's key
            rows = self.first(1)
        else:
            shape = (self.name, self.member_id is not None, "key", 1)
            rows = _TOPIC_LISTS.rows(shape, **self.slots, start=offset - 1)
        return tuple(rows[0][name] for name in self.fields) if rows else None


def board_topic_reads(board: Board, *, kind: str, viewer) -> PreparedListReads:
    """``board_topics`` as row dicts (the board and step pages)."""
    return PreparedListReads("board", viewer, board=board.pk, kind=str(kind))


def share_reads(viewer) -> PreparedListReads:
    """``shares_from_every_board`` as row dicts (the Step 12 shares tab)."""
    return PreparedListReads("shares", viewer)


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
