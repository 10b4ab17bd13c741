"""Latest and Unread: topics with new activity on the boards the viewer may read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.actions.following import set_topic_watch
from forum.actions.reading import mark_topic_read
from forum.models import TopicWatchLevel
from tests.factories import MemberFactory
from tests.forum.boards.htmlcheck import link_texts

pytestmark = pytest.mark.django_db


def titles(html: str) -> list[str]:
    return link_texts(html, r"/t/\d+/")


def test_latest_lists_topics_of_every_board_newest_activity_first(
    client, topic_factory, post_factory, support_board, step_board_factory
):
    older = topic_factory(support_board, title="An older topic here")
    topic_factory(step_board_factory(4), title="Inventory worries")
    post_factory(older, body="A fresh reply lifts it to the top.")

    html = client.get("/latest/").content.decode()

    assert titles(html)[:2] == ["An older topic here", "Inventory worries"]
    assert "Step 4" in html  # the board of each topic is named


def test_a_visitor_does_not_see_topics_of_members_only_boards(
    client, member, topic_factory, members_only_board, support_board
):
    topic_factory(members_only_board, title="Starting again quietly")
    topic_factory(support_board, title="Open to everyone")

    as_visitor = titles(client.get("/latest/").content.decode())
    client.force_login(member)
    as_member = titles(client.get("/latest/").content.decode())

    assert as_visitor == ["Open to everyone"]
    assert set(as_member) == {"Starting again quietly", "Open to everyone"}


def test_a_member_sees_how_many_posts_are_new_and_a_muted_topic_drops_out(
    client, member, topic_factory, post_factory
):
    read = topic_factory(title="Read then replied to")
    mark_topic_read(member=member, topic=read, up_to_number=1)
    post_factory(read)
    post_factory(read)
    muted = topic_factory(title="Muted by this member")
    set_topic_watch(member=member, topic=muted, level=TopicWatchLevel.MUTED)
    client.force_login(member)

    html = client.get("/latest/").content.decode()
    unread = client.get("/unread/").content.decode()

    assert "2 new" in html
    assert "Muted by this member" not in html and "Muted by this member" not in unread
    assert "Read then replied to" in unread


def test_unread_lists_only_topics_with_posts_after_the_members_place(
    client, member, topic_factory, post_factory
):
    caught_up = topic_factory(title="All read already")
    mark_topic_read(member=member, topic=caught_up, up_to_number=1)
    behind = topic_factory(title="Something new here")
    mark_topic_read(member=member, topic=behind, up_to_number=1)
    post_factory(behind)
    topic_factory(title="Never opened at all")
    client.force_login(member)

    html = client.get("/unread/").content.decode()

    assert titles(html) == ["Something new here"]
    assert link_texts(html, r"/t/\d+/unread/") == ["1 new in Something new here"]


def test_unread_asks_a_visitor_to_log_in(client):
    response = client.get("/unread/")

    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_home_page_shows_a_latest_section(client, topic_factory):
    topic_factory(title="Hello from a newcomer")

    html = client.get("/").content.decode()

    assert 'id="latest-heading"' in html
    assert "Hello from a newcomer" in html


def test_latest_is_paged(client, topic_factory, settings):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "TOPICS_PER_PAGE": 3}
    for n in range(7):
        topic_factory(title=f"Paged topic {n}")

    first = titles(client.get("/latest/").content.decode())
    third = titles(client.get("/latest/?page=3").content.decode())

    assert first == ["Paged topic 6", "Paged topic 5", "Paged topic 4"]
    assert third == ["Paged topic 0"]
    assert client.get("/latest/?page=9").status_code == 404


# A member's home also shows their step, workbook, mentor, step board and live rooms (issue 12).
@pytest.mark.parametrize(("url", "budget"), [("/latest/", 8), ("/unread/", 8), ("/", 12)])
def test_latest_pages_run_a_constant_number_of_queries(
    client, member, topic_factory, post_factory, url, budget, django_assert_max_num_queries
):
    client.force_login(member)

    def fill(count: int) -> None:
        for n in range(count):
            topic = topic_factory(title=f"Busy topic {n:03d}", replies=2)
            mark_topic_read(member=member, topic=topic, up_to_number=1)
            post_factory(topic, author=MemberFactory())

    def measure() -> int:
        client.get("/steps/")  # warm the header's cached state
        with django_assert_max_num_queries(budget), CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    fill(2)
    small = measure()
    fill(40)
    large = measure()

    assert small == large
