"""Search filters, pages past the first 50 results, and titles that outlive their opening post."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from forum.models import Post, TopicKind
from forum.selectors.search import PAGE_SIZE
from tests.forum.boards.htmlcheck import link_texts

pytestmark = pytest.mark.django_db


def post_titles(client, **params) -> list[str]:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return link_texts(response.content.decode(), r"/p/\d+/")


def test_results_narrow_to_a_board_or_step_and_to_a_kind(
    client, topic_factory, support_board, step_board_factory
):
    topic_factory(support_board, title="Support serenity", body="serenity")
    topic_factory(step_board_factory(3), title="Step serenity", body="serenity")
    topic_factory(
        step_board_factory(3), kind=TopicKind.MESSAGE, title="Shared serenity", body="serenity"
    )

    on_step_3 = post_titles(client, q="serenity", board=step_board_factory(3).slug)
    shares = post_titles(client, q="serenity", kind="message")

    assert sorted(on_step_3) == ["Shared serenity", "Step serenity"]
    assert shares == ["Shared serenity"]


def test_results_narrow_to_a_date_range(client, topic_factory):
    now = timezone.now()
    topic_factory(title="Old serenity", body="serenity", created_at=now - timedelta(days=40))
    topic_factory(title="New serenity", body="serenity", created_at=now)

    recent = post_titles(client, q="serenity", since=(now - timedelta(days=7)).date().isoformat())
    older = post_titles(client, q="serenity", until=(now - timedelta(days=30)).date().isoformat())

    assert recent == ["New serenity"] and older == ["Old serenity"]


def test_an_impossible_date_range_says_so(client):
    response = client.get("/search/", {"q": "x", "since": "2026-05-02", "until": "2026-05-01"})

    assert response.status_code == 400
    assert "The end date comes before the start date." in response.content.decode()


def test_the_author_filter_never_reveals_who_wrote_an_anonymous_post(
    client, member_factory, topic_factory
):
    author = member_factory(username="OpenWriter")
    topic_factory(author=author, title="Signed serenity", body="serenity")
    topic_factory(author=author, title="Unsigned serenity", body="serenity", is_anonymous=True)

    as_visitor = post_titles(client, q="serenity", author="openwriter")
    client.force_login(author)
    as_author = post_titles(client, q="serenity", author="OpenWriter")

    assert as_visitor == ["Signed serenity"]
    assert sorted(as_author) == ["Signed serenity", "Unsigned serenity"]


def test_results_go_on_past_fifty_in_pages(client, topic_factory, post_factory):
    topic = topic_factory(title="Many replies", body="nothing")
    total = 55
    for n in range(total):
        post_factory(topic, body=f"gratitude number {n}")

    pages = []
    number = 1
    while True:
        response = client.get("/search/", {"q": "gratitude", "page": number})
        html = response.content.decode()
        pages.append(link_texts(html, r"/p/\d+/"))
        if 'rel="next"' not in html:
            break
        number += 1

    assert [len(p) for p in pages] == [PAGE_SIZE, PAGE_SIZE, total - 2 * PAGE_SIZE]
    assert client.get("/search/", {"q": "gratitude", "page": 1000}).status_code == 404


def test_a_topic_stays_findable_by_its_title_when_its_opening_post_is_removed(
    client, topic_factory
):
    topic = topic_factory(title="Lanterns in the evening", body="The opening words.")
    Post.objects.filter(topic=topic, number=1).update(state="removed_by_author")

    html = client.get("/search/", {"q": "lanterns"}).content.decode()

    assert link_texts(html, r"/t/\d+/") == ["Lanterns in the evening"]
    assert link_texts(html, r"/p/\d+/") == []
    assert "The opening words" not in html


def test_a_hidden_topics_title_is_not_found(client, topic_factory):
    topic_factory(title="Lanterns hidden away", body="words")
    from forum.models import Topic

    Topic.objects.update(state="hidden")

    html = client.get("/search/", {"q": "lanterns"}).content.decode()

    assert link_texts(html, r"/t/\d+/") == []


def test_a_title_edit_is_found_from_the_topics_own_index_on_postgresql(
    client, seasoned_member, support_board
):
    if connection.vendor != "postgresql":
        pytest.skip("the title's own vector exists on PostgreSQL only")
    from forum.actions.posts import edit_post
    from forum.actions.topics import create_topic

    topic = create_topic(
        author=seasoned_member, board=support_board, kind="helping", title="First words", body="x"
    )
    edit_post(editor=seasoned_member, post=topic.posts.get(), body="x", title="Harbour lights")
    Post.objects.filter(topic=topic).update(state="removed_by_author")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'forum_topic' "
            "AND indexname = 'forum_topic_search_gin'"
        )
        (indexdef,) = cursor.fetchone()

    html = client.get("/search/", {"q": "harbour"}).content.decode()

    assert "USING gin (search_vector)" in indexdef
    assert link_texts(html, r"/t/\d+/") == ["Harbour lights"]
