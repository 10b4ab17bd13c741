"""The "Starting again" board, where the clean-date reset points: created if it is missing."""

from django.db import migrations


def seed(apps, schema_editor):
    Board = apps.get_model("forum", "Board")
    Board.objects.get_or_create(
        slug="starting-again",
        defaults={
            "name": "Starting again",
            "description": (
                "After a relapse, you are still welcome here. Members only: visitors cannot "
                "read this board."
            ),
            "is_public": False,
            "position": 130,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("forum", "0011_step_journey_notification_kinds")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
