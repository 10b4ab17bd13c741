"""Search: titles and posts the viewer may see, nothing hidden, removed or private."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.models import Post, Topic, TopicKind
from forum.selectors.search import search as run_search
from tests.forum.boards.htmlcheck import parse

pytestmark = pytest.mark.django_db


def result_links(html):
    return [a["href"] for a in parse(html).links if a.get("href", "").startswith("/p/")]


def search(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_posts_and_titles(client, topic_factory, post_factory):
    by_title = topic_factory(title="Gratitude lists every evening", body="It helps me.")
    by_body = topic_factory(title="Evenings", body="I keep a gratitude journal by my bed.")
    reply = post_factory(topic_factory(title="Other"), body="My gratitude practice is small.")
    topic_factory(title="Nothing related", body="Weather talk.")

    html = search(client, "gratitude")

    assert set(result_links(html)) == {
        f"/p/{by_title.posts.get().pk}/",
        f"/p/{by_body.posts.get().pk}/",
        f"/p/{reply.pk}/",
    }


def test_search_highlights_the_match_and_escapes_everything_else(client, topic_factory):
    topic_factory(body="Before <b>bold</b> the sponsorship word after.")

    html = search(client, "sponsorship")

    tags = parse(html).tags
    assert "<mark>sponsorship</mark>" in html
    assert "bold" in html
    assert "b" not in tags  # escaped (SQLite) or dropped as markup by ts_headline (PostgreSQL)


def test_hidden_removed_and_pending_posts_never_appear(client, member, topic_factory, post_factory):
    topic = topic_factory(title="Plain title here", body="visible serenity")
    hidden = post_factory(topic, body="hidden serenity")
    removed = post_factory(topic, body="removed serenity")
    pending = post_factory(topic, body="pending serenity")
    Post.objects.filter(pk=hidden.pk).update(state="hidden")
    Post.objects.filter(pk=removed.pk).update(state="removed_by_author")
    Post.objects.filter(pk=pending.pk).update(state="pending")
    hidden_topic = topic_factory(title="Hidden topic serenity", body="serenity inside")
    Topic.objects.filter(pk=hidden_topic.pk).update(state="hidden")
    client.force_login(member)

    html = search(client, "serenity")

    assert result_links(html) == [f"/p/{topic.posts.get(number=1).pk}/"]
    assert "Hidden topic" not in html


def test_members_only_boards_are_not_searchable_by_visitors(
    client, member, members_only_board, topic_factory
):
    private = topic_factory(members_only_board, title="After my relapse", body="relapse story")

    as_visitor = search(client, "relapse")
    client.force_login(member)
    as_member = search(client, "relapse")

    assert result_links(as_visitor) == []
    assert result_links(as_member) == [f"/p/{private.posts.get().pk}/"]


def test_anonymous_authors_stay_anonymous_in_results(client, member_factory, topic_factory):
    topic_factory(author=member_factory(username="HiddenName"), is_anonymous=True, body="honesty")

    html = search(client, "honesty")

    assert "Anonymous member" in html
    assert "HiddenName" not in html


def test_results_show_the_kind(client, topic_factory):
    topic_factory(kind=TopicKind.MESSAGE, body="willingness came slowly")

    html = search(client, "willingness")

    assert "Carrying the message" in html


@pytest.mark.parametrize("q", ["", "   ", "x" * 5000, "' OR 1=1 --", "&|!:*()"])
def test_odd_queries_are_handled(client, topic_factory, q):
    topic_factory()

    assert client.get("/search/", {"q": q}).status_code == 200


def test_a_query_with_a_nul_byte_is_a_bad_request(client):
    """No address may carry a NUL (config/middleware.py), the search box included."""
    assert client.get("/search/", {"q": "a\x00b"}).status_code == 400


def test_postgres_search_ranks_title_matches_first(client, topic_factory):
    if connection.vendor != "postgresql":
        pytest.skip("full-text ranking runs on PostgreSQL")
    topic_factory(title="Something else", body="amends came up")
    title_match = topic_factory(title="Amends to my father", body="It went well.")

    html = search(client, "amends")

    assert result_links(html)[0] == f"/p/{title_match.posts.get().pk}/"


def test_postgres_search_finds_posts_through_the_gin_index(member, topic_factory):
    """The index holds each post's vector and its block of ids (migration 0018); the search's
    query reads the newest blocks through it."""
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL only")
    topic_factory(body="hope again")
    with CaptureQueriesContext(connection) as queries:
        run_search("hope", member)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'forum_post' "
            "AND indexname = 'forum_post_search_recent'"
        )
        (indexdef,) = cursor.fetchone()
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(f"EXPLAIN {queries.captured_queries[0]['sql']}")
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")

    assert "USING gin (((search_vector || array_to_tsvector(" in indexdef
    assert "Bitmap Index Scan on forum_post_search_recent" in plan


def test_result_pages_list_every_match_once_best_ranked_first(client, topic_factory, post_factory):
    topic = topic_factory(title="Serenity prayer", body="The serenity prayer, serenity at last.")
    replies = [post_factory(topic, body=f"Reply {n} about serenity.") for n in range(24)]

    first = result_links(search(client, "serenity"))
    second_response = client.get("/search/", {"q": "serenity", "page": 2})
    second = result_links(second_response.content.decode())

    assert len(first) == 20
    assert len(second) == 5
    assert set(first) | set(second) == {f"/p/{p.pk}/" for p in [topic.posts.first(), *replies]}
    if connection.vendor == "postgresql":
        assert first[0] == f"/p/{topic.posts.first().pk}/"  # the title and the most matches
