"""One board per step (the step page is its board) and a few general boards."""

from django.db import migrations

GENERAL_BOARDS = [
    # slug, name, description, is_public, position
    (
        "newcomers",
        "Newcomers",
        "New here? Say hello, ask anything, and hear from members who were new once too.",
        True,
        100,
    ),
    (
        "general-support",
        "General support",
        "Hard days and good days: encouragement, listening and practical help between members.",
        True,
        110,
    ),
    (
        "gratitude",
        "Gratitude",
        "Small wins, clean days and the things we are grateful for today.",
        True,
        120,
    ),
    (
        "starting-again",
        "Starting again",
        "After a relapse, you are still welcome here. Members only: visitors cannot read this board.",
        False,
        130,
    ),
]


def seed(apps, schema_editor):
    Board = apps.get_model("forum", "Board")
    Step = apps.get_model("forum", "Step")
    for step in Step.objects.all():
        Board.objects.update_or_create(
            slug=f"step-{step.number}",
            defaults={
                "name": f"Step {step.number}: {step.name}",
                "description": step.summary,
                "step": step,
                "is_public": True,
                "position": step.number,
            },
        )
    for slug, name, description, is_public, position in GENERAL_BOARDS:
        Board.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "is_public": is_public,
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    Board = apps.get_model("forum", "Board")
    slugs = [f"step-{n}" for n in range(1, 13)] + [row[0] for row in GENERAL_BOARDS]
    Board.objects.filter(slug__in=slugs, topics__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0002_seed_steps"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
