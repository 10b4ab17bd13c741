"""Topics: limits, rate limits, locking, order, pagination, stable post links, visibility."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.models import Post, Topic
from tests.forum.boards.htmlcheck import parse

pytestmark = pytest.mark.django_db


def start(client, board, **data):
    payload = {"kind": "helping", "title": "A fair title", "body": "Some words.", **data}
    return client.post(f"/boards/{board.slug}/new/?kind={payload['kind']}", payload)


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("Hey", "at least 5 characters"),
        ("    Hey     ", "at least 5 characters"),
        ("x" * 151, "at most 150 characters"),
    ],
)
def test_a_title_outside_5_to_150_characters_gets_an_error_and_nothing_is_stored(
    client, seasoned_member, support_board, title, message
):
    client.force_login(seasoned_member)

    response = start(client, support_board, title=title)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Topic.objects.exists()


def test_titles_of_exactly_5_and_150_characters_are_fine(
    client, seasoned_member, support_board, no_rate_limits
):
    client.force_login(seasoned_member)

    assert start(client, support_board, title="x" * 5).status_code == 302
    assert start(client, support_board, title="y" * 150).status_code == 302


@pytest.mark.parametrize("body", ["", "   \n\t  ", "x" * 20_001])
def test_an_empty_or_too_long_body_gets_an_error_and_nothing_is_stored(
    client, seasoned_member, support_board, body
):
    client.force_login(seasoned_member)

    response = start(client, support_board, body=body)

    assert response.status_code == 400
    assert parse(response.content.decode()).tags.count("p") > 0
    assert 'class="field-error"' in response.content.decode()
    assert not Topic.objects.exists()
    assert not Post.objects.exists()


def test_a_body_of_20000_characters_is_accepted(client, seasoned_member, support_board):
    client.force_login(seasoned_member)

    assert start(client, support_board, body="x" * 20_000).status_code == 302
    assert len(Post.objects.get().body) == 20_000


def test_a_member_can_start_5_topics_an_hour_and_the_sixth_is_refused(
    client, seasoned_member, support_board, settings
):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "POST_INTERVAL_SECONDS": 0}
    client.force_login(seasoned_member)

    statuses = [
        start(client, support_board, title=f"Topic {n} title").status_code for n in range(6)
    ]
    refused = start(client, support_board, title="One too many")

    assert statuses == [302] * 5 + [400]
    assert "5 topics an hour" in refused.content.decode()
    assert Topic.objects.count() == 5


def test_a_brand_new_account_has_stricter_topic_limits(client, member, support_board, settings):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "POST_INTERVAL_SECONDS_FIRST_DAY": 0}
    client.force_login(member)

    statuses = [
        start(client, support_board, title=f"Topic {n} title").status_code for n in range(3)
    ]

    assert statuses == [302, 302, 400]
    assert Topic.objects.count() == 2


def test_posting_twice_within_ten_seconds_is_refused_with_a_clear_message(
    client, seasoned_member, topic_factory
):
    topic = topic_factory()
    client.force_login(seasoned_member)

    first = client.post(f"/t/{topic.pk}/reply/", {"body": "First thought."})
    second = client.post(f"/t/{topic.pk}/reply/", {"body": "Second thought."})

    assert first.status_code == 302
    assert second.status_code == 400
    assert "Please wait 10 seconds" in second.content.decode()
    assert "Second thought." in second.content.decode()  # the text is kept in the form
    assert topic.posts.count() == 2


def test_a_locked_topic_refuses_replies_with_a_message(client, member, topic_factory):
    topic = topic_factory(is_locked=True)
    client.force_login(member)

    page = client.get(f"/t/{topic.pk}/").content.decode()
    response = client.post(f"/t/{topic.pk}/reply/", {"body": "Can I still add this?"})

    assert "This topic is locked" in page
    assert f'action="/t/{topic.pk}/reply/"' not in page
    assert response.status_code == 403
    assert "This topic is locked" in response.content.decode()
    assert topic.posts.count() == 1


def test_topics_are_listed_pinned_first_then_by_last_activity(
    client, support_board, topic_factory, post_factory
):
    now = timezone.now()
    quiet = topic_factory(support_board, title="Quiet topic", created_at=now - timedelta(days=3))
    busy = topic_factory(support_board, title="Busy topic", created_at=now - timedelta(days=5))
    post_factory(busy, created_at=now - timedelta(hours=1))
    pinned = topic_factory(
        support_board, title="Board guidelines", is_pinned=True, created_at=now - timedelta(days=30)
    )

    html = client.get(f"/boards/{support_board.slug}/").content.decode()
    links = [a["href"] for a in parse(html).links if a.get("href", "").startswith("/t/")]

    assert links == [f"/t/{pinned.pk}/", f"/t/{busy.pk}/", f"/t/{quiet.pk}/"]


def test_a_board_shows_30_topics_a_page(client, support_board, topic_factory, member):
    for n in range(31):
        topic_factory(support_board, title=f"Topic number {n:02d}", author=member)

    first = client.get(f"/boards/{support_board.slug}/").content.decode()
    second = client.get(f"/boards/{support_board.slug}/?kind=helping&page=2").content.decode()

    def count(html):
        return len([a for a in parse(html).links if a.get("href", "").startswith("/t/")])

    assert count(first) == 30
    assert count(second) == 1
    next_link = next(a["href"] for a in parse(first).links if a.get("rel") == "next")
    assert next_link.startswith("?kind=helping&after=") and next_link.endswith("&page=2")
    assert count(client.get(f"/boards/{support_board.slug}/{next_link}").content.decode()) == 1
    assert client.get(f"/boards/{support_board.slug}/?page=3").status_code == 404


def test_a_topic_shows_20_posts_a_page_and_a_post_link_finds_its_page(
    client, topic_factory, member
):
    topic = topic_factory(replies=24, reply_authors=[member])
    posts = list(topic.posts.order_by("number"))

    first = client.get(f"/t/{topic.pk}/").content.decode()
    second = client.get(f"/t/{topic.pk}/?page=2").content.decode()
    redirect = client.get(f"/p/{posts[22].pk}/")

    assert first.count('class="post ') + first.count('class="post"') == 20
    assert second.count('class="post"') == 5
    assert redirect.status_code == 302
    assert redirect["Location"] == f"/t/{topic.pk}/?page=2#post-{posts[22].pk}"
    assert client.get(f"/p/{posts[0].pk}/")["Location"] == f"/t/{topic.pk}/#post-{posts[0].pk}"


@pytest.mark.parametrize(
    "url",
    [
        "/t/999999/",
        "/t/999999/reply/",
        "/p/999999/",
        "/p/999999/edit/",
        "/boards/no-such-board/",
        "/boards/no-such-board/new/",
        "/t/99999999999999999999999/",
        "/p/99999999999999999999999/",
    ],
)
def test_unknown_ids_are_404(member_client, url):
    assert member_client.get(url).status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99"])
def test_a_topic_page_out_of_range_is_404(client, topic_factory, page):
    topic = topic_factory()

    assert client.get(f"/t/{topic.pk}/?page={page}").status_code == 404


def test_visitors_can_read_public_boards_and_topics_but_not_write(client, topic_factory):
    topic = topic_factory(title="Public topic title")

    board = client.get("/boards/general-support/")
    page = client.get(f"/t/{topic.pk}/")
    reply = client.post(f"/t/{topic.pk}/reply/", {"body": "sneaky"})

    assert board.status_code == 200
    assert "Public topic title" in board.content.decode()
    assert page.status_code == 200
    assert "Log in</a> or <a" in page.content.decode()
    assert reply.status_code == 302
    assert topic.posts.count() == 1


def test_a_members_only_board_asks_visitors_to_log_in(
    client, member, members_only_board, topic_factory
):
    topic = topic_factory(members_only_board, title="After the slip")

    board = client.get("/boards/starting-again/")
    page = client.get(f"/t/{topic.pk}/")
    client.force_login(member)

    assert board.status_code == 302
    assert board["Location"].startswith("/account/login/")
    assert page.status_code == 302
    assert "After the slip" in client.get("/boards/starting-again/").content.decode()


def test_starting_a_topic_through_the_ui_stores_sanitized_html_once(
    client, seasoned_member, support_board
):
    client.force_login(seasoned_member)

    start(client, support_board, body="Hello <script>alert(1)</script> **friend**")

    post = Post.objects.get()
    assert post.body == "Hello <script>alert(1)</script> **friend**"
    assert (
        post.body_html
        == "<p>Hello &lt;script&gt;alert(1)&lt;/script&gt; <strong>friend</strong></p>\n"
    )
    assert post.topic.last_post == post
    assert post.topic.reply_count == 0


def test_a_content_note_over_60_characters_gets_an_error(client, seasoned_member, support_board):
    client.force_login(seasoned_member)

    response = start(client, support_board, content_note="n" * 61)

    assert response.status_code == 400
    assert not Topic.objects.exists()


def test_a_brand_new_account_waits_longer_between_posts(client, member, topic_factory, settings):
    topic = topic_factory()
    client.force_login(member)

    client.post(f"/t/{topic.pk}/reply/", {"body": "Hello, I am new."})
    second = client.post(f"/t/{topic.pk}/reply/", {"body": "And again."})

    assert second.status_code == 400
    assert "Please wait 30 seconds" in second.content.decode()
    assert topic.posts.count() == 2


def test_rate_limits_are_counted_in_the_configured_cache(client, seasoned_member, topic_factory):
    from django.core.cache import cache

    from forum import ratelimits

    topic = topic_factory()
    client.force_login(seasoned_member)

    client.post(f"/t/{topic.pk}/reply/", {"body": "Counted."})

    assert cache.get(f"ratelimit:post:{seasoned_member.pk}") is not None
    assert ratelimits.is_limited("post", seasoned_member.pk, ratelimits.Limit(1, 3600))


def test_while_the_cache_is_down_the_limits_are_counted_in_the_database(
    client, seasoned_member, support_board, settings, cache_down
):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "TOPICS_PER_HOUR": 2}
    client.force_login(seasoned_member)

    first = start(client, support_board, title="While Redis sleeps")
    too_soon = start(client, support_board, title="Right after that")
    Post.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    second = start(client, support_board, title="Five minutes later")
    third = start(client, support_board, title="One too many")

    assert [first.status_code, too_soon.status_code, second.status_code] == [302, 400, 302]
    assert "Please wait 10 seconds" in too_soon.content.decode()
    assert third.status_code == 400
    assert "2 topics an hour" in third.content.decode()
    assert Topic.objects.count() == 2


def test_a_topic_pages_posts_are_read_with_a_limit_of_one_page(
    client, support_board, topic_factory
):
    """The number range already bounds the page; the LIMIT tells the planner so, or on a long
    topic it expects most of the topic and joins every member to name the authors."""
    topic = topic_factory(support_board, replies=3)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/t/{topic.pk}/").status_code == 200

    (posts_query,) = [q["sql"] for q in queries if 'FROM "forum_post"' in q["sql"]]
    assert posts_query.rstrip().endswith(f"LIMIT {settings.HOMEGROUP['POSTS_PER_PAGE']}")
