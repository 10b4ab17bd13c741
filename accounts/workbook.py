"""What the step workbook offers at each step: guided prompts and the shapes of its worksheets.

Written in Homegroup's own words from what each step is for (shared DOMAIN.md, "Working a
step"). Data only: the actions validate against it, the views build forms from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.models import EntryKind

TEXT_MAX_LENGTH = 20_000
SHORT_MAX_LENGTH = 2_000


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    rows: int = 3
    max_length: int = SHORT_MAX_LENGTH

    @property
    def is_choice(self) -> bool:
        return bool(self.choices)


@dataclass(frozen=True)
class Worksheet:
    kind: str
    title: str
    intro: str
    fields: tuple[Field, ...] = field(default_factory=tuple)

    @property
    def first_text_field(self) -> str:
        return next(f.name for f in self.fields if not f.is_choice)


INVENTORY_FIELDS = (
    Field("who_what", "Who or what", "A person, a place, an institution, an idea."),
    Field("what_happened", "What happened", rows=4),
    Field(
        "affected",
        "How it affected me",
        "My self-esteem, my security, my relationships, my plans, my pride…",
    ),
    Field("my_part", "My part", "Leaving the other side aside: where was I at fault?", rows=4),
)

WORKSHEETS: dict[str, Worksheet] = {
    EntryKind.WRITING: Worksheet(
        EntryKind.WRITING,
        "Free writing",
        "Write whatever comes. Nobody reads it unless you share it.",
        (Field("text", "Your writing", rows=10, max_length=TEXT_MAX_LENGTH),),
    ),
    EntryKind.RESENTMENT: Worksheet(
        EntryKind.RESENTMENT,
        "A resentment",
        "One row per resentment: who or what I am angry at, and what it did to me.",
        INVENTORY_FIELDS,
    ),
    EntryKind.FEAR: Worksheet(
        EntryKind.FEAR,
        "A fear",
        "One row per fear: what I am afraid of and how it drives me.",
        INVENTORY_FIELDS,
    ),
    EntryKind.HARM: Worksheet(
        EntryKind.HARM,
        "Harm I have done",
        "One row per harm: whom I hurt, and how.",
        INVENTORY_FIELDS,
    ),
    EntryKind.AMENDS_LIST: Worksheet(
        EntryKind.AMENDS_LIST,
        "Someone I harmed",
        "One row per person. Willingness can come later; the list comes first.",
        (
            Field("person", "Person"),
            Field("harm", "The harm", rows=4),
            Field(
                "willing",
                "Am I willing yet?",
                choices=(("not_yet", "Not yet"), ("becoming", "Becoming willing"), ("yes", "Yes")),
            ),
        ),
    ),
    EntryKind.AMENDS: Worksheet(
        EntryKind.AMENDS,
        "An amends",
        "One row per amends, and where it stands.",
        (
            Field("person", "Person"),
            Field("amends", "The amends", "What I said or did, or plan to.", rows=4),
            Field(
                "status",
                "Where it stands",
                choices=(
                    ("in_progress", "In progress"),
                    ("made", "Made"),
                    ("not_direct", "Not direct: it would injure them or others"),
                ),
            ),
            Field("notes", "Notes", rows=3),
        ),
    ),
    EntryKind.NIGHTLY_REVIEW: Worksheet(
        EntryKind.NIGHTLY_REVIEW,
        "Nightly review",
        "A few honest minutes at the end of the day.",
        (
            Field(
                "resentful", "Where was I resentful, selfish, dishonest or afraid today?", rows=4
            ),
            Field("owe", "Do I owe anyone an apology?"),
            Field("went_well", "What went well?"),
            Field("grateful", "What am I grateful for?"),
        ),
    ),
    EntryKind.REFLECTION_LOG: Worksheet(
        EntryKind.REFLECTION_LOG,
        "Prayer or meditation",
        "However you understand it: what you did today, and what you noticed.",
        (
            Field("practice", "What I did", "A prayer, a few minutes of quiet, a walk…"),
            Field("reflection", "What I noticed", rows=5, max_length=TEXT_MAX_LENGTH),
        ),
    ),
    EntryKind.CHECK_IN: Worksheet(
        EntryKind.CHECK_IN,
        "Daily check-in",
        "Ten seconds of honesty with yourself. It lands in your Step 10 workbook.",
        (
            Field(
                "feeling",
                "How do I feel today?",
                choices=(
                    ("1", "1: very low"),
                    ("2", "2: low"),
                    ("3", "3: so-so"),
                    ("4", "4: good"),
                    ("5", "5: very good"),
                ),
            ),
            Field("grateful", "One thing I am grateful for"),
            Field("differently", "One thing I would do differently"),
        ),
    ),
    EntryKind.STEP_REFLECTION: Worksheet(
        EntryKind.STEP_REFLECTION,
        "What this step gave me",
        "Kept in your workbook when you move on.",
        (Field("text", "What this step gave me", rows=6, max_length=TEXT_MAX_LENGTH),),
    ),
}

# Which worksheets each step offers on its workbook page (the first is shown first).
STEP_WORKSHEETS: dict[int, tuple[str, ...]] = {
    **{n: (EntryKind.WRITING,) for n in range(1, 13)},
    4: (EntryKind.RESENTMENT, EntryKind.FEAR, EntryKind.HARM, EntryKind.WRITING),
    8: (EntryKind.AMENDS_LIST, EntryKind.WRITING),
    9: (EntryKind.AMENDS, EntryKind.WRITING),
    10: (EntryKind.NIGHTLY_REVIEW, EntryKind.WRITING),
    11: (EntryKind.REFLECTION_LOG, EntryKind.WRITING),
}

# Kinds written through their own flow, never through the workbook's "new entry" forms.
SPECIAL_KINDS = {EntryKind.CHECK_IN: 10}

PROMPTS: dict[int, tuple[str, ...]] = {
    1: (
        "When did drinking, using or the behaviour stop being a choice for me?",
        "What did I promise myself I would never do, and then did anyway?",
        "Where has my life become hard to manage: work, money, people I love, my health?",
    ),
    2: (
        "What could “a power greater than myself” mean to me today? It can be the group.",
        "Where have I already seen people get better who I thought never would?",
        "What would “sanity” look like in an ordinary day of mine?",
    ),
    3: (
        "What am I trying hardest to control right now?",
        "What am I ready to let go of, and what am I still holding on to?",
        "What does trusting something other than my own will look like this week?",
    ),
    4: (
        "This is the inventory. Take one row at a time: a resentment, a fear or a harm.",
        "Write what happened plainly; then look only at your own part.",
        "It is the most private thing you will write here. It stays yours unless you share it.",
    ),
    5: (
        "Who will I read my inventory to? What do I need to feel safe doing it?",
        "What patterns do I see when I look at the whole of it?",
        "What was it like to say it out loud to another person?",
    ),
    6: (
        "Which defects showed up again and again in my inventory?",
        "What does each one still give me, and what does it cost me?",
        "Which one am I least ready to let go of, and why?",
    ),
    7: (
        "For one defect: what would my day look like without it?",
        "Where did I act a little differently this week?",
        "What does humility mean to me, as opposed to humiliation?",
    ),
    8: (
        "List everyone I have harmed, starting with the inventory. Willingness can come later.",
        "Am I on my own list?",
        "Whose name is the hardest to write, and why?",
    ),
    9: (
        "For each amends: what will I say or do, and when?",
        "Could it injure them or anyone else? Talk it over with your mentor first.",
        "Where a direct amends is not possible, how can I live it instead?",
    ),
    10: (
        "A short review at the end of the day keeps the inventory going.",
        "Where was I wrong today, and did I say so promptly?",
        "What went well, and what am I grateful for?",
    ),
    11: (
        "What practice of prayer or meditation fits me, in my own understanding?",
        "What did I notice in the quiet today?",
        "What guidance, if any, did I sense for the next right thing?",
    ),
    12: (
        "What has working the steps given me that I could pass on?",
        "Where can I practise these principles in all of my life, not only here?",
        "When I carry the message, am I sharing my experience or telling others what to do?",
    ),
}


def worksheets_for(step: int) -> list[Worksheet]:
    return [WORKSHEETS[kind] for kind in STEP_WORKSHEETS[step]]


def kind_allowed_on(kind: str, step: int) -> bool:
    """May a workbook form write this kind on this step? (check-ins have their own page)."""
    if kind in SPECIAL_KINDS:
        return SPECIAL_KINDS[kind] == step
    return kind in STEP_WORKSHEETS.get(step, ())


def summary_of(kind: str, content: dict) -> str:
    """The first words of an entry, for lists shown to its writer only."""
    worksheet = WORKSHEETS[kind]
    for f in worksheet.fields:
        value = (content or {}).get(f.name, "")
        if value and not f.is_choice:
            text = " ".join(str(value).split())
            return text if len(text) <= 120 else text[:119] + "…"
    return ""
