"""Queries compiled once per process (forum/selectors/prepared.py) read what their queryset reads."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from accounts.actions.workbook import save_entry
from accounts.models import EntryKind, WorkbookEntry
from forum.actions.reading import mark_topic_read
from forum.models import Topic
from forum.selectors.boards import with_read_marker
from forum.selectors.prepared import PreparedQuery
from forum.selectors.topics import get_topic
from tests.factories import MemberFactory, general_board, make_member, make_topic

pytestmark = pytest.mark.django_db


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


def test_a_value_that_would_change_the_shape_of_the_sql_is_refused():
    shaped_by_the_value = PreparedQuery(
        lambda shape, member: WorkbookEntry.objects.values("step")[: member % 7 + 1]
    )
    with pytest.raises(ValueError, match="slot"):
        shaped_by_the_value.rows(member=make_member().pk)
