"""Bulk demo data: members, topics of both kinds, replies, reactions and chat history.

Seeding bypasses the per-item actions on purpose: a million posts through ``create_reply``
would take hours. It writes the same rows the actions write (rendered, sanitized HTML from a
pool of varied texts, denormalized counters, search vectors on PostgreSQL) in bulk.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.actions.roles import grant_moderator
from accounts.models import MentorProfile, Mentorship, User
from accounts.pseudonyms import ADJECTIVES, NOUNS
from forum.actions.chat import open_mentorship_room
from forum.caching import invalidate_visitor_pages
from forum.demo import texts
from forum.markup import render_markdown
from forum.models import Board, ChatMessage, Post, Reaction, Room, Topic
from forum.models.boards import TopicKind
from forum.models.posts import REACTION_COUNT_FIELDS, ReactionKind

DEMO_PASSWORD = "demo-passphrase-123"  # noqa: S105 - documented demo login, never a real account
BATCH = 5000


@dataclass(frozen=True)
class DemoSize:
    members: int
    boards: int | None  # None: every board
    topics_per_board: int
    posts_per_topic: int
    reactions_per_post: float
    rooms: int
    chat_messages: int
    share_ratio: float = 0.2
    long_topic_posts: int = 0  # one topic this long on the first board, for "last page" figures


SIZES = {
    "tiny": DemoSize(
        members=12,
        boards=None,
        topics_per_board=3,
        posts_per_topic=4,
        reactions_per_post=0.8,
        rooms=14,
        chat_messages=150,
    ),
    "peer": DemoSize(
        members=20,
        boards=1,
        topics_per_board=200,
        posts_per_topic=20,
        reactions_per_post=0.5,
        rooms=14,
        chat_messages=2_000,
        long_topic_posts=200,
    ),
    "large": DemoSize(
        members=10_000,
        boards=None,
        topics_per_board=3_125,
        posts_per_topic=20,
        reactions_per_post=0.3,
        rooms=50,
        chat_messages=200_000,
        long_topic_posts=200,
    ),
}


@dataclass
class SeedReport:
    members: int = 0
    topics: int = 0
    posts: int = 0
    reactions: int = 0
    rooms: int = 0
    chat_messages: int = 0


class TextPool:
    """A few hundred distinct texts rendered once, reused across many rows; titles are dealt per
    board so a page does not repeat them and each share sits on the board of its step."""

    def __init__(self, rng: random.Random, size: int = 300) -> None:
        self.helping = [self._rendered(*texts.helping_topic(rng)) for _ in range(size)]
        self.shares = [self._rendered(*texts.share_topic(rng)) for _ in range(size // 3)]
        self.replies = [self._rendered("", texts.reply(rng)) for _ in range(size * 2)]
        self._rng = rng
        self._decks: dict[tuple[int, bool], list[str]] = {}

    def title(self, board: Board, *, share: bool) -> str:
        """The next unused title for this board and kind; titles repeat only once all are used."""
        key = (board.pk, share)
        deck = self._decks.get(key)
        if not deck:
            step = board.step_id  # a step's primary key is its number
            if share:
                deck = list(texts.STEP_SHARE_TITLES.get(step, texts.SHARE_TITLES))
            else:
                general = list(texts.HELPING_TITLES)
                self._rng.shuffle(general)
                deck = general + list(texts.STEP_HELPING_TITLES.get(step, []))
            self._decks[key] = deck
        return deck.pop()

    @staticmethod
    def _rendered(title: str, body: str) -> tuple[str, str, str]:
        return title, body, render_markdown(body)


def _pseudonyms(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(ADJECTIVES)}{rng.choice(NOUNS)}{rng.randint(1, 99999)}"
        if name.lower() not in taken:
            taken.add(name.lower())
            names.append(name)
    return names


def seed_members(rng: random.Random, count: int, *, now: datetime.datetime) -> list[int]:
    taken = {name.lower() for name in User.objects.values_list("username", flat=True)}
    password = make_password(DEMO_PASSWORD)
    created: list[int] = []
    names = _pseudonyms(rng, count, taken)
    for start in range(0, count, BATCH):
        members = [
            User(
                username=name,
                password=password,
                current_step=rng.choice([1, 1, 2, 3, 4, 5, 6, 8, 10, 12, 12]),
                date_joined=now - datetime.timedelta(days=rng.randint(31, 900)),
                bio=rng.choice(["", "", "One day at a time.", "Grateful to be here."]),
            )
            for name in names[start : start + BATCH]
        ]
        created += [m.pk for m in User.objects.bulk_create(members)]
    return created


def _refresh_search_vectors(first_post_id: int, last_post_id: int) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE forum_post AS p
               SET search_vector =
                   setweight(to_tsvector('english', CASE WHEN p.number = 1 THEN t.title ELSE '' END), 'A')
                   || setweight(to_tsvector('english', p.body), 'B')
              FROM forum_topic AS t
             WHERE t.id = p.topic_id AND p.id BETWEEN %s AND %s
            """,
            [first_post_id, last_post_id],
        )
        cursor.execute(
            """
            UPDATE forum_topic AS t
               SET search_vector = setweight(to_tsvector('english', t.title), 'A')
              FROM forum_post AS p
             WHERE p.topic_id = t.id AND p.number = 1 AND p.id BETWEEN %s AND %s
            """,
            [first_post_id, last_post_id],
        )


# Topics start within this many minutes before the seed runs; replies follow within three days.
HISTORY_MINUTES = 60 * 24 * 90
REPLY_WINDOW_MINUTES = 60 * 24 * 3


@dataclass
class TopicPlan:
    """One topic to write: everything but its replies, which are events in the timeline."""

    board: Board
    is_share: bool
    title: str
    body: str
    html: str
    note: str
    author: int
    is_anonymous: bool
    started_ago: int  # minutes before the seed runs
    length: int  # posts, the opening one included
    last_ago: int
    pk: int | None = None


def _event(minute: int, topic: int, number: int) -> int:
    """One post in the timeline as a single sortable int: its minute, then topic and number."""
    return (minute << 40) | (topic << 16) | number


def plan_topics(
    rng: random.Random,
    *,
    boards: list[Board],
    size: DemoSize,
    member_ids: list[int],
    step12_ids: list[int],
    pool: TextPool,
) -> tuple[list[TopicPlan], list[int]]:
    """Every board's topics and the forum's timeline of posts, all boards interleaved the way a
    forum grows: topics start at any time over the last ninety days, each board's among the
    others', and every post's id follows the time it was written (as it would have been)."""
    if max(size.posts_per_topic, size.long_topic_posts) >= 1 << 16:
        raise ValueError("At most 65,535 posts per topic.")
    if len(boards) * size.topics_per_board >= 1 << 24:
        raise ValueError("At most 16,777,215 topics.")
    plans: list[TopicPlan] = []
    timeline: list[int] = []
    for index, board in enumerate(boards):
        for number in range(size.topics_per_board):
            length = size.posts_per_topic
            if index == 0 and number == 0 and size.long_topic_posts:
                length = size.long_topic_posts
            is_share = (
                bool(step12_ids) and board.step_id is not None and rng.random() < size.share_ratio
            )
            _, body, html = rng.choice(pool.shares if is_share else pool.helping)
            title = pool.title(board, share=is_share)
            started_ago = rng.randint(60, HISTORY_MINUTES)
            # Replies are never in the future: within three days, or by now if that is sooner.
            window = min(REPLY_WINDOW_MINUTES, started_ago - 1)
            replies_ago = [started_ago - rng.randint(1, window) for _ in range(length - 1)]
            replies_ago.sort(reverse=True)
            note = rng.choice(texts.CONTENT_NOTES) if rng.random() < 0.05 else ""
            author = rng.choice(step12_ids if is_share else member_ids)
            topic = len(plans)
            plans.append(
                TopicPlan(
                    board=board,
                    is_share=is_share,
                    title=title,
                    body=body,
                    html=html,
                    note=note,
                    author=author,
                    is_anonymous=rng.random() < 0.05,
                    started_ago=started_ago,
                    length=length,
                    last_ago=replies_ago[-1] if replies_ago else started_ago,
                )
            )
            timeline.append(_event(HISTORY_MINUTES - started_ago, topic, 1))
            timeline.extend(
                _event(HISTORY_MINUTES - ago, topic, number)
                for number, ago in enumerate(replies_ago, start=2)
            )
    timeline.sort()
    return plans, timeline


def write_topics(plans: list[TopicPlan], *, now: datetime.datetime) -> None:
    """Topics in the order they were started, so their ids follow time as well."""
    ordered = sorted(range(len(plans)), key=lambda i: (-plans[i].started_ago, i))
    for start in range(0, len(ordered), BATCH):
        chunk = [plans[i] for i in ordered[start : start + BATCH]]
        topics = Topic.objects.bulk_create(
            [
                Topic(
                    board=plan.board,
                    kind=TopicKind.MESSAGE if plan.is_share else TopicKind.HELPING,
                    title=plan.title,
                    author_id=plan.author,
                    is_anonymous=plan.is_anonymous,
                    content_note=plan.note,
                    created_at=now - datetime.timedelta(minutes=plan.started_ago),
                    reply_count=plan.length - 1,
                    last_activity_at=now - datetime.timedelta(minutes=plan.last_ago),
                )
                for plan in chunk
            ]
        )
        for plan, topic in zip(chunk, topics, strict=True):
            plan.pk = topic.pk


def write_posts(
    rng: random.Random,
    *,
    plans: list[TopicPlan],
    timeline: list[int],
    size: DemoSize,
    member_ids: list[int],
    pool: TextPool,
    now: datetime.datetime,
    report: SeedReport,
) -> None:
    """The timeline's posts in order, a batch at a time, with their reactions and search vectors."""
    for start in range(0, len(timeline), BATCH):
        posts: list[Post] = []
        for event in timeline[start : start + BATCH]:
            plan = plans[(event >> 16) & 0xFFFFFF]
            number = event & 0xFFFF
            written = now - datetime.timedelta(minutes=HISTORY_MINUTES - (event >> 40))
            if number == 1:
                body, html, note, author = plan.body, plan.html, plan.note, plan.author
            else:
                _, body, html = rng.choice(pool.replies)
                note, author = "", rng.choice(member_ids)
            posts.append(
                Post(
                    topic_id=plan.pk,
                    author_id=author,
                    number=number,
                    body=body,
                    body_html=html,
                    is_anonymous=plan.is_anonymous and number == 1,
                    content_note=note,
                    created_at=written,
                    published_at=written,
                )
            )
        with transaction.atomic():
            report.reactions += _write_post_batch(rng, posts, size, member_ids)
        report.posts += len(posts)


def _write_post_batch(rng: random.Random, posts: list[Post], size: DemoSize, member_ids) -> int:
    reactions: list[tuple[int, int, str]] = []
    for index, post in enumerate(posts):
        wanted = int(size.reactions_per_post) + (rng.random() < size.reactions_per_post % 1)
        for member_id, kind in {
            (rng.choice(member_ids), rng.choice(ReactionKind.values)) for _ in range(wanted)
        }:
            setattr(
                post, REACTION_COUNT_FIELDS[kind], getattr(post, REACTION_COUNT_FIELDS[kind]) + 1
            )
            reactions.append((index, member_id, kind))
    Post.objects.bulk_create(posts, batch_size=BATCH)
    Reaction.objects.bulk_create(
        [Reaction(post_id=posts[i].pk, member_id=m, kind=k) for i, m, k in reactions],
        batch_size=BATCH,
    )
    _refresh_search_vectors(posts[0].pk, posts[-1].pk)
    return len(reactions)


def link_last_posts(plans: list[TopicPlan]) -> None:
    pks = [plan.pk for plan in plans]
    last_post = Post.objects.filter(topic=OuterRef("pk")).order_by("-number").values("pk")[:1]
    for start in range(0, len(pks), BATCH):
        Topic.objects.filter(pk__in=pks[start : start + BATCH]).update(
            last_post=Subquery(last_post)
        )


def seed_chat(
    rng: random.Random,
    *,
    size: DemoSize,
    member_ids: list[int],
    now: datetime.datetime,
    report: SeedReport,
) -> None:
    rooms = list(Room.objects.filter(mentorship__isnull=True))
    for number in range(len(rooms) + 1, size.rooms + 1):
        rooms.append(
            Room.objects.create(
                title=f"Fellowship room {number}",
                slug=f"fellowship-{number}",
                description="A demo room for conversation between meetings.",
                position=200 + number,
            )
        )
    report.rooms = len(rooms)
    per_room = max(1, size.chat_messages // len(rooms))
    for room in rooms:
        with transaction.atomic():
            room = Room.objects.select_for_update().get(pk=room.pk)
            start = now - datetime.timedelta(minutes=per_room * 2)
            messages = [
                ChatMessage(
                    room=room,
                    seq=room.last_seq + i,
                    author_id=rng.choice(member_ids),
                    body=texts.chat_line(rng),
                    created=start + datetime.timedelta(minutes=2 * i),
                )
                for i in range(1, per_room + 1)
            ]
            ChatMessage.objects.bulk_create(messages, batch_size=BATCH)
            Room.objects.filter(pk=room.pk).update(last_seq=room.last_seq + per_room)
        report.chat_messages += per_room


# One demo member for each role, named in README (their password is DEMO_PASSWORD).
DEMO_MEMBER = "QuietHarbor"  # a member on Step 2; README's make_moderator example uses it
DEMO_MENTOR = "SteadyOak"  # Step 12, offers mentoring and mentors QuietHarbor
DEMO_MODERATOR = "KindLantern"  # a moderator


def seed_roles(*, now: datetime.datetime) -> list[int]:
    """The three named demo members (skipped if they exist), a mentorship between the first
    two, and mentor profiles for them and other Step-12 members."""
    if User.objects.filter(username__in=[DEMO_MEMBER, DEMO_MENTOR, DEMO_MODERATOR]).exists():
        return []
    password = make_password(DEMO_PASSWORD)
    joined = now - datetime.timedelta(days=400)
    member, mentor, moderator = User.objects.bulk_create(
        [
            User(username=DEMO_MEMBER, password=password, current_step=2, date_joined=joined),
            User(username=DEMO_MENTOR, password=password, current_step=12, date_joined=joined),
            User(username=DEMO_MODERATOR, password=password, current_step=12, date_joined=joined),
        ]
    )
    grant_moderator(member=moderator)
    MentorProfile.objects.create(
        member=mentor,
        intro="Eleven years clean. I listen first, and I like Step 4 questions.",
        focus_steps=[1, 2, 3, 4],
        capacity=3,
    )
    open_mentorship_room(
        mentorship=Mentorship.objects.create(mentor=mentor, mentee=member, started_at=now)
    )
    return [member.pk, mentor.pk, moderator.pk]


def seed_mentors(member_ids: list[int], *, count: int = 3) -> None:
    """A few more Step-12 members offer mentoring, so /mentoring/ has a choice."""
    for member in User.objects.filter(pk__in=member_ids, current_step=12).exclude(
        mentor_profile__isnull=False
    )[:count]:
        MentorProfile.objects.create(
            member=member,
            intro="Happy to walk alongside someone early in the steps.",
            focus_steps=[1, 2, 3],
        )


def seed_demo(*, size: DemoSize, seed: int = 12, moderators: int = 2) -> SeedReport:
    rng = random.Random(seed)
    now = timezone.now()
    report = SeedReport()
    named = seed_roles(now=now)
    member_ids = named + seed_members(rng, max(0, size.members - len(named)), now=now)
    report.members = len(member_ids)
    extra_moderators = moderators - (1 if named else 0)  # KindLantern is one of them
    for member in User.objects.filter(
        pk__in=member_ids[len(named) : len(named) + extra_moderators]
    ):
        grant_moderator(member=member)
    seed_mentors(member_ids)
    step12_ids = list(
        User.objects.filter(pk__in=member_ids, current_step=12).values_list("pk", flat=True)
    )
    pool = TextPool(rng)
    boards = list(Board.objects.order_by("position", "pk"))
    if size.boards is not None:
        boards = sorted(boards, key=lambda b: (b.step_id is None, b.step_id or 0))[: size.boards]
    # Every board's topics and posts, written in the order a forum would have had them.
    plans, timeline = plan_topics(
        rng,
        boards=boards,
        size=size,
        member_ids=member_ids,
        step12_ids=step12_ids,
        pool=pool,
    )
    write_topics(plans, now=now)
    write_posts(
        rng,
        plans=plans,
        timeline=timeline,
        size=size,
        member_ids=member_ids,
        pool=pool,
        now=now,
        report=report,
    )
    link_last_posts(plans)
    report.topics += len(plans)
    seed_chat(rng, size=size, member_ids=member_ids, now=now, report=report)
    if connection.vendor == "postgresql":
        # Fresh planner statistics after a bulk load and, outside a transaction, the visibility
        # map autovacuum would set soon after, which index-only scans read.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    invalidate_visitor_pages()
    return report
