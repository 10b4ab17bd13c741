"""Querysets compiled once and run with each request's values (forum/selectors/prepared.py)."""

from __future__ import annotations

import pytest

from accounts.actions.workbook import save_entry
from accounts.models import EntryKind, WorkbookEntry
from forum.selectors.prepared import prepared_rows
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def entries_of(member: int):
    return WorkbookEntry.objects.filter(member_id=member).order_by("-id").values("step", "content")


def test_each_run_reads_its_own_values_with_the_orms_conversions():
    first, second = make_member(step=2), make_member(step=5)
    save_entry(member=first, step=2, kind=EntryKind.WRITING, content={"text": "Mine alone"})
    save_entry(member=second, step=5, kind=EntryKind.WRITING, content={"text": "Someone else"})

    for member in (first, second, first):
        rows = prepared_rows("test:entries", entries_of, member=member.pk)
        assert rows == list(entries_of(member.pk))  # decrypted, as the ORM reads them
    assert rows == [{"step": 2, "content": {"text": "Mine alone"}}]


def test_a_value_that_would_change_the_shape_of_the_sql_is_refused():
    def shaped_by_the_value(member: int):
        return WorkbookEntry.objects.values("step")[: member % 7]

    with pytest.raises(ValueError, match="slot"):
        prepared_rows("test:shaped", shaped_by_the_value, member=make_member().pk)
