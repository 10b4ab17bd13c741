"""GIN index for post search, on PostgreSQL only (SQLite uses a simple fallback search).

``django.contrib.postgres.indexes.GinIndex`` in ``Meta.indexes`` would emit ``USING gin`` on
SQLite too, so the index is created here, by vendor.
"""

from django.db import migrations

INDEX_NAME = "forum_post_search_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON forum_post USING gin (search_vector)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0003_seed_boards"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
