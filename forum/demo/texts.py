"""Varied, realistic demo text for a recovery forum, composed from short human sentences.

No lorem ipsum: a newcomer looking at the demo should see what the forum is for.
"""

from __future__ import annotations

import random

HELPING_TITLES = [
    "Cravings are loud tonight",
    "How did you get through the first thirty days?",
    "Family dinner this weekend and I'm nervous",
    "Anyone else find evenings the hardest?",
    "Slipped yesterday, back today",
    "Ways to fill the time I used to spend using",
    "Telling my partner about my recovery",
    "Finding a meeting that feels right",
    "Sleep has been rough since I stopped",
    "What do you say when friends offer you a drink?",
    "Feeling lonely at work",
    "Small win: ninety days today",
    "Is it normal to feel angry all the time early on?",
    "Holidays coming up, looking for ideas",
    "Started journaling, not sure I'm doing it right",
    "How do you handle shame after a hard day?",
    "My sponsor moved away",
    "Need encouragement before a job interview",
    "Getting through a weekend alone",
    "What helped you trust the process?",
]
SHARE_TITLES = [
    "What Step 4 taught me about resentment",
    "Making amends with my brother, two years on",
    "The morning I finally admitted it",
    "How Step 10 became a daily habit",
    "Finding a higher power of my own understanding",
    "Surrender was not what I expected",
    "My experience with Step 9 and the amends I could not make",
    "Humility, and learning I am not the centre of everything",
    "Writing my inventory the second time",
    "Meditation when my head will not be quiet",
]
HELPING_OPENERS = [
    "I've been clean for a few weeks and tonight is harder than usual.",
    "This is my first post here, so please bear with me.",
    "I keep thinking about something that happened at work today.",
    "Not sure where else to put this, so here goes.",
    "I made it through another day, but only just.",
    "Something small happened this week that I want to share.",
    "I'm on Step 3 and some days it all feels like too much.",
]
HELPING_MIDDLES = [
    "The evenings are the worst; that's when I used to drink.",
    "My family means well but they don't really understand.",
    "I went to a meeting yesterday and sat at the back without speaking.",
    "I called someone from my group instead of picking up, which felt strange.",
    "I've been going for long walks when the urge comes.",
    "Sleep is patchy and I wake up at four most mornings.",
    "I wrote down three things I'm grateful for, like someone here suggested.",
    "Part of me still thinks I can handle just one.",
    "I deleted my dealer's number, then found it again in an old message.",
    "Work is busy, which helps during the day and hurts at night.",
]
HELPING_CLOSERS = [
    "Any thoughts would help.",
    "Thanks for reading, it helps just to write it down.",
    "How do you all get through nights like this?",
    "One day at a time, I guess.",
    "Grateful this place exists.",
]
REPLY_SENTENCES = [
    "Thank you for posting this; I've felt exactly the same.",
    "What helped me was calling someone before I was in trouble, not after.",
    "Early on, evenings were hard for me too. They got easier, slowly.",
    "Sending you strength tonight.",
    "Well done for reaching out. That is the program working.",
    "I started going to a morning meeting and it changed the shape of my days.",
    "Be gentle with yourself. Thirty days is a real achievement.",
    "I found it useful to have a plan for the first hour after work.",
    "When I slipped, coming back the next day mattered more than the slip.",
    "Eating properly and sleeping made a bigger difference than I expected.",
    "My experience is that the feelings pass if I don't act on them.",
    "Glad you're here. Keep coming back.",
    "I kept a list on my phone of people I could text.",
    "The urge usually peaked after about twenty minutes for me.",
    "I hear you. You are not alone with this.",
]
SHARE_SENTENCES = [
    "When I started, I thought the steps were a checklist to finish quickly.",
    "Writing my inventory, I saw how often fear sat underneath my anger.",
    "I worked this step with my mentor over several months.",
    "What surprised me was how much lighter I felt after saying it out loud.",
    "I had to go back to Step 3 more than once before it stuck.",
    "Making that amend did not go the way I hoped, and it was still right to make it.",
    "For me, a higher power turned out to be the group itself.",
    "Today I try to take a short inventory each evening.",
    "I am still learning what humility means in ordinary days.",
    "Sharing this is part of my own recovery as much as anything.",
    "It took me a long time to believe things could be different.",
    "I learned to ask for help before I was desperate.",
]
CHAT_LINES = [
    "Evening all, hope today was kind to you.",
    "Day 12 here. Still going.",
    "Anyone around? Rough afternoon.",
    "Just got back from a meeting, feeling calmer.",
    "Thanks for being here, everyone.",
    "Cravings hit hard after work today but I rode it out.",
    "Going for a walk, back in a bit.",
    "Has anyone tried the morning meditation someone mentioned?",
    "Sending strength to whoever needs it tonight.",
    "Ninety days today!",
    "Made it through a family dinner without drinking.",
    "Long day. Glad to be here.",
]
CONTENT_NOTES = ["relapse", "grief", "family conflict", "cravings"]

# Titles that belong on one step's board: questions while working it (helping others) and
# Step-12 members' experience of it (carrying the message).
STEP_HELPING_TITLES = {
    1: ["Admitting it out loud for the first time", "Where did my choice go?"],
    2: ["I'm not religious. Can Step 2 still work for me?", "What gave you hope at the start?"],
    3: ["Scared of 'turning it over'", "What does deciding look like in a normal day?"],
    4: ["Stuck on the resentment column", "How honest is honest enough in an inventory?"],
    5: ["Dreading reading my inventory to my sponsor", "Who did you do Step 5 with?"],
    6: ["Not sure I want to let go of this one", "Becoming ready feels vague to me"],
    7: ["How do you ask without it feeling fake?", "Humility or just feeling small?"],
    8: ["My amends list is longer than I thought", "What if I'm not willing yet?"],
    9: ["Amends to someone who won't talk to me", "When would an amend do more harm?"],
    10: ["Keeping up a nightly review", "Admitting I was wrong the same day"],
    11: ["Meditation when my head won't be quiet", "Prayer without a religion"],
    12: ["Helping a newcomer without taking over", "Practising the principles at work"],
}
STEP_SHARE_TITLES = {
    1: ["The morning I finally admitted it", "Powerless, and oddly relieved"],
    2: ["Coming to believe, slowly", "Hope arrived before I believed in it"],
    3: ["Surrender was not what I expected", "The decision I keep making again"],
    4: ["What Step 4 taught me about resentment", "Writing my inventory the second time"],
    5: ["Saying it out loud to another person", "What my sponsor said after my Step 5"],
    6: ["Becoming willing to let go of anger", "The defect I defended the longest"],
    7: ["Humility, and learning I am not the centre of everything", "Asking, one day at a time"],
    8: ["The list I didn't want to write", "Becoming willing with my father's name"],
    9: ["Making amends with my brother, two years on", "The amend I could not make directly"],
    10: ["How Step 10 became a daily habit", "Promptly admitting it, at work"],
    11: ["Finding a higher power of my own understanding", "Ten quiet minutes each morning"],
    12: ["Carrying the message to my first newcomer", "A spiritual awakening, in ordinary clothes"],
}


def helping_topic(rng: random.Random) -> tuple[str, str]:
    body = " ".join(
        [
            rng.choice(HELPING_OPENERS),
            *rng.sample(HELPING_MIDDLES, k=rng.randint(2, 4)),
            rng.choice(HELPING_CLOSERS),
        ]
    )
    return rng.choice(HELPING_TITLES), body


def share_topic(rng: random.Random) -> tuple[str, str]:
    paragraphs = [
        " ".join(rng.sample(SHARE_SENTENCES, k=rng.randint(2, 3))) for _ in range(rng.randint(2, 3))
    ]
    return rng.choice(SHARE_TITLES), "\n\n".join(paragraphs)


def reply(rng: random.Random) -> str:
    text = " ".join(rng.sample(REPLY_SENTENCES, k=rng.randint(1, 3)))
    if rng.random() < 0.1:
        text += "\n\n> " + rng.choice(HELPING_MIDDLES)
    if rng.random() < 0.05:
        text += "\n\n**Keep coming back.**"
    return text


def chat_line(rng: random.Random) -> str:
    return rng.choice(CHAT_LINES)
