"""The member's home page assembled from cached section blocks (forum/selectors/home.py).

Home must read byte for byte the same with every cache on as with every cache off, for every
kind of member, even when other members filled the cache first; and every change to what home
shows (a step move, a workbook entry, a mentor, a new topic, a room going live, a clean date)
must show on the next render from a warm cache.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.actions.journey import move_to_step
from accounts.actions.mentoring import end_mentorship
from accounts.actions.profile import set_clean_date
from accounts.actions.workbook import save_entry
from accounts.models import EntryKind
from forum.actions.following import set_topic_watch
from forum.actions.reading import mark_topic_read
from forum.actions.topics import create_topic
from forum.models import Board, Room
from forum.models.following import TopicWatchLevel
from forum.realtime import presence
from tests.factories import (
    MemberFactory,
    make_member,
    make_mentor,
    make_mentorship,
    make_moderator,
    make_newcomer,
    make_post,
    make_topic,
)
from tests.forum.boards.test_shared_blocks import normalized

pytestmark = pytest.mark.django_db


@pytest.fixture
def caches(settings):
    """Every cache home reads: the shared blocks (rows and sections) and the site structure."""

    def turn(seconds: int) -> None:
        settings.HOMEGROUP = {**settings.HOMEGROUP, "MEMBER_BLOCK_CACHE_SECONDS": seconds}

    return turn


SOCKETS: list[tuple] = []


def sit_in(room: Room, connection_id: str, member_id: int, pseudonym: str) -> None:
    """A socket in ``room`` now; every room is left empty again when the test ends."""
    SOCKETS.append((room.pk, connection_id, member_id, pseudonym))
    presence.touch(room.pk, connection_id, member_id, pseudonym)


@pytest.fixture(autouse=True)
def _empty_rooms_afterwards():
    yield
    while SOCKETS:
        presence.leave(*SOCKETS.pop())


def listed_room() -> Room:
    return Room.objects.filter(mentorship__isnull=True).order_by("position", "title").last()


@pytest.fixture
def live_room():
    """A listed room with two members in it now."""
    room = listed_room()
    for n in range(2):
        sit_in(room, f"socket-{n}", 900_000 + n, f"Sitter{n}")
    return room


def step_board(number: int) -> Board:
    return Board.objects.get(step_id=number)


@pytest.fixture
def members(settings):
    """One member of each kind home is shown to, and the topics that make their homes differ."""
    today = timezone.localdate()
    step4 = make_member(step=4, username="FourthStepper", clean_date=today - datetime.timedelta(7))
    save_entry(member=step4, step=4, kind=EntryKind.WRITING, content={"text": "Resentments <list>"})
    step12 = make_member(step=12, username="TwelfthStepper", clean_date=datetime.date(2020, 1, 2))
    mentee = make_member(step=2, username="NewMentee")
    make_mentorship(make_mentor(username="WiseElm"), mentee)
    moderator = make_moderator(username="SteadyHand", current_step=4)
    reader = make_member(step=4, username="KeenReader")
    newcomer = make_newcomer(username="JustArrived", current_step=1)
    other = MemberFactory(username="OtherVoice")
    support = Board.objects.get(slug="general-support")
    read = make_topic(support, title="Evenings are hard", author=other)
    muted = make_topic(support, title="A topic I muted", author=other)
    for topic in (read, muted):
        mark_topic_read(member=reader, topic=topic, up_to_number=1)
        make_post(topic, author=other, body="Same here, friend.")
    set_topic_watch(member=reader, topic=muted, level=TopicWatchLevel.MUTED)
    make_topic(step_board(4), title="Step four & <inventory>", author=other, replies=2)
    make_topic(step_board(4), title="Said quietly", author=step4, is_anonymous=True)
    make_topic(step_board(12), title="Carrying it on", author=step12, content_note="relapse")
    settings.HOMEGROUP = {**settings.HOMEGROUP, "NEW_MEMBER_QUEUED_POSTS": 3}
    create_topic(
        author=newcomer, board=step_board(1), kind="helping", title="My first", body="Hello all."
    )
    return {
        "newcomer": newcomer,
        "step4": step4,
        "step12": step12,
        "mentee": mentee,
        "moderator": moderator,
        "reader": reader,
    }


def browser(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def home(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return normalized(response.content.decode())


def cached_and_uncached(client: Client, caches) -> tuple[str, str]:
    """Home from a warm cache (rendered once before), then with every cache off."""
    caches(300)
    warm = home(client)
    caches(0)
    fresh = home(client)
    caches(300)
    return warm, fresh


@pytest.mark.parametrize("with_live_room", [False, True])
def test_home_reads_the_same_with_every_cache_on_as_off(members, caches, request, with_live_room):
    if with_live_room:
        request.getfixturevalue("live_room")
    clients = {name: browser(member) for name, member in members.items()}
    caches(0)
    uncached = {name: home(client) for name, client in clients.items()}
    caches(300)
    for client in clients.values():
        home(client)  # every kind of member fills the cache before anyone reads it
    for name, client in clients.items():
        assert home(client) == uncached[name], name
    assert ("Sitter" not in uncached["step4"]) and ("2 here" in uncached["step4"]) == with_live_room


def test_the_members_see_different_homes_so_the_comparison_above_means_something(members):
    pages = {name: home(browser(member)) for name, member in members.items()}
    assert "Resentments &lt;list&gt;" in pages["step4"]
    assert "7 days: one week today!" in pages["step4"]
    assert (
        "Anonymous member (you)" in pages["step4"]
        and "Anonymous member (you)" not in pages["reader"]
    )
    assert "Evenings are hard" in pages["reader"] and "A topic I muted" not in pages["reader"]
    assert "WiseElm" in pages["mentee"] and "WiseElm" not in pages["step4"]
    assert "My first" in pages["newcomer"] and "My first" not in pages["step4"]
    assert "content-note-label" in pages["step12"]
    assert "Moderation</a>" in pages["moderator"] and "Moderation</a>" not in pages["step4"]
    assert "You are on Step 12" in pages["step12"]


def cached_bytes() -> bytes:
    """Everything the cache holds now, as stored (pickled values keep a text's UTF-8 bytes)."""
    from django.core.cache import cache

    store = cache._cache
    if hasattr(store, "get_client"):  # Redis: this cache's keys only
        redis = store.get_client()
        return b"".join(redis.get(key) or b"" for key in redis.scan_iter(cache.make_key("*")))
    return b"".join(store.values())  # LocMemCache keeps pickled values


def test_the_workbook_text_on_home_is_never_cached(members, caches):
    caches(300)
    client = browser(members["step4"])
    first = home(client)
    assert home(client) == first
    assert "Resentments &lt;list&gt;" in first
    held = cached_bytes()
    assert b"You are on Step 4" in held  # the step card is cached, around the text
    assert b"Resentments" not in held
    assert b"&lt;list&gt;" not in held


CHANGES = {}


def change(name):
    def register(function):
        CHANGES[name] = function
        return function

    return register


@change("the step moves forward")
def _forward(members):
    move_to_step(member=members["step4"], to_step=5, reflection="Done with the list.")
    return "You are on Step 5", "New on the Step 5 board"


@change("the step moves back")
def _back(members):
    move_to_step(member=members["step4"], to_step=3)
    return "You are on Step 3", "The whole Step 3 board"


@change("a new workbook entry")
def _entry(members):
    save_entry(member=members["step4"], step=4, kind=EntryKind.WRITING, content={"text": "Fresh"})
    return "Fresh", "Continue your Step 4 workbook"


@change("a mentorship starts")
def _starts(members):
    make_mentorship(make_mentor(username="OakGuide"), members["step4"])
    return "OakGuide", "walks the steps with you"


@change("a mentorship ends")
def _ends(members):
    mentee = members["mentee"]
    end_mentorship(member=mentee, mentorship=mentee.mentorships_as_mentee.get())
    return "How to find one", "Your mentor"


@change("a new topic on my step board")
def _topic(members):
    make_topic(step_board(4), title="Brand new on four", author=members["step12"])
    return "Brand new on four", "Topics with new replies"


@change("a room goes live")
def _live(members):
    room = listed_room()
    sit_in(room, "socket-live", members["step12"].pk, "TwelfthStepper")
    return f'{room.title}</a> <span class="muted">1 here', "All rooms"


GONE = ("socket-gone", 900_100, "LeavingSoon")


def _goes_live():
    sit_in(listed_room(), *GONE)


@change("a live room empties")
def _empties(members):
    presence.leave(listed_room().pk, *GONE)
    return "No one is chatting right now.", "All rooms"


@change("the clean date changes")
def _clean_date(members):
    set_clean_date(member=members["step4"], clean_date=timezone.localdate() - datetime.timedelta(3))
    return "3 days</a>", 'href="/clean-date/"'


@change("a milestone day")
def _milestone(members):
    set_clean_date(
        member=members["step4"], clean_date=timezone.localdate() - datetime.timedelta(30)
    )
    return "30 days: 30 days today!", 'href="/clean-date/"'


@change("the clean date is cleared")
def _cleared(members):
    set_clean_date(member=members["step4"], clean_date=None)
    return "Clean date (private)", "Your progress"


@pytest.mark.parametrize("name", list(CHANGES))
def test_every_change_shows_on_the_next_render_from_a_warm_cache(members, caches, name):
    viewer = members["mentee"] if name == "a mentorship ends" else members["step4"]
    client = browser(viewer)
    if name == "a live room empties":
        _goes_live()
    caches(300)
    before = home(client)
    home(client)
    shown, also = CHANGES[name](members)
    warm, fresh = cached_and_uncached(client, caches)
    assert warm == fresh
    assert shown in warm and also in warm
    assert warm != before


def homes_own_queries(client: Client) -> list[str]:
    """The queries of one render of home, without the session's (a cached session reads none)."""
    with CaptureQueriesContext(connection) as queries:
        home(client)
    session = ('"django_session"', 'SELECT "accounts_user"."id", "accounts_user"."password"')
    return [q["sql"] for q in queries if not any(part in q["sql"] for part in session)]


def test_a_members_home_costs_the_same_three_queries_however_much_there_is(members):
    """The site's structure, the member's summary (last entry and mentor) and the three topic
    lists in one."""
    reader = members["reader"]
    client = browser(reader)
    home(client)
    assert len(homes_own_queries(client)) == 3
    for n in range(6):
        topic = make_topic(step_board(4), title=f"More on four {n}", replies=1)
        mark_topic_read(member=reader, topic=topic, up_to_number=1)
        make_post(topic, body="And another thing.")
        save_entry(member=reader, step=4, kind=EntryKind.WRITING, content={"text": f"n{n}"})
    make_mentorship(make_mentor(), reader)
    assert len(homes_own_queries(client)) == 3
    page = home(client)
    assert "More on four 5" in page and "n5" in page
