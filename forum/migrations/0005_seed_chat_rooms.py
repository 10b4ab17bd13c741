"""Seed chat rooms: an open room, one for newcomers, and one for each of the Twelve Steps."""

from django.db import migrations

ROOMS = [
    (
        "open",
        "Open room",
        "Any member, any step: say hello, share how today is going, listen to others.",
        1,
    ),
    (
        "newcomers",
        "Newcomers",
        "New here? Ask anything, however basic. Members who have been around a while drop in "
        "to welcome you.",
        2,
    ),
]


def seed(apps, schema_editor):
    Room = apps.get_model("forum", "Room")
    Step = apps.get_model("forum", "Step")
    for slug, title, description, position in ROOMS:
        Room.objects.get_or_create(
            slug=slug,
            defaults={"title": title, "description": description, "position": position},
        )
    for step in Step.objects.order_by("number"):
        Room.objects.get_or_create(
            slug=f"step-{step.number}",
            defaults={
                "title": f"Step {step.number}: {step.name}",
                "description": (
                    f"For members working Step {step.number} ({step.summary.lower()}): "
                    "share what the work is like and how you are getting on."
                ),
                "step": step,
                "position": 10 + step.number,
            },
        )


def unseed(apps, schema_editor):
    Room = apps.get_model("forum", "Room")
    slugs = [slug for slug, *_ in ROOMS] + [f"step-{n}" for n in range(1, 13)]
    Room.objects.filter(slug__in=slugs, mentorship__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0004_boards_search_index"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
