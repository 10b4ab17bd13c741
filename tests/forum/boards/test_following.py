"""Follow a topic or a board, mute a topic, bookmark a post: private to the member."""

import json

import pytest
from django.urls import reverse

from accounts.actions.blocking import block_member
from forum.actions.notifications import set_preferences
from forum.actions.posts import create_reply
from forum.actions.topics import create_topic
from forum.models import Bookmark, NotificationKind, Post, TopicWatch, TopicWatchLevel
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(member_factory):
    return member_factory(username="QuietReader")


@pytest.fixture
def writer(seasoned_member, no_rate_limits):
    return seasoned_member


def notifications_page(client, member) -> str:
    client.force_login(member)
    return client.get("/notifications/").content.decode()


def test_following_a_topic_notifies_the_member_of_each_reply(client, reader, writer, topic_factory):
    topic = topic_factory(title="Staying the course")
    client.force_login(reader)

    page = client.get(topic.get_absolute_url()).content.decode()
    client.post(reverse("forum:topic_watch", args=[topic.pk]), {"level": "following"})
    create_reply(author=writer, topic=topic, body="Day 30 today.")

    assert "Follow" in page
    assert "You follow this topic" in client.get(topic.get_absolute_url()).content.decode()
    assert f"{writer.username} replied in “Staying the course”, a topic you follow." in (
        notifications_page(client, reader)
    )


def test_an_anonymous_reply_never_names_its_author_to_followers(
    client, reader, writer, topic_factory
):
    topic = topic_factory(title="Staying the course")
    client.force_login(reader)
    client.post(reverse("forum:topic_watch", args=[topic.pk]), {"level": "following"})

    create_reply(author=writer, topic=topic, body="Quietly here.", is_anonymous=True)

    page = notifications_page(client, reader)
    assert "A member posting anonymously replied in" in page
    assert writer.username not in page


def test_a_muted_topic_sends_nothing_not_even_a_mention_or_a_reply_to_ones_own_topic(
    client, reader, writer, topic_factory
):
    topic = topic_factory(author=reader, title="My own topic, muted")
    client.force_login(reader)
    client.post(reverse("forum:topic_watch", args=[topic.pk]), {"level": "muted"})

    create_reply(author=writer, topic=topic, body=f"Thinking of you @{reader.username}.")

    assert reader.notifications.count() == 0
    assert "You muted this topic" in client.get(topic.get_absolute_url()).content.decode()


def test_a_follower_who_switched_the_kind_off_or_blocked_the_author_hears_nothing(
    client, reader, writer, member_factory, topic_factory
):
    topic = topic_factory()
    blocker = member_factory()
    for member in (reader, blocker):
        TopicWatch.objects.create(member=member, topic=topic, level=TopicWatchLevel.FOLLOWING)
    set_preferences(
        member=reader,
        enabled_kinds=[k for k in NotificationKind.values if k != "followed_topic_reply"],
    )
    block_member(blocker=blocker, blocked=writer)

    create_reply(author=writer, topic=topic, body="Hello all.")

    assert reader.notifications.count() == 0 and blocker.notifications.count() == 0


@pytest.mark.parametrize("blocked", [False, True], ids=["not-blocked", "blocked"])
def test_a_follower_hears_of_an_anonymous_reply_whether_or_not_they_blocked_its_writer(
    reader, writer, topic_factory, blocked
):
    topic = topic_factory()
    TopicWatch.objects.create(member=reader, topic=topic, level=TopicWatchLevel.FOLLOWING)
    if blocked:
        block_member(blocker=reader, blocked=writer)

    create_reply(author=writer, topic=topic, body="Quietly here.", is_anonymous=True)

    assert reader.notifications.count() == 1


def test_following_a_board_notifies_the_member_of_each_new_topic(
    client, reader, writer, support_board
):
    client.force_login(reader)
    client.post(reverse("forum:board_follow", args=[support_board.slug]), {"follow": "1"})

    create_topic(
        author=writer, board=support_board, kind="helping", title="New here, hello", body="Hi."
    )

    board_page = client.get(support_board.get_absolute_url()).content.decode()
    assert "You follow this board" in board_page
    assert f"{writer.username} started “New here, hello” on {support_board.name}." in (
        notifications_page(client, reader)
    )
    client.post(reverse("forum:board_follow", args=[support_board.slug]), {"follow": "0"})
    assert reader.board_follows.count() == 0


def test_a_member_bookmarks_a_post_and_finds_it_in_their_private_list(
    client, reader, member_factory, topic_factory, post_factory
):
    topic = topic_factory(title="Worth keeping")
    post = post_factory(topic, body="Something I want to read again.")
    client.force_login(reader)

    client.post(reverse("forum:bookmark", args=[post.pk]), {"bookmark": "1"})
    mine = client.get("/me/bookmarks/").content.decode()
    client.force_login(member_factory())
    theirs = client.get("/me/bookmarks/").content.decode()

    assert "Worth keeping" in mine
    assert "Worth keeping" not in theirs and "No bookmarks yet" in theirs
    assert 'href="/me/bookmarks/"' in (client.get("/me/").content.decode())


def test_a_post_that_is_hidden_later_drops_out_of_bookmarks_and_a_hidden_one_cannot_be_kept(
    client, reader, topic_factory, post_factory
):
    topic = topic_factory(title="Soon hidden")
    kept = post_factory(topic)
    hidden = post_factory(topic, state="hidden")
    client.force_login(reader)
    client.post(reverse("forum:bookmark", args=[kept.pk]), {"bookmark": "1"})

    refused = client.post(reverse("forum:bookmark", args=[hidden.pk]), {"bookmark": "1"})
    Post.objects.filter(pk=kept.pk).update(state="removed_by_moderator")

    assert refused.status_code == 404
    assert "Soon hidden" not in client.get("/me/bookmarks/").content.decode()


def test_the_topic_page_shows_the_members_own_bookmark_state(
    client, reader, topic_factory, post_factory
):
    topic = topic_factory()
    post = post_factory(topic)
    Bookmark.objects.create(member=reader, post=post)
    client.force_login(reader)

    html = client.get(topic.get_absolute_url()).content.decode()

    assert html.count('aria-pressed="true">Bookmark') == 1


def test_the_export_holds_follows_mutes_bookmarks_and_drafts_and_deletion_removes_them(
    client, reader, topic_factory, post_factory, support_board
):
    topic = topic_factory()
    post = post_factory(topic)
    client.force_login(reader)
    client.post(reverse("forum:topic_watch", args=[topic.pk]), {"level": "muted"})
    client.post(reverse("forum:board_follow", args=[support_board.slug]), {"follow": "1"})
    client.post(reverse("forum:bookmark", args=[post.pk]), {"bookmark": "1"})
    client.post(reverse("forum:draft"), {"key": f"reply:{topic.pk}", "body": "half a thought"})

    data = json.loads(client.get(reverse("accounts:export")).content)
    client.post(reverse("accounts:delete"), {"password": PASSWORD})

    assert [w["level"] for w in data["topics_followed_or_muted"]] == ["muted"]
    assert data["boards_followed"][0]["board"] == support_board.slug
    assert data["bookmarks"] == [
        {"post_id": post.pk, "created_at": data["bookmarks"][0]["created_at"]}
    ]
    assert data["drafts"][0]["body"] == "half a thought"
    assert not TopicWatch.objects.exists() and not Bookmark.objects.exists()


def test_private_choices_do_not_reset_the_visitor_page_cache(client, reader, topic_factory):
    from forum.caching import content_version

    topic = topic_factory()
    client.force_login(reader)
    before = content_version()

    client.post(reverse("forum:topic_watch", args=[topic.pk]), {"level": "following"})
    client.post(reverse("forum:draft"), {"key": f"reply:{topic.pk}", "body": "typing"})

    assert content_version() == before


def test_an_unknown_watch_level_is_refused(client, reader, topic_factory):
    topic = topic_factory()
    client.force_login(reader)

    response = client.post(reverse("forum:topic_watch", args=[topic.pk]), {"level": "loud"})

    assert response.status_code == 400 and not TopicWatch.objects.exists()


def test_followers_are_told_once_per_post(client, reader, writer, topic_factory):
    topic = topic_factory(author=reader)
    TopicWatch.objects.create(member=reader, topic=topic, level=TopicWatchLevel.FOLLOWING)

    create_reply(author=writer, topic=topic, body=f"Hello @{reader.username}")

    assert reader.notifications.count() == 1
