"""Unread: which topics have replies since the member's last visit, and the first unread post."""

import pytest

from tests.forum.boards.htmlcheck import parse

pytestmark = pytest.mark.django_db


def unread_links(html):
    return [a for a in parse(html).links if "unread" in (a.get("class") or "")]


def test_a_member_sees_new_replies_since_their_last_visit_and_jumps_to_the_first(
    client, member, topic_factory, post_factory
):
    topic = topic_factory(replies=2)
    client.force_login(member)
    client.get(f"/t/{topic.pk}/")

    nothing_new = client.get("/boards/general-support/").content.decode()
    first_new = post_factory(topic, body="News since you looked.")
    post_factory(topic, body="And more.")
    board = client.get("/boards/general-support/").content.decode()
    jump = client.get(f"/t/{topic.pk}/unread/")

    assert unread_links(nothing_new) == []
    assert [a["href"] for a in unread_links(board)] == [f"/t/{topic.pk}/unread/"]
    assert "2 new" in board
    assert jump["Location"] == f"/t/{topic.pk}/#post-{first_new.pk}"


def test_reading_the_topic_clears_the_unread_mark(client, member, topic_factory, post_factory):
    topic = topic_factory()
    client.force_login(member)
    client.get(f"/t/{topic.pk}/")
    post_factory(topic)

    client.get(f"/t/{topic.pk}/")
    board = client.get("/boards/general-support/").content.decode()

    assert unread_links(board) == []


def test_the_first_unread_post_can_be_on_a_later_page(client, member, topic_factory, post_factory):
    topic = topic_factory(replies=19)
    client.force_login(member)
    client.get(f"/t/{topic.pk}/")
    new = [post_factory(topic) for _ in range(3)]

    jump = client.get(f"/t/{topic.pk}/unread/")

    assert jump["Location"] == f"/t/{topic.pk}/?page=2#post-{new[0].pk}"


def test_reading_an_earlier_page_does_not_move_the_marker_back(
    client, member, topic_factory, post_factory
):
    topic = topic_factory(replies=25)
    client.force_login(member)
    client.get(f"/t/{topic.pk}/?page=2")
    client.get(f"/t/{topic.pk}/")
    post_factory(topic)

    board = client.get("/boards/general-support/").content.decode()

    assert "1 new" in board


def test_my_own_reply_is_not_unread_to_me(client, member, topic_factory):
    topic = topic_factory()
    client.force_login(member)
    client.get(f"/t/{topic.pk}/")

    client.post(f"/t/{topic.pk}/reply/", {"body": "My reply."})
    board = client.get("/boards/general-support/").content.decode()

    assert unread_links(board) == []


def test_visitors_see_no_unread_marks(client, topic_factory):
    topic_factory(replies=3)

    html = client.get("/boards/general-support/").content.decode()

    assert unread_links(html) == []
