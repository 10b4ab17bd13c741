"""The suite's guard against a server process reading while a transactional test empties the
tables (tests/conftest.py): the TRUNCATE that PostgreSQL fails to break the cycle runs again."""

from __future__ import annotations

import threading

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from psycopg import sql

from accounts.models import User

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the deadlock is PostgreSQL's"
)


@pytest.mark.django_db(transaction=True)
def test_emptying_the_tables_outlasts_a_reader_that_deadlocks_with_it(member_factory):
    member_factory(username="StillHere")
    settings = connection.settings_dict
    reader = psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=False,
    )
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    flushed = connection.ops.sql_flush(no_style(), tables)[0]
    first, last = _first_and_last_table(flushed)
    reader.execute(_select_from(last))  # holds the lock TRUNCATE needs last

    def read_the_first_table_once_truncate_waits() -> None:
        import time

        time.sleep(0.5)
        reader.execute(_select_from(first))  # waits on TRUNCATE: a cycle
        reader.commit()

    thread = threading.Thread(target=read_the_first_table_once_truncate_waits)
    thread.start()
    try:
        call_command("flush", interactive=False, verbosity=0)
    finally:
        thread.join(timeout=30)
        reader.close()
    assert not User.objects.exists()


def _select_from(table: str) -> sql.Composed:
    return sql.SQL("SELECT 1 FROM {} LIMIT 1").format(sql.Identifier(table))


def _first_and_last_table(truncate: str) -> tuple[str, str]:
    names = truncate.split("TRUNCATE", 1)[1].split(";")[0].split(",")
    names = [name.strip().strip('"') for name in names]
    return names[0], names[-1]
