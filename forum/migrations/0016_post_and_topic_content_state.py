"""One content state per post and per topic in place of the moderation booleans.

Where a row held several booleans at once, the strongest wins: removed by a moderator, removed
by its author, hidden, held, waiting for approval. ``published_at`` keeps what only the booleans
knew: a post rejected or withdrawn while it waited still had ``is_pending_approval``, so it was
never published and leaves no placeholder behind.
"""

from django.db import migrations, models
from django.db.models import F

POST_PRECEDENCE = (
    ("removed_by_moderator", "removed_by_moderator"),
    ("removed_by_author", "removed_by_author"),
    ("is_hidden", "hidden"),
    ("is_held_for_review", "held"),
    ("is_pending_approval", "pending"),
)
TOPIC_PRECEDENCE = (
    ("is_hidden", "hidden"),
    ("is_pending_approval", "pending"),
)


def _fill_states(model, precedence) -> None:
    # Weakest first, so a stronger boolean overwrites a weaker one on the same row.
    for flag, state in reversed(precedence):
        model.objects.filter(**{flag: True}).update(state=state)


def _fill_booleans(model, precedence) -> None:
    for flag, state in precedence:
        model.objects.filter(state=state).update(**{flag: True})


def _check_constraints_now(schema_editor) -> None:
    """PostgreSQL refuses to alter a table with deferred constraint checks still queued from the
    updates ("pending trigger events"); run them now, so the columns can go in this migration."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def from_booleans(apps, schema_editor):
    Post = apps.get_model("forum", "Post")
    Post.objects.filter(is_pending_approval=False).update(published_at=F("created_at"))
    _fill_states(Post, POST_PRECEDENCE)
    _fill_states(apps.get_model("forum", "Topic"), TOPIC_PRECEDENCE)
    _check_constraints_now(schema_editor)


def to_booleans(apps, schema_editor):
    Post = apps.get_model("forum", "Post")
    _fill_booleans(Post, POST_PRECEDENCE)
    Post.objects.filter(published_at__isnull=True).update(is_pending_approval=True)
    _fill_booleans(apps.get_model("forum", "Topic"), TOPIC_PRECEDENCE)
    _check_constraints_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0015_keyset_page_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="state",
            field=models.CharField(
                choices=[
                    ("published", "Published"),
                    ("pending", "Waiting for approval"),
                    ("held", "Held until reviewed"),
                    ("hidden", "Hidden"),
                    ("removed_by_author", "Removed by its author"),
                    ("removed_by_moderator", "Removed by a moderator"),
                ],
                default="published",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="topic",
            name="state",
            field=models.CharField(
                choices=[
                    ("published", "Published"),
                    ("pending", "Waiting for approval"),
                    ("hidden", "Hidden"),
                ],
                default="published",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="post",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(from_booleans, to_booleans),
        migrations.RemoveField(model_name="post", name="is_hidden"),
        migrations.RemoveField(model_name="post", name="removed_by_author"),
        migrations.RemoveField(model_name="post", name="is_pending_approval"),
        migrations.RemoveField(model_name="post", name="is_held_for_review"),
        migrations.RemoveField(model_name="post", name="removed_by_moderator"),
        migrations.RemoveField(model_name="topic", name="is_hidden"),
        migrations.RemoveField(model_name="topic", name="is_pending_approval"),
    ]
