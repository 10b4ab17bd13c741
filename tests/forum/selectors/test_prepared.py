"""Queries compiled once and bound per call (forum/selectors/prepared.py), and the board lists
read through them (forum/selectors/boards.py): the same rows as the querysets they stand for."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from forum.actions.reading import mark_topic_read
from forum.models import Topic, TopicKind
from forum.selectors.boards import (
    board_topic_reads,
    board_topics,
    get_step_board,
    share_reads,
    shares_from_every_board,
)
from forum.selectors.paging import QuerySetReads
from forum.selectors.prepared import PreparedQuery
from tests.factories import MemberFactory, general_board, make_topic, step_board

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
