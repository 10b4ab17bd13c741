"""Seed the crisis resources (moved from settings.CRISIS_RESOURCES) and a starting list of crisis phrases."""

from django.db import migrations

RESOURCES = [
    (
        "Emergency services",
        "If you or someone else is in immediate danger, call your local emergency number (112 in Europe, 911 in North America, 999 in the UK).",
        "112 / 911 / 999",
    ),
    (
        "Samaritans (UK and Ireland)",
        "Someone to talk to, any time of day or night, about anything.",
        "116 123",
    ),
    (
        "988 Suicide & Crisis Lifeline (USA)",
        "Call or text, free and confidential, 24 hours a day.",
        "988",
    ),
    (
        "Find a helpline anywhere",
        "An international directory of free, confidential helplines.",
        "https://findahelpline.com",
    ),
]

PHRASES = [
    "kill myself",
    "end my life",
    "want to die",
    "suicide",
    "suicidal",
    "hurt myself",
    "no reason to live",
    "better off dead",
    "overdose on purpose",
]


def seed(apps, schema_editor):
    CrisisResource = apps.get_model("forum", "CrisisResource")
    CrisisPhrase = apps.get_model("forum", "CrisisPhrase")
    for position, (name, detail, contact) in enumerate(RESOURCES):
        CrisisResource.objects.get_or_create(
            name=name, defaults={"detail": detail, "contact": contact, "position": position}
        )
    for phrase in PHRASES:
        CrisisPhrase.objects.get_or_create(phrase=phrase)


def unseed(apps, schema_editor):
    apps.get_model("forum", "CrisisResource").objects.filter(name__in=[r[0] for r in RESOURCES]).delete()
    apps.get_model("forum", "CrisisPhrase").objects.filter(phrase__in=PHRASES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0005_seed_chat_rooms"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
