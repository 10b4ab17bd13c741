"""Search at any size: the few unpublished topics indexed apart (the visibility of posts is an
anti-join against them), and each post's block of 1,024 ids added to its search index as a
lexeme of its own, so the newest matches of a word are found block by block
(forum/selectors/search.py, ``BLOCK_BITS``). The post index is created here, by vendor, as in
0004: PostgreSQL only.
"""

from django.conf import settings
from django.db import migrations, models

OLD_INDEX = "forum_post_search_gin"
NEW_INDEX = "forum_post_search_recent"


def block_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NEW_INDEX} ON forum_post USING gin "
        "((search_vector || array_to_tsvector(ARRAY['~' || (id >> 10)::text])))"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")


def plain_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON forum_post USING gin (search_vector)"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {NEW_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0017_topic_board_pages_cover_visibility"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="topic",
            index=models.Index(
                condition=models.Q(("state", "published"), _negated=True),
                fields=["id"],
                name="forum_topic_unpublished",
            ),
        ),
        migrations.RunPython(block_index, plain_index),
    ]
