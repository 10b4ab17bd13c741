"""One content state per chat message (published / held / hidden) in place of ``is_hidden``,
which read "held" from ``hidden_by`` being empty."""

from django.db import migrations, models


def from_booleans(apps, schema_editor):
    ChatMessage = apps.get_model("forum", "ChatMessage")
    hidden = ChatMessage.objects.filter(is_hidden=True)
    hidden.filter(hidden_by__isnull=True).update(state="held")
    hidden.filter(hidden_by__isnull=False).update(state="hidden")


def to_booleans(apps, schema_editor):
    ChatMessage = apps.get_model("forum", "ChatMessage")
    ChatMessage.objects.exclude(state="published").update(is_hidden=True)


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0008_moderation_appeals_notes_check_ins_and_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="chatmessage",
            name="state",
            field=models.CharField(
                choices=[
                    ("published", "Published"),
                    ("held", "Held until a moderator reviews it"),
                    ("hidden", "Hidden by a moderator"),
                ],
                default="published",
                max_length=10,
            ),
        ),
        migrations.RunPython(from_booleans, to_booleans),
        migrations.RemoveField(model_name="chatmessage", name="is_hidden"),
    ]
