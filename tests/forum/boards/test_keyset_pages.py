"""Board and topic-list pages are read from a cursor, so they stay contiguous while topics are
added or bumped, a deep page costs the same as the first, and old ``?page=N`` addresses work."""

from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.utils import timezone

from tests.forum.boards.htmlcheck import link_texts, parse

pytestmark = pytest.mark.django_db

PER_PAGE = 3
BOARD = "/boards/general-support/"


@pytest.fixture(autouse=True)
def small_pages(settings):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "TOPICS_PER_PAGE": PER_PAGE}


@pytest.fixture
def ten_topics(support_board, topic_factory):
    """Topic 0 is the oldest; each next one an hour newer."""
    start = timezone.now() - timedelta(days=2)
    return [
        topic_factory(support_board, title=f"Topic {n}", created_at=start + timedelta(hours=n))
        for n in range(10)
    ]


def titles(html: str) -> list[str]:
    return link_texts(html, r"/t/\d+/")


def pager_link(html: str, rel: str) -> str | None:
    links = [a for a in parse(html).links if a.get("rel") == rel]
    return unescape(links[0]["href"]) if links else None


def walk(client, url: str, between=None) -> list[list[str]]:
    """Every page from ``url`` by the Next links, calling ``between()`` after each page."""
    pages = []
    while url:
        html = client.get(url).content.decode()
        pages.append(titles(html))
        if between:
            between(len(pages))
        nxt = pager_link(html, "next")
        url = f"{BOARD}{nxt}" if nxt else None
    return pages


def test_next_links_walk_every_topic_once_newest_first(client, ten_topics):
    pages = walk(client, BOARD)

    assert pages == [
        ["Topic 9", "Topic 8", "Topic 7"],
        ["Topic 6", "Topic 5", "Topic 4"],
        ["Topic 3", "Topic 2", "Topic 1"],
        ["Topic 0"],
    ]


def test_topics_added_and_bumped_between_pages_never_repeat_or_push_others_off(
    client, member, support_board, topic_factory, post_factory, ten_topics
):
    def meanwhile(pages_read: int) -> None:
        topic_factory(support_board, title=f"New while reading {pages_read}")
        post_factory(ten_topics[pages_read], author=member)  # bumps a topic not yet shown

    pages = walk(client, BOARD, between=meanwhile)
    seen = [title for page in pages for title in page]

    assert len(seen) == len(set(seen))
    bumped = {f"Topic {n}" for n in range(1, len(pages))}
    unmoved = [f"Topic {n}" for n in range(9, -1, -1) if f"Topic {n}" not in bumped]
    assert [title for title in seen if title in unmoved] == unmoved


def test_an_old_page_number_address_shows_the_same_topics_as_the_next_links(client, ten_topics):
    by_links = walk(client, BOARD)

    by_number = [
        titles(client.get(f"{BOARD}?page={n}").content.decode())
        for n in range(1, len(by_links) + 1)
    ]

    assert by_number == by_links
    assert client.get(f"{BOARD}?page={len(by_links) + 1}").status_code == 404


def test_previous_links_walk_back_to_the_first_page(client, ten_topics):
    html = client.get(f"{BOARD}?page=4").content.decode()
    back = []
    while (prev := pager_link(html, "prev")) is not None:
        html = client.get(f"{BOARD}{prev}").content.decode()
        back.append(titles(html))

    assert back == [
        ["Topic 3", "Topic 2", "Topic 1"],
        ["Topic 6", "Topic 5", "Topic 4"],
        ["Topic 9", "Topic 8", "Topic 7"],
    ]
    assert "Page 1" in html


def test_the_page_label_follows_the_links(client, ten_topics):
    html = client.get(BOARD).content.decode()
    html = client.get(f"{BOARD}{pager_link(html, 'next')}").content.decode()

    assert "Page 2" in html
    assert pager_link(html, "prev") == "?kind=helping&page=1"


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "",
        "0.1",
        "2.1764600000000000.5",
        "0.-5.5",
        "0.99999999999999999999.5",
        "0.1764600000000000.99999999999999999999",
        "0.١٢٣.5",
        "0." + "9" * 90 + ".5",
        "0.1764600000000000.5%ED%A0%80",
    ],
)
@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_malformed_cursor_shows_the_first_page(client, ten_topics, cursor, direction):
    response = client.get(f"{BOARD}?{direction}={cursor}&page=7")

    assert response.status_code == 200
    assert titles(response.content.decode()) == ["Topic 9", "Topic 8", "Topic 7"]


def test_a_cursor_with_a_nul_byte_is_refused_like_any_nul_in_an_address(client, ten_topics):
    response = client.get(f"{BOARD}?after=0.1764600000000000.5%00&page=2")

    assert response.status_code == 400


def test_a_cursor_past_the_last_topic_shows_the_first_page(client, ten_topics):
    response = client.get(f"{BOARD}?after=0.1000000.1&page=5")

    assert titles(response.content.decode()) == ["Topic 9", "Topic 8", "Topic 7"]


def test_latest_pages_by_cursor_as_well(client, ten_topics):
    html = client.get("/latest/").content.decode()
    nxt = pager_link(html, "next")

    assert nxt.startswith("?after=")
    assert titles(client.get(f"/latest/{nxt}").content.decode()) == [
        "Topic 6",
        "Topic 5",
        "Topic 4",
    ]


@pytest.mark.parametrize("number", ["10000001", "9223372036854775807", "99999999999999999999"])
def test_a_page_number_past_any_list_is_not_found(client, ten_topics, number):
    assert client.get(f"{BOARD}?page={number}").status_code == 404


def _typed_page_key_query(client, url: str) -> tuple[str, list]:
    """The query that finds the key before a typed ``?page=N`` (the one with an OFFSET)."""
    captured = []

    def keep(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        assert client.get(url).status_code == 200
    (key_query,) = [(sql, params) for sql, params in captured if "OFFSET" in sql]
    return key_query


@pytest.fixture
def ten_shares(support_board, topic_factory):
    """Carrying-the-message shares, one an hour (the Step 12 shares tab lists them)."""
    start = timezone.now() - timedelta(days=2)
    return [
        topic_factory(
            support_board, kind="message", title=f"Share {n}", created_at=start + timedelta(hours=n)
        )
        for n in range(10)
    ]


@pytest.mark.parametrize(
    ("url", "index"),
    [
        (f"{BOARD}?page=3", "forum_topic_board_pages"),
        ("/latest/?page=3", "forum_topic_latest"),
        ("/steps/12/?kind=message&page=3", "forum_topic_kind_pages"),
    ],
)
@pytest.mark.parametrize("logged_in", [False, True])
def test_a_typed_page_numbers_key_is_read_from_the_list_index_alone(
    client, member, ten_topics, ten_shares, logged_in, url, index
):
    """The key's cost grows with the page's depth, so it must never visit a topic's row: every
    column the visibility rule reads is in the list's index (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("covering indexes are PostgreSQL's")
    if logged_in:
        client.force_login(member)
    sql, params = _typed_page_key_query(client, url)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        # On a table this small the planner may as well take any other index and sort; the
        # question is whether this one answers alone, so the others go for this transaction.
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'forum_topic'"
            " AND indexname <> %s AND indexdef NOT LIKE '%%UNIQUE%%'",
            [index],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert f"Index Only Scan using {index} on forum_topic" in plan, plan
