"""Keyset pages for long lists: a page costs the same on the first page as on the five hundredth.

A list ordered by descending fields, the last of them unique (``-id``), is read from a cursor:
the ordering values of the row the previous page ended at ("after") or the next page started
at ("before"). Moving a page is then an index range scan of one page, whatever its depth, and
consecutive pages never overlap while topics are added or bumped between requests.

A ``?page=N`` address without a cursor (a bookmark, a typed URL) first reads only the ordering
values of the row before page N: a narrow index scan with no join, annotation or page row; then
the page itself is read from that key like any other cursor. The number shown beside a cursor
page is a label carried in the link; the cursor decides which rows are shown.

A cursor is opaque to people but only validated, not signed: it names a position in a list
the viewer may read anyway. A malformed one shows the first page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from django.db.models import BooleanField, DateTimeField, F, Model, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

CURSOR_SEPARATOR = "."
MAX_CURSOR_LENGTH = 80
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class PageNumbers:
    """What the pager (templates/forum/_pagination.html) reads of a page, given ``number``."""

    number: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


@dataclass
class KeysetPage(PageNumbers):
    """One page of rows; ``next_cursor``/``previous_cursor`` are None where a page number will do."""

    object_list: list
    number: int
    has_next: bool
    num_pages: int | None = None
    next_cursor: str | None = None
    previous_cursor: str | None = None

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next


def key_fields(queryset: QuerySet) -> tuple[str, ...]:
    """The list's ordering as field names; every one descending, the last one the primary key."""
    names = []
    for item in queryset.query.order_by:
        if not isinstance(item, str) or not item.startswith("-") or "__" in item:
            raise ValueError(f"Keyset pages need descending plain fields, not {item!r}.")
        names.append(item[1:])
    if not names or names[-1] not in ("id", "pk"):
        raise ValueError("Keyset pages need the primary key as the last ordering field.")
    return tuple(names)


def _encode_value(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        delta = value - _EPOCH
        return str((delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds)
    return str(int(value))


def encode_cursor(key: tuple) -> str:
    return CURSOR_SEPARATOR.join(_encode_value(value) for value in key)


def decode_cursor(raw: str | None, model: type[Model], fields: tuple[str, ...]) -> tuple | None:
    """The key a cursor names, or None if it is missing or malformed."""
    if not raw or len(raw) > MAX_CURSOR_LENGTH:
        return None
    parts = raw.split(CURSOR_SEPARATOR)
    if len(parts) != len(fields) or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    key = []
    for name, part in zip(fields, parts, strict=True):
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        number = int(part)
        if isinstance(field, BooleanField):
            if number > 1:
                return None
            key.append(bool(number))
        elif isinstance(field, DateTimeField):
            try:
                key.append(_EPOCH + timedelta(microseconds=number))
            except OverflowError:
                return None
        elif number > 2**63 - 1:
            return None
        else:
            key.append(number)
    return tuple(key)


def _row_key(row, fields: tuple[str, ...]) -> tuple:
    if isinstance(row, dict):
        return tuple(row[name] for name in fields)
    return tuple(getattr(row, name) for name in fields)


def _columns(fields: tuple[str, ...]) -> Tuple:
    return Tuple(*(F(name) for name in fields))


class ListReads(Protocol):
    """The four reads a keyset page is made of. ``QuerySetReads`` does them on a queryset; a
    list read often may do them with SQL compiled once (forum/selectors/boards.py)."""

    model: type[Model]
    fields: tuple[str, ...]

    def first(self, count: int) -> list: ...

    def after(self, key: tuple, count: int) -> list: ...

    def before(self, key: tuple, count: int) -> list:
        """The ``count`` rows just before ``key``, nearest first."""
        ...

    def key_before(self, offset: int) -> tuple | None:
        """The ordering values of the row just before ``offset``."""
        ...


class QuerySetReads:
    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset
        self.model = queryset.model
        self.fields = key_fields(queryset)

    def rows(self, read: str, key: tuple | None, count: int) -> QuerySet:
        """The queryset of one read: "first", "after" ``key`` or "before" ``key``."""
        if read == "after":
            return self.queryset.filter(TupleLessThan(_columns(self.fields), key))[:count]
        if read == "before":
            return self.queryset.filter(TupleGreaterThan(_columns(self.fields), key)).reverse()[
                :count
            ]
        return self.queryset[:count]

    def first(self, count: int) -> list:
        return list(self.rows("first", None, count))

    def after(self, key: tuple, count: int) -> list:
        return list(self.rows("after", key, count))

    def before(self, key: tuple, count: int) -> list:
        return list(self.rows("before", key, count))

    def key_before(self, offset: int) -> tuple | None:
        return key_before(self.queryset, self.fields, offset)


def key_before(queryset: QuerySet, fields: tuple[str, ...], offset: int) -> tuple | None:
    """The ordering values of the row just before ``offset``, read along the list's index with
    only the visibility rule's columns beside them: no join to authors, no annotation."""
    keys = list(queryset.values_list(*fields)[offset - 1 : offset])
    return keys[0] if keys else None


def keyset_page(
    source: QuerySet | ListReads,
    *,
    per_page: int,
    number: int = 1,
    after: str | None = None,
    before: str | None = None,
) -> KeysetPage | None:
    """One page of ``source`` (a queryset ordered by descending fields ending in ``-id``, or
    its ``ListReads``).

    ``after`` reads the page following a cursor, ``before`` the page preceding one; without
    either, page ``number``. Returns None when a page number is past the end (a 404 for the
    view); a cursor past the end, or a malformed one, gives the first page.
    """
    reads = QuerySetReads(source) if isinstance(source, QuerySet) else source
    fields = reads.fields
    after_key = decode_cursor(after, reads.model, fields)
    before_key = decode_cursor(before, reads.model, fields)
    if (after is not None and after_key is None) or (before is not None and before_key is None):
        number = 1
    rows: list = []
    if before_key is not None and number > 1:
        earlier = reads.before(before_key, per_page + 1)
        if len(earlier) > per_page:
            # The page the cursor came from follows this one.
            rows = list(reversed(earlier[:per_page]))
            return _page(rows, number, per_page, fields, has_next=True)
        number = 1
    elif after_key is not None and number > 1:
        rows = reads.after(after_key, per_page + 1)
        if not rows:
            number = 1
    elif number > 1:
        after_key = reads.key_before((number - 1) * per_page)
        if after_key is None:
            return None
        rows = reads.after(after_key, per_page + 1)
    else:
        number = 1
    if number == 1:
        rows = reads.first(per_page + 1)
    return _page(rows[:per_page], number, per_page, fields, has_next=len(rows) > per_page)


def _page(
    rows: list, number: int, per_page: int, fields: tuple[str, ...], *, has_next: bool
) -> KeysetPage:
    return KeysetPage(
        object_list=rows,
        number=number,
        has_next=has_next,
        next_cursor=encode_cursor(_row_key(rows[-1], fields)) if has_next and rows else None,
        previous_cursor=encode_cursor(_row_key(rows[0], fields)) if number > 2 and rows else None,
    )
