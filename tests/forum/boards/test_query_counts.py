"""Board and topic pages run a constant number of SQL queries whatever the data size.

Each page is requested once to warm per-member caches kept by other features (the
notification count), then measured with little data and with a lot.
"""

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.actions.posts import edit_post
from forum.actions.reactions import toggle_reaction
from forum.actions.reading import mark_topic_read
from forum.models import TopicKind
from tests.factories import MemberFactory
from tests.forum.boards.htmlcheck import parse

pytestmark = pytest.mark.django_db

MAX_QUERIES = 6


@pytest.fixture
def measure(client, django_assert_max_num_queries):
    def run(url: str) -> int:
        client.get("/steps/")  # warm caches that are not this page's concern
        with (
            django_assert_max_num_queries(MAX_QUERIES, info=url),
            CaptureQueriesContext(connection) as ctx,
        ):
            response = client.get(url)
        assert response.status_code == 200, url
        return len(ctx.captured_queries)

    return run


def fill_board(board, topic_factory, *, topics, replies, reader, kind=TopicKind.HELPING):
    authors = [MemberFactory() for _ in range(topics)]
    made = [
        topic_factory(
            board,
            kind=kind,
            author=authors[n],
            title=f"Topic number {n:03d}",
            replies=replies,
            reply_authors=authors,
            is_anonymous=n % 3 == 0,
            is_pinned=n % 7 == 0,
        )
        for n in range(topics)
    ]
    for topic in made[::2]:
        mark_topic_read(member=reader, topic=topic, up_to_number=1)
    return made


@pytest.mark.parametrize("logged_in", [False, True])
def test_a_board_page_runs_a_constant_number_of_queries(
    client, member, support_board, topic_factory, measure, logged_in
):
    if logged_in:
        client.force_login(member)
    fill_board(support_board, topic_factory, topics=2, replies=1, reader=member)
    small = measure("/boards/general-support/")

    fill_board(support_board, topic_factory, topics=45, replies=4, reader=member)
    large = measure("/boards/general-support/")
    first_page = client.get("/boards/general-support/").content.decode()
    next_link = unescape(next(a["href"] for a in parse(first_page).links if a.get("rel") == "next"))
    page_two = measure(f"/boards/general-support/{next_link}")
    # A typed ?page=N first reads the key its page starts after: one narrow query more.
    page_two_by_number = measure("/boards/general-support/?page=2")

    assert small == large == page_two == page_two_by_number - 1


@pytest.mark.parametrize("logged_in", [False, True])
def test_step_pages_and_the_gathered_shares_run_a_constant_number_of_queries(
    client, member, step_board_factory, support_board, topic_factory, measure, logged_in
):
    if logged_in:
        client.force_login(member)
    fill_board(
        step_board_factory(12),
        topic_factory,
        topics=1,
        replies=1,
        reader=member,
        kind=TopicKind.MESSAGE,
    )
    small = [measure("/steps/12/?kind=message"), measure("/steps/3/")]

    for board in (support_board, step_board_factory(3)):
        for kind in TopicKind.values:
            fill_board(board, topic_factory, topics=20, replies=2, reader=member, kind=kind)
    large = [measure("/steps/12/?kind=message"), measure("/steps/3/")]

    assert small == large


@pytest.mark.parametrize("logged_in", [False, True])
def test_a_topic_page_runs_a_constant_number_of_queries(
    client, member, topic_factory, measure, no_rate_limits, logged_in
):
    small_topic = topic_factory(replies=1)
    large_topic = topic_factory(
        replies=45,
        reply_authors=[MemberFactory() for _ in range(15)],
    )
    for topic in (small_topic, large_topic):
        for post in topic.posts.select_related("author")[:25]:
            for reactor in (member, MemberFactory()):
                toggle_reaction(member=reactor, post=post, kind="thank_you")
                toggle_reaction(member=reactor, post=post, kind="strength")
            if post.number % 4 == 0:
                edit_post(editor=post.author, post=post, body="Edited words.")
    if logged_in:
        client.force_login(member)

    small_first_visit = measure(f"/t/{small_topic.pk}/")
    small = measure(f"/t/{small_topic.pk}/")
    large_first_visit = measure(f"/t/{large_topic.pk}/?page=2")
    large = measure(f"/t/{large_topic.pk}/?page=2")
    large_other_page = measure(f"/t/{large_topic.pk}/")

    assert small_first_visit == large_first_visit
    assert small == large == large_other_page
