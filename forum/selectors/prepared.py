"""Read queries compiled to SQL once per process and connection; each request only binds values.

Django builds and compiles a queryset's SQL on every evaluation: on a member's board page that
was about a third of the render (the listing with its read-marker subquery, filters, joins and
the keyset condition). The lists a page reads have a fixed shape, though; only values such as
the board, the viewer and the cursor change. So a ``PreparedQuery`` builds its queryset once
per shape, with the first request's values, compiles it, and finds where each value lands among
the SQL parameters by compiling again with that one value changed. Later requests put their
values there and run the same SQL through the same connection (query logging and counting see
it as usual), and the rows go through the compiler's own converters, so they read exactly as
``values()`` reads them.

A slice's start (OFFSET, which Django prints into the text) becomes the SQL's last parameter
when it is a slot (it must be one, never 0, so the OFFSET is always printed). Other values
whose change cannot change the SQL text are bound (integers, strings, datetimes;
never None); a boolean slot is compiled in, once for each of its values, and the shape key names
everything else. If a slot moved the text, or if
a value would not bind as Django binds it, preparing raises instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from django.db import connections, models
from django.db.models import QuerySet

Slots = dict[str, Any]

_SLOT_FIELDS: dict[type, models.Field] = {
    int: models.BigIntegerField(),
    str: models.CharField(),
    datetime: models.DateTimeField(),
}


def _field_for(value) -> models.Field:
    field = _SLOT_FIELDS.get(type(value))
    if field is None:
        raise TypeError(f"a prepared query's slot holds {type(value).__name__}")
    return field


def _other(value):
    """A different value of the same type, to see where a slot lands among the parameters."""
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "~"
    return value + timedelta(microseconds=1)


def _bound(value, connection) -> Any:
    return _field_for(value).get_db_prep_value(value, connection, prepared=False)


def _bound_slots(slots: Slots) -> Slots:
    """The slots bound as parameters; a boolean is compiled in (a backend may print
    ``col = true`` as ``col``), so each of its two values is a shape of its own."""
    return {name: value for name, value in slots.items() if not isinstance(value, bool)}


_OFFSET_TAIL = re.compile(r" OFFSET (\d+)$")


def _offset_printed(sql: str, other_sql: str) -> int | None:
    """The OFFSET printed at the end of ``sql`` if that is all ``other_sql`` changes."""
    ours, theirs = _OFFSET_TAIL.search(sql), _OFFSET_TAIL.search(other_sql)
    if (
        ours
        and theirs
        and ours.group(1) != theirs.group(1)
        and sql[: ours.start()] == other_sql[: theirs.start()]
    ):
        return int(ours.group(1))
    return None


class _Compiled:
    """One shape's SQL on one connection: its parameters, which of them each slot fills, and the
    compiler whose converters and column names the rows go through."""

    def __init__(self, build: Callable[..., QuerySet], slots: Slots, connection) -> None:
        queryset = build(**slots)
        compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.compiler = compiler
        query = queryset.query
        self.names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        self.converters = compiler.get_converters(
            [s[0] for s in compiler.select[0 : compiler.col_count]]
        )
        self.positions: dict[str, list[int]] = {}
        self.offset: tuple[str, int] | None = None
        sql = self.sql
        for name, value in _bound_slots(slots).items():
            other_sql, other_params = (
                build(**{**slots, name: _other(value)})
                .query.get_compiler(connection=connection)
                .as_sql()
            )
            printed = _offset_printed(sql, other_sql)
            if printed is not None and self.offset is None:
                # Django prints a slice's start into the text; it becomes the last parameter.
                self.sql = f"{sql[: -len(str(printed))]}%s"
                self.params.append(printed)
                self.offset = (name, printed - value)
                self.positions[name] = []
                continue
            if other_sql != sql or len(other_params) != len(params):
                raise ValueError(f"the slot {name!r} changes the SQL text, not only a parameter")
            self.positions[name] = [
                n for n, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b
            ]
            if not self.positions[name] or any(
                self.params[n] != _bound(value, connection) for n in self.positions[name]
            ):
                raise ValueError(f"the slot {name!r} does not bind as Django binds it")

    def rows(self, slots: Slots, connection) -> list[dict]:
        params = list(self.params)
        for name, value in _bound_slots(slots).items():
            bound = _bound(value, connection)
            for n in self.positions[name]:
                params[n] = bound
        if self.offset is not None:
            name, shift = self.offset
            params[-1] = slots[name] + shift
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        width = self.compiler.col_count
        rows = [row[:width] for row in fetched]
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in rows]


class PreparedQuery:
    """``build(**slots)`` (a ``values()`` queryset) as rows of dicts, compiled once per shape.

    ``shape`` must name everything that changes the SQL text besides the slots: which filters
    apply (a visitor's or a member's), which cursor condition, the LIMIT.
    """

    def __init__(self, build: Callable[..., QuerySet], *, using: str = "default") -> None:
        self.build = build
        self.using = using
        self._compiled: WeakKeyDictionary = WeakKeyDictionary()

    def rows(self, shape: tuple, **slots) -> list[dict]:
        connection = connections[self.using]
        per_connection = self._compiled.setdefault(connection, {})
        key = (shape, tuple(slots), *(v for v in slots.values() if isinstance(v, bool)))
        compiled = per_connection.get(key)
        if compiled is None:
            compiled = per_connection[key] = _Compiled(
                lambda **values: self.build(shape, **values), slots, connection
            )
        return compiled.rows(slots, connection)
