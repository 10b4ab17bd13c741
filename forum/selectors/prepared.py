"""Querysets compiled to SQL once per process, then run with each request's values.

Why: on a member's home page the ORM spent more time building SQL (filters, subqueries and
joins resolved again for every request) than the database spent answering it. A prepared
query is written as an ordinary queryset in which each varying value is a slot (a number no
row has); it is compiled once, and each run puts the request's values where the slots were and
applies the converters the ORM would (dates on SQLite, the workbook's decryption), so the rows
are exactly what ``.values()`` gives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet

SLOT = 9_081_726_354_000


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[tuple[int, str], ...]  # (position in params, name of the value)
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple, object], ...]


_compiled: dict[tuple[str, str], _Compiled] = {}


def _parts(queryset: QuerySet) -> tuple[str, tuple, tuple[str, ...], tuple]:
    query = queryset.query
    compiler = query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    selected = [column[0] for column in compiler.select[: compiler.col_count]]
    converters = tuple(
        (position, tuple(functions), expression)
        for position, (functions, expression) in compiler.get_converters(selected).items()
    )
    return sql, tuple(params), names, converters


def _compile(build: Callable[..., QuerySet | Sequence[QuerySet]], names: Sequence[str]):
    slots = {SLOT + n: name for n, name in enumerate(names)}
    built = build(**{name: value for value, name in slots.items()})
    querysets = [built] if isinstance(built, QuerySet) else list(built)
    parts = [_parts(queryset) for queryset in querysets]
    columns, converters = parts[0][2], parts[0][3]
    if any(part[2] != columns for part in parts):
        raise ValueError("the parts of a prepared union must select the same columns")
    if len(parts) == 1:
        sql = parts[0][0]
    else:
        # Each part keeps its own ORDER BY and LIMIT inside a derived table (SQLite allows
        # neither directly in a compound statement).
        sql = " UNION ALL ".join(
            f"SELECT * FROM ({part[0]}) AS part{n}"  # noqa: S608 - SQL the ORM compiled
            for n, part in enumerate(parts)
        )
    params = tuple(value for part in parts for value in part[1])
    positions = tuple((n, slots[value]) for n, value in enumerate(params) if value in slots)
    if {name for _, name in positions} != set(names):
        raise ValueError("every slot of a prepared query must reach its SQL as a parameter")
    return _Compiled(sql, params, positions, columns, converters)


def prepared_rows(
    key: str,
    build: Callable[..., QuerySet | Sequence[QuerySet]],
    using: str = "default",
    **values: int,
) -> list[dict]:
    """The rows of ``build(**slots)`` for ``values``, as dicts (``.values()`` rows).

    ``build`` must give the same SQL for every value (values only in filters, not in the shape
    of the query); a list of querysets selecting the same columns is run as one UNION ALL.
    """
    connection = connections[using]
    compiled = _compiled.get((key, connection.vendor))
    if compiled is None:
        compiled = _compiled[key, connection.vendor] = _compile(build, sorted(values))
    params = list(compiled.params)
    for position, name in compiled.slots:
        params[position] = values[name]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    names = compiled.names
    result = []
    for row in rows:
        row = list(row)
        for position, functions, expression in compiled.converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        result.append(dict(zip(names, row, strict=True)))
    return result
