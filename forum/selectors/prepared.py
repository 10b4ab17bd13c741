"""Querysets compiled to SQL once per process, for the pages members open many times a minute.

Why this exists: on a member's topic page, building the topic's and the posts' querysets (with
the viewer's read marker, watch level, draft, reactions and bookmark as subqueries) and
compiling them to SQL was about half of the request, though from one request to the next only
the ids change. A ``PreparedQuery`` builds its queryset once per database connection with a
placeholder for each value that changes, compiles it, remembers where each placeholder's
parameter sits, and from then on runs that SQL with the request's values, reading the rows
through the compiler's own converters (so a row holds what ``.values()`` would give). The
queryset stays the one place that says what is read; only its compilation is kept.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# Placeholders no request sends: within a 32-bit integer column's range (an integer lookup
# outside it compiles to no SQL at all), and far above the ids and numbers of real rows.
_FIRST_INT_SLOT = 2_109_876_501
# What a 64-bit integer column holds: Django's lookups answer "no row" for a value outside it
# (an id typed into an address) rather than send it, and so does ``run``.
_INT_RANGE = range(-(2**63), 2**63)


def _placeholder(kind: type, index: int, name: str) -> int | str:
    if kind is int:
        return _FIRST_INT_SLOT + index
    if kind is str:
        return f"prepared-slot-{index}-{name}-{_FIRST_INT_SLOT}"
    raise TypeError(f"a prepared query's {name} is an int or a str, not {kind.__name__}")


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # Per SQL parameter: the name of the value it takes, or None and the fixed value.
    params: tuple[tuple[str | None, object], ...]
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple, object], ...]


class PreparedQuery:
    """``build(**values)`` -> a ``.values()`` queryset; ``run(**values)`` -> its rows as dicts.

    ``slots`` names each value that changes between runs and its type (int or str). Every other
    value ``build`` puts in the SQL is fixed at the first compilation: what changes per request
    (the viewer, the page) must be a slot, and what shapes the SQL (a visitor reads no viewer's
    marks) must be a different ``PreparedQuery``.
    """

    def __init__(self, build: Callable[..., QuerySet], **slots: type) -> None:
        self._build = build
        self._slots = slots
        self._int_slots = tuple(name for name, kind in slots.items() if kind is int)
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def run(self, **values) -> list[dict]:
        if any(values[name] not in _INT_RANGE for name in self._int_slots):
            return []
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(connection)
        params = [fixed if name is None else values[name] for name, fixed in compiled.params]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        names = compiled.names
        if not compiled.converters:
            return [dict(zip(names, row, strict=True)) for row in rows]
        result = []
        for row in rows:
            row = list(row)
            for position, converters, expression in compiled.converters:
                value = row[position]
                for convert in converters:
                    value = convert(value, expression, connection)
                row[position] = value
            result.append(dict(zip(names, row, strict=True)))
        return result

    def _compile(self, connection) -> _Compiled:
        placeholders = {
            name: _placeholder(kind, index, name)
            for index, (name, kind) in enumerate(self._slots.items())
        }
        queryset = self._build(**placeholders)
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        by_value = {value: name for name, value in placeholders.items()}
        slotted = tuple((by_value.get(value), value) for value in params)
        for name, value in placeholders.items():
            if str(value) in sql or (name, value) not in slotted:
                raise ValueError(f"{name} is not a parameter of the prepared query's SQL")
        expressions = [expression for expression, _, _ in compiler.select]
        converters = tuple(
            (position, tuple(found), expression)
            for position, (found, expression) in compiler.get_converters(expressions).items()
        )
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
        if len(names) != len(expressions):
            raise ValueError("a prepared query reads a .values() queryset")
        return _Compiled(
            sql=sql,
            params=tuple((name, None if name else value) for name, value in slotted),
            names=names,
            converters=converters,
        )
