"""Queries compiled once and bound per call (forum/selectors/prepared.py), and the board lists
read through them (forum/selectors/boards.py): the same rows as the querysets they stand for."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.actions.workbook import save_entry
from accounts.models import EntryKind, WorkbookEntry
from forum.actions.reading import mark_topic_read
from forum.models import Topic, TopicKind
from forum.selectors.boards import (
    board_topic_reads,
    board_topics,
    get_step_board,
    share_reads,
    shares_from_every_board,
    with_read_marker,
)
from forum.selectors.paging import QuerySetReads
from forum.selectors.prepared import PreparedQuery
from forum.selectors.topics import get_topic
from tests.factories import MemberFactory, general_board, make_member, make_topic, step_board

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    """A board of topics with every order key varied, pinned ones, a hidden one, a member's own
    pending one and another member's pending one; a few shares on other boards."""
    reader = MemberFactory()
    board = general_board()
    start = timezone.now() - timedelta(days=3)
    same_moment = start + timedelta(hours=1)
    made = []
    for n in range(9):
        made.append(
            make_topic(
                board,
                title=f"Listed topic {n}",
                created_at=same_moment if n in (3, 4, 5) else start + timedelta(minutes=7 * n),
                is_pinned=n in (2, 6),
            )
        )
    make_topic(board, title="A hidden one", state="hidden")
    make_topic(board, title="The reader's own pending one", author=reader, state="pending")
    make_topic(board, title="Someone else's pending one", state="pending")
    for number in (3, 12):
        make_topic(step_board(number), kind=TopicKind.MESSAGE, title=f"A share on {number}")
    mark_topic_read(member=reader, topic=made[0], up_to_number=1)
    return {"board": board, "reader": reader}


def ids(rows) -> list[int]:
    return [row["id"] if isinstance(row, dict) else row.pk for row in rows]


@pytest.mark.parametrize("as_member", [False, True])
def test_the_prepared_board_list_reads_what_its_queryset_reads(topics, as_member):
    viewer = topics["reader"] if as_member else AnonymousUser()
    for prepared, queryset in (
        (
            board_topic_reads(topics["board"], kind=TopicKind.HELPING, viewer=viewer),
            board_topics(topics["board"], kind=TopicKind.HELPING, viewer=viewer),
        ),
        (share_reads(viewer), shares_from_every_board(viewer)),
    ):
        plain = QuerySetReads(queryset)
        assert prepared.fields == plain.fields
        everything = plain.first(100)
        assert ids(prepared.first(100)) == ids(everything)
        for n in range(len(everything)):
            key = tuple(getattr(everything[n], name) for name in plain.fields)
            assert ids(prepared.after(key, 3)) == ids(plain.after(key, 3)), n
            assert ids(prepared.before(key, 3)) == ids(plain.before(key, 3)), n
            assert prepared.key_before(n + 1) == plain.key_before(n + 1), n
        assert prepared.key_before(len(everything) + 1) is None


def test_a_members_list_holds_their_own_pending_topic_and_read_marker_only(topics):
    reader = topics["reader"]
    board = topics["board"]
    mine = board_topic_reads(board, kind=TopicKind.HELPING, viewer=reader).first(100)
    others = board_topic_reads(board, kind=TopicKind.HELPING, viewer=MemberFactory()).first(100)
    titles = {row["title"] for row in mine}
    assert "The reader's own pending one" in titles
    assert "Someone else's pending one" not in titles
    assert "A hidden one" not in titles
    assert "The reader's own pending one" not in {row["title"] for row in others}
    assert {row["last_read_number"] for row in mine} == {None, 1}
    assert {row["last_read_number"] for row in others} == {None}


def test_rows_read_as_values_reads_them_and_each_read_is_one_query(
    topics, django_assert_num_queries
):
    board = topics["board"]
    prepared = PreparedQuery(
        lambda shape, *, board, pinned: (
            Topic.objects.filter(board_id=board, is_pinned=pinned)
            .values("id", "title", "is_pinned", "last_activity_at", "board__slug")
            .order_by("-id")
        )
    )
    for pinned in (True, False, True):
        expected = list(
            Topic.objects.filter(board=board, is_pinned=pinned)
            .values("id", "title", "is_pinned", "last_activity_at", "board__slug")
            .order_by("-id")
        )
        with django_assert_num_queries(1):
            assert prepared.rows((), board=board.pk, pinned=pinned) == expected


def test_a_slice_start_is_bound_like_any_value(topics):
    prepared = PreparedQuery(
        lambda shape, *, start: Topic.objects.order_by("-id").values("id")[start : start + 1]
    )
    every_id = list(Topic.objects.order_by("-id").values_list("id", flat=True))
    for start in (3, 1, len(every_id) - 1, len(every_id), 2):
        expected = [{"id": every_id[start]}] if start < len(every_id) else []
        assert prepared.rows((), start=start) == expected


def test_a_value_that_would_change_the_sql_text_is_refused(topics):
    prepared = PreparedQuery(lambda shape, *, count: Topic.objects.values("id")[:count])
    with pytest.raises(ValueError, match="changes the SQL text"):
        prepared.rows((), count=3)


def test_the_step_board_comes_with_its_step_and_a_missing_one_is_a_404():
    from django.http import Http404

    board = get_step_board(4)
    assert board.step_id == 4
    assert board.step.number == 4
    assert board.step.name
    assert board.get_absolute_url() == "/steps/4/"
    with pytest.raises(Http404):
        get_step_board(99)


class _Member:
    is_authenticated = True

    def __init__(self, pk: int) -> None:
        self.pk = pk


def _topics(board_id, member_id, title):
    queryset = Topic.objects.filter(board_id=board_id, title=title)
    return (
        with_read_marker(queryset, _Member(member_id))
        .annotate(replies=F("reply_count"))
        .values("pk", "title", "created_at", "is_locked", "last_read_number", "replies")
        .order_by("pk")
    )


TOPICS = PreparedQuery(lambda shape, **values: _topics(**values))


def test_a_prepared_query_reads_what_its_queryset_reads_for_every_value():
    board = general_board()
    readers = [MemberFactory(), MemberFactory()]
    made = [make_topic(board, title=f"{word} morning", replies=2) for word in ("Quiet", "Slow")]
    mark_topic_read(member=readers[0], topic=made[0], up_to_number=2)
    mark_topic_read(member=readers[1], topic=made[1], up_to_number=3)
    for reader in readers:
        for title in ("Quiet morning", "Slow morning", "Nobody's"):
            values = {"board_id": board.pk, "member_id": reader.pk, "title": title}
            expected = list(_topics(**values))
            assert TOPICS.rows(**values) == expected
    row = TOPICS.rows(board_id=board.pk, member_id=readers[0].pk, title="Quiet morning")[0]
    assert row["created_at"] == made[0].created_at  # aware, converted as the ORM converts it
    assert row["is_locked"] is False
    assert row["last_read_number"] == 2


def test_an_id_no_column_can_hold_matches_nothing_without_asking_the_database():
    with CaptureQueriesContext(connection) as queries:
        rows = TOPICS.rows(board_id=10**30, member_id=1, title="Quiet morning")
    assert rows == []
    assert len(queries) == 0


def test_a_value_the_queryset_does_not_pass_to_its_sql_as_given_is_refused():
    ignoring = PreparedQuery(lambda shape, topic_id: Topic.objects.filter(pk=1).values("pk"))
    with pytest.raises(ValueError, match="topic_id"):
        ignoring.rows(topic_id=5)
    # A lookup that rewrites its value ("Quiet%") would run with the first value forever.
    rewriting = PreparedQuery(
        lambda shape, start: Topic.objects.filter(title__startswith=start).values("pk")
    )
    with pytest.raises(ValueError, match="start"):
        rewriting.rows(start="Quiet")


def test_the_topic_page_reads_its_topic_with_the_viewers_own_state(member):
    topic = make_topic(general_board(), replies=3)
    mark_topic_read(member=member, topic=topic, up_to_number=2)
    read = get_topic(topic.pk, member)
    assert (read.pk, read.title, read.board.name) == (topic.pk, topic.title, topic.board.name)
    assert read.last_read_number == 2
    assert read.watch_level is None
    assert read.draft_body is None
    assert read.last_post.number == 4
    assert get_topic(topic.pk, MemberFactory()).last_read_number is None


def entries_of(member: int):
    return WorkbookEntry.objects.filter(member_id=member).order_by("-id").values("step", "content")


ENTRIES = PreparedQuery(lambda shape, member: entries_of(member))


def test_each_run_reads_its_own_values_with_the_orms_conversions():
    first, second = make_member(step=2), make_member(step=5)
    save_entry(member=first, step=2, kind=EntryKind.WRITING, content={"text": "Mine alone"})
    save_entry(member=second, step=5, kind=EntryKind.WRITING, content={"text": "Someone else"})

    for member in (first, second, first):
        rows = ENTRIES.rows(member=member.pk)
        assert rows == list(entries_of(member.pk))  # decrypted, as the ORM reads them
    assert rows == [{"step": 2, "content": {"text": "Mine alone"}}]


def test_a_list_of_querysets_runs_as_one_union_in_each_parts_own_order():
    first, second = make_member(step=2), make_member(step=5)
    for step, member in ((2, first), (3, first), (5, second)):
        save_entry(member=member, step=step, kind=EntryKind.WRITING, content={"text": "x"})
    both = PreparedQuery(lambda shape, a, b: [entries_of(a)[:1], entries_of(b)[:1]])
    with CaptureQueriesContext(connection) as queries:
        rows = both.rows(a=first.pk, b=second.pk)
    assert len(queries) == 1
    assert [row["step"] for row in rows] == [3, 5]


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_on_postgresql_each_shape_is_prepared_once_and_then_only_executed(topics):
    board = topics["board"]
    prepared = PreparedQuery(
        lambda shape, *, board, title: (
            Topic.objects.filter(board_id=board, title__gte=title).values("id").order_by("id")
        )
    )
    before = prepared_statements()
    for board_id, title in ((board.pk, "Listed"), (board.pk + 1, ""), (board.pk, "Listed topic 5")):
        expected = Topic.objects.filter(board_id=board_id, title__gte=title).order_by("id")
        with CaptureQueriesContext(connection) as queries:
            assert prepared.rows(board=board_id, title=title) == list(expected.values("id"))
        # Logged with its values in, as Django logs its own queries.
        assert f"= {board_id}" in queries[0]["sql"]
    added = [text for text in prepared_statements() if text not in before]
    assert len(added) == 1
    assert '"forum_topic"."board_id" = $1' in added[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_on_postgresql_a_board_page_is_planned_once_for_any_values_not_on_each_run(
    seeded_transactional_db,
):
    """PostgreSQL plans a prepared statement's first runs for their values and may go on doing
    so on every run (it did for a large board's page of topics at a million posts)."""
    connection.close()
    big, small = general_board(), step_board(4)
    for n in range(40):
        make_topic(big, title=f"Topic {n}")
    make_topic(small, title="The only one")
    member = MemberFactory()
    for board in (big, small) * 4:
        for viewer in (member, AnonymousUser()):
            board_topic_reads(board, kind=TopicKind.HELPING, viewer=viewer).first(31)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ['%FROM "forum_topic"%'],
        )
        plans = cursor.fetchall()
    # One statement for members, one for visitors, each run eight times and planned once.
    assert sorted(plans) == [(8, 0), (8, 0)]
