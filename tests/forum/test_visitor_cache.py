"""Visitors get cached public pages, never stale: every change to public content renews them."""

import pytest
from django.urls import reverse

from accounts.actions.deletion import delete_account
from forum.actions.moderation import hide_item
from forum.actions.posts import create_reply
from forum.actions.reactions import toggle_reaction
from forum.actions.topics import create_topic
from forum.models import Board, ReactionKind
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def visitor_cache_on(settings):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "VISITOR_PAGE_CACHE_SECONDS": 60}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the block registers with on_commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def topic(member_factory):
    author = member_factory(username="Opener")
    board = Board.objects.get(slug="general-support")
    return create_topic(
        author=author, board=board, kind="helping", title="Evenings are hard", body="First words"
    )


def test_a_repeat_visit_is_served_without_touching_the_database(
    client, topic, django_assert_num_queries
):
    first = client.get(topic.get_absolute_url())

    with django_assert_num_queries(0):
        again = client.get(topic.get_absolute_url())

    assert again.content == first.content


def test_a_new_reply_shows_to_visitors_at_once(client, topic, member_factory, committed):
    client.get(topic.get_absolute_url())

    with committed():
        create_reply(author=member_factory(), topic=topic, body="You are not alone tonight")

    assert "You are not alone tonight" in client.get(topic.get_absolute_url()).content.decode()


def test_a_reply_through_the_site_renews_the_page_for_visitors(client, topic, member_factory):
    visitor = client.__class__()
    visitor.get(topic.get_absolute_url())
    replier = member_factory()
    client.force_login(replier)

    response = client.post(reverse("forum:reply", args=[topic.pk]), {"body": "Sending strength"})

    assert response.status_code == 302
    assert "Sending strength" in visitor.get(topic.get_absolute_url()).content.decode()


def test_a_hidden_post_disappears_for_visitors_at_once(client, topic, member_factory, committed):
    with committed():
        reply = create_reply(author=member_factory(), topic=topic, body="my phone is 555 0100")
    assert "555 0100" in client.get(topic.get_absolute_url()).content.decode()
    moderator = member_factory(is_superuser=True)

    with committed():
        hide_item(
            moderator=moderator, kind="post", target_id=reply.pk, reason="personal information"
        )

    assert "555 0100" not in client.get(topic.get_absolute_url()).content.decode()


def test_reactions_and_account_deletion_renew_the_page(client, topic, member_factory, committed):
    reader = member_factory()
    before = client.get(topic.get_absolute_url()).content

    with committed():
        toggle_reaction(member=reader, post=topic.posts.get(), kind=ReactionKind.THANK_YOU)
    assert client.get(topic.get_absolute_url()).content != before

    with committed():
        delete_account(member=topic.author, password=PASSWORD)
    assert "former member" in client.get(topic.get_absolute_url()).content.decode().lower()


def test_members_always_get_a_fresh_page_of_their_own(client, topic, member):
    client.get(topic.get_absolute_url())
    client.force_login(member)

    html = client.get(topic.get_absolute_url()).content.decode()

    assert member.username in html


def test_a_release_that_prints_pages_differently_reads_none_of_the_pages_cached_before(
    client, topic, next_release
):
    client.get(topic.get_absolute_url())
    next_release()

    assert "<!-- the next release -->" in client.get(topic.get_absolute_url()).content.decode()
