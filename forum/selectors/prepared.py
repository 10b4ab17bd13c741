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

``build`` may give a list of querysets selecting the same columns: they run as one UNION ALL
(each part keeps its own ORDER BY and LIMIT inside a derived table). An integer slot outside a
64-bit column's range reads no rows without a query, as Django's own lookups answer for an id
typed into an address.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from weakref import WeakKeyDictionary, WeakSet

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


# What a 64-bit integer column holds.
_INT_RANGE = range(-(2**63), 2**63)


def _out_of_range(slots: Slots) -> bool:
    return any(
        isinstance(value, int) and not isinstance(value, bool) and value not in _INT_RANGE
        for value in slots.values()
    )


def _sql(built: QuerySet | Sequence[QuerySet], connection) -> tuple[str, list, Any, QuerySet]:
    """The SQL and parameters of a queryset, or of a list of them as one UNION ALL, with the
    (first) part's compiler and queryset, whose columns and converters every part shares."""
    querysets = [built] if isinstance(built, QuerySet) else list(built)
    compiled = [qs.query.get_compiler(connection=connection) for qs in querysets]
    parts = [compiler.as_sql() for compiler in compiled]
    if len(parts) == 1:
        sql, params = parts[0]
    else:
        if (
            len({qs.query.values_select + tuple(qs.query.annotation_select) for qs in querysets})
            > 1
        ):
            raise ValueError("the parts of a prepared union must select the same columns")
        sql = " UNION ALL ".join(
            f"SELECT * FROM ({part_sql}) AS part{n}"  # noqa: S608 - SQL the ORM compiled
            for n, (part_sql, _) in enumerate(parts)
        )
        params = [value for _, part_params in parts for value in part_params]
    return sql, list(params), compiled[0], querysets[0]


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


def _cursor(connection):
    """``connection.cursor()`` (logged, counted and wrapped as Django's), but on PostgreSQL over
    a psycopg cursor that binds the values on the server and runs the statement prepared.

    PostgreSQL then plans each shape's statement once per connection (``_plan_once``) rather than on
    every request: planning was most of what the database spent on a member page (on home, 1.2
    of its 1.4 ms for the three topic lists). psycopg names and keeps the prepared statements
    (its per-connection cache; it forgets them on a rollback and re-prepares). Django leaves
    psycopg's automatic preparing off (``prepare_threshold`` None); a threshold no count
    reaches lets ``prepare=True`` work for these statements alone (Django's own cursors bind on
    the client and never prepare).
    """
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        raw = connection.connection
        if raw.prepare_threshold is None:
            raw.prepare_threshold = _ONLY_WHEN_ASKED
        _plan_once(raw)
        cursor = _preparing_cursor_class()(raw)
        _keep_django_timezone(connection, cursor)
    if connection.queries_logged:
        return _logged_cursor_class()(cursor, connection)
    return connection.make_cursor(cursor)


_ONLY_WHEN_ASKED = 2**31
_PLANNED_ONCE: WeakSet = WeakSet()


def _plan_once(raw) -> None:
    """Have PostgreSQL plan each of these statements once, for any values (a generic plan).

    On its own it plans a statement's first five runs for their values and then keeps
    comparing estimates: at a million posts it kept planning a large board's page of topics
    on every run (0.2 to 0.3 ms a page), though the generic plan runs as fast; at the peer size
    it had switched. A shape whose best plan depended on its values would not belong here.
    Only these statements are prepared on the connection (Django's own bind on the client
    and send none), so the setting reaches no other query. It is set outside a transaction,
    where a rollback cannot undo it, once per connection.
    """
    if raw in _PLANNED_ONCE:
        return
    from psycopg.pq import TransactionStatus

    if raw.info.transaction_status == TransactionStatus.IDLE:
        raw.execute("SET plan_cache_mode = force_generic_plan")
        _PLANNED_ONCE.add(raw)


@cache
def _preparing_cursor_class() -> type:
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparingCursor


@cache
def _logged_cursor_class() -> type:
    from django.db.backends.postgresql.base import CursorDebugWrapper

    class LoggedPreparedCursor(CursorDebugWrapper):
        """Logs each statement with its values in, as Django logs its own cursors' (it reads
        them back from a cursor that binds on the client; this one binds on the server)."""

        @contextmanager
        def debug_sql(self, sql=None, params=None, use_last_executed_query=False, many=False):
            if use_last_executed_query and not many:
                sql = self.db.ops.compose_sql(sql, params)
            with super().debug_sql(sql, params, many=many):
                yield

    return LoggedPreparedCursor


def _keep_django_timezone(connection, cursor) -> None:
    """As Django's ``create_cursor``: times read in the connection's zone."""
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    if connection.timezone != loader.timezone:
        register_tzloader(connection.timezone, cursor)


class _Compiled:
    """One shape's SQL on one connection: its parameters, which of them each slot fills, and the
    compiler whose converters and column names the rows go through."""

    def __init__(self, build: Callable[..., QuerySet], slots: Slots, connection) -> None:
        self.sql, params, compiler, queryset = _sql(build(**slots), connection)
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
            other_sql, other_params, _, _ = _sql(
                build(**{**slots, name: _other(value)}), connection
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
        with _cursor(connection) as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        width = self.compiler.col_count
        rows = [row[:width] for row in fetched]
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in rows]


class PreparedQuery:
    """``build(shape, **slots)`` (a ``values()`` queryset, or a list of them for a UNION ALL) as
    rows of dicts, compiled once per shape.

    ``shape`` must name everything that changes the SQL text besides the slots: which filters
    apply (a visitor's or a member's), which cursor condition, the LIMIT.
    """

    def __init__(self, build: Callable[..., QuerySet], *, using: str = "default") -> None:
        self.build = build
        self.using = using
        self._compiled: WeakKeyDictionary = WeakKeyDictionary()

    def rows(self, shape: tuple = (), **slots) -> list[dict]:
        if _out_of_range(slots):
            return []
        connection = connections[self.using]
        per_connection = self._compiled.setdefault(connection, {})
        key = (shape, tuple(slots), *(v for v in slots.values() if isinstance(v, bool)))
        compiled = per_connection.get(key)
        if compiled is None:
            compiled = per_connection[key] = _Compiled(
                lambda **values: self.build(shape, **values), slots, connection
            )
        return compiled.rows(slots, connection)
