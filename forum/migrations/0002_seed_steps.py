"""The Twelve Steps, in Homegroup's own words (themes from shared/DOMAIN.md)."""

from django.db import migrations

STEPS = [
    (
        1, "Honesty", "Honesty", "Admitting we lost control",
        "The first step is telling ourselves the truth: the addiction has been stronger than our "
        "own willpower, and our lives have become hard to manage because of it. Saying so out loud "
        "is not defeat; it is where recovery starts.",
        "Once the denial is set down, there is room to hope that things can be different. That "
        "hope is what Step 2 is about.",
    ),
    (
        2, "Hope", "Hope", "Believing things can get better",
        "Here we come to believe that something greater than ourselves can help restore us to a "
        "saner way of living. What that power is, each member decides for themselves: the group, "
        "a sense of purpose, nature, or a god of our own understanding.",
        "Hope makes it possible to stop carrying everything alone, which opens the way to the "
        "decision in Step 3.",
    ),
    (
        3, "Surrender", "Faith", "Deciding to let go",
        "Step 3 is a decision: to turn our will and our lives over to the care of that power, as we "
        "understand it. It is less about giving up and more about no longer running the whole "
        "show on our own.",
        "Having made the decision, we are ready to look honestly at ourselves, which is the work "
        "of Step 4.",
    ),
    (
        4, "Soul searching", "Courage", "Taking an honest inventory",
        "We make a searching and fearless moral inventory of ourselves: our behaviour, our "
        "resentments and fears, and how our actions have affected the people around us, "
        "strengths included as well as faults.",
        "An inventory written down can be shared, and sharing it is Step 5.",
    ),
    (
        5, "Integrity", "Integrity", "Sharing the truth with another",
        "We admit the exact nature of our wrongs to ourselves, to our higher power, and to another "
        "person we trust. Secrets lose much of their weight once someone else has heard them.",
        "Seeing our patterns clearly, with someone beside us, prepares us to become willing to "
        "let them go in Step 6.",
    ),
    (
        6, "Willingness", "Willingness", "Becoming ready to change",
        "We become entirely ready to have our defects of character removed, and to let go of the "
        "guilt and shame tied to them. Readiness matters more than perfection here.",
        "Willingness turns into a humble request in Step 7.",
    ),
    (
        7, "Humility", "Humility", "Asking for help to change",
        "We humbly ask to have our shortcomings removed. Humility is seeing ourselves as we really "
        "are, no more and no less important than anyone else.",
        "With a clearer view of ourselves, we can turn to the people we have harmed, starting with "
        "the list in Step 8.",
    ),
    (
        8, "Willingness to make amends", "Brotherly love", "Listing those we harmed",
        "We make a list of everyone we have harmed and become willing to make amends to them all. "
        "The list is about our part, not theirs.",
        "Willingness to make amends prepares us to actually make them in Step 9.",
    ),
    (
        9, "Amends", "Justice", "Making things right",
        "We make direct amends to those we harmed wherever possible, except when doing so would "
        "injure them or others. Sometimes an amend is a changed way of living rather than words.",
        "Having cleared away the wreckage of the past, we learn to keep our side of the street "
        "clean day by day in Step 10.",
    ),
    (
        10, "Continued inventory", "Perseverance", "Keeping it up, day by day",
        "We continue to take personal inventory, and when we are wrong we promptly admit it. This "
        "is the habit of honesty carried on for life, not a one-time task.",
        "A steady daily practice leaves room for the quieter work of connection in Step 11.",
    ),
    (
        11, "Making contact", "Spiritual awareness", "Prayer, meditation and reflection",
        "Through prayer, meditation or quiet reflection, we seek to improve our conscious contact "
        "with our higher power as we understand it, asking for the knowledge of what to do and the "
        "strength to do it.",
        "Grounded in that connection, we are ready to pass on what we have been given, which is "
        "Step 12.",
    ),
    (
        12, "Service", "Service", "Carrying the message",
        "Having had a spiritual awakening as the result of these steps, we try to carry this "
        "message to others who still struggle, and to practise these principles in all our "
        "affairs. The message is our own experience of working the steps.",
        "Service keeps recovery alive: sharing what worked for us helps a newcomer and keeps us "
        "close to the program ourselves, one day at a time.",
    ),
]


def seed_steps(apps, schema_editor):
    Step = apps.get_model("forum", "Step")
    for number, name, principle, summary, purpose, prepares in STEPS:
        Step.objects.update_or_create(
            number=number,
            defaults={
                "name": name,
                "principle": principle,
                "summary": summary,
                "purpose": purpose,
                "prepares": prepares,
            },
        )


def unseed_steps(apps, schema_editor):
    apps.get_model("forum", "Step").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed_steps, unseed_steps)]
