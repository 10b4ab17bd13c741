"""A new account's first posts wait for a moderator: the author sees "waiting", others nothing."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from forum.actions.moderation import ModerationError, approve_item, reject_item
from forum.models import AuditLogEntry, Notification, NotificationKind, Post, Report, Topic
from tests.factories import general_board
from tests.forum.actions.moderation.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queue_on(settings):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "NEW_MEMBER_QUEUED_POSTS": 2}


@pytest.fixture
def newcomer(member_factory):
    return member_factory(username="BrandNew")


def reply(client, topic, body):
    cache.clear()  # the boards' posting rate limit is not what these tests are about
    return client.post(reverse("forum:reply", args=[topic.pk]), {"body": body})


def test_a_new_members_first_reply_waits_for_a_moderator(client, newcomer, member, topic):
    login(client, newcomer)

    response = reply(client, topic, "My very first words here")

    assert response.status_code == 302
    post = Post.objects.get(body="My very first words here")
    assert post.state == "pending"
    own_view = client.get(topic.get_absolute_url()).content.decode()
    assert "My very first words here" in own_view and "Waiting for a moderator" in own_view
    other = Client()
    other.force_login(member)
    assert "My very first words here" not in other.get(topic.get_absolute_url()).content.decode()
    assert "My very first words here" not in Client().get(topic.get_absolute_url()).content.decode()
    assert Report.objects.get(target_id=post.pk).reason == "needs_approval"


def test_the_waiting_reply_does_not_count_on_the_topic_until_approved(
    client, newcomer, moderator, topic
):
    login(client, newcomer)
    reply(client, topic, "Waiting words")
    topic.refresh_from_db()
    assert topic.reply_count == 0

    post = Post.objects.get(body="Waiting words")
    approve_item(moderator=moderator, kind="post", target_id=post.pk, reason="Welcome")

    topic.refresh_from_db()
    assert topic.reply_count == 1 and topic.last_post_id == post.pk
    assert "Waiting words" in Client().get(topic.get_absolute_url()).content.decode()
    assert AuditLogEntry.objects.get().action == "approve"


def test_a_new_members_topic_waits_and_is_off_the_board_for_others(client, newcomer):
    login(client, newcomer)

    client.post(
        reverse("forum:new_topic", args=["general-support"]),
        {"title": "Hello, I am new here", "body": "Glad to find you", "kind": "helping"},
    )

    topic = Topic.objects.get(title="Hello, I am new here")
    assert topic.state == "pending" and topic.posts.get().state == "pending"
    assert "Hello, I am new here" in client.get(general_board().get_absolute_url()).content.decode()
    assert "only you can see this topic" in client.get(topic.get_absolute_url()).content.decode()
    visitor = Client()
    assert (
        "Hello, I am new here"
        not in visitor.get(general_board().get_absolute_url()).content.decode()
    )
    assert visitor.get(topic.get_absolute_url()).status_code == 404


def test_after_two_approved_posts_the_third_is_published_at_once(
    client, newcomer, moderator, topic
):
    login(client, newcomer)
    for body in ("First words", "Second words"):
        reply(client, topic, body)
        approve_item(
            moderator=moderator, kind="post", target_id=Post.objects.get(body=body).pk, reason="ok"
        )

    reply(client, topic, "Third words")

    assert Post.objects.get(body="Third words").state != "pending"


def test_waiting_replies_their_author_withdrew_do_not_count_as_approved(client, newcomer, topic):
    login(client, newcomer)
    for body in ("First words", "Second words"):
        reply(client, topic, body)
        client.post(reverse("forum:post_delete", args=[Post.objects.get(body=body).pk]))

    reply(client, topic, "Third words")

    states = dict(Post.objects.filter(body__endswith="words").values_list("body", "state"))
    assert states == {
        "First words": "removed_by_author",
        "Second words": "removed_by_author",
        "Third words": "pending",
    }


def test_rejecting_keeps_the_post_from_ever_showing(client, newcomer, moderator, topic):
    login(client, newcomer)
    reply(client, topic, "Not suitable words")
    post = Post.objects.get(body="Not suitable words")

    reject_item(moderator=moderator, kind="post", target_id=post.pk, reason="Advertising")

    post.refresh_from_db()
    assert post.state == "removed_by_moderator" and post.body == ""
    assert "Not suitable words" not in Client().get(topic.get_absolute_url()).content.decode()
    assert not Report.objects.filter(status="open").exists()


def test_rejecting_a_waiting_topic_removes_it(client, newcomer, moderator):
    login(client, newcomer)
    client.post(
        reverse("forum:new_topic", args=["general-support"]),
        {"title": "Spammy new topic", "body": "Buy things", "kind": "helping"},
    )
    topic = Topic.objects.get(title="Spammy new topic")

    reject_item(moderator=moderator, kind="topic", target_id=topic.pk, reason="Spam")

    assert not Topic.objects.filter(pk=topic.pk).exists()


def test_approval_through_the_queue_page(client, newcomer, moderator_client, topic):
    login(client, newcomer)
    reply(client, topic, "Please approve me")
    post = Post.objects.get(body="Please approve me")
    queue = moderator_client.get(reverse("forum:moderation_queue")).content.decode()
    assert "Waiting for approval" in queue and "Please approve me" in queue

    moderator_client.post(
        reverse("forum:moderation_item_action", args=["post", post.pk, "approve"]),
        {"reason": "Looks fine"},
    )

    assert Post.objects.get(pk=post.pk).state != "pending"


def test_moderators_posts_never_wait(moderator, topic):
    from forum.actions.posts import create_reply

    post = create_reply(author=moderator, topic=topic, body="Moderator here")

    assert post.state != "pending"


def test_the_number_of_waiting_posts_is_a_setting(settings, client, newcomer, topic):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "NEW_MEMBER_QUEUED_POSTS": 0}
    login(client, newcomer)

    reply(client, topic, "Straight through")

    assert Post.objects.get(body="Straight through").state != "pending"


def test_approving_a_waiting_reply_tells_the_topics_author(client, newcomer, moderator, topic):
    login(client, newcomer)
    reply(client, topic, "Thank you for sharing this")
    assert not Notification.objects.filter(recipient=topic.author).exists()

    post = Post.objects.get(body="Thank you for sharing this")
    approve_item(moderator=moderator, kind="post", target_id=post.pk, reason="Welcome")

    told = Notification.objects.get(recipient=topic.author)
    assert told.kind == NotificationKind.TOPIC_REPLY and "BrandNew" in told.text


def test_approving_a_waiting_reply_notifies_the_members_it_mentions(
    client, newcomer, moderator, topic, member_factory
):
    friend = member_factory(username="QuietFriend")
    login(client, newcomer)
    reply(client, topic, "Thinking of you @QuietFriend today")
    assert not Notification.objects.filter(recipient=friend).exists()

    post = Post.objects.get(body__startswith="Thinking of you")
    approve_item(moderator=moderator, kind="post", target_id=post.pk, reason="Welcome")

    assert Notification.objects.get(recipient=friend).kind == NotificationKind.MENTION


def test_approving_a_waiting_topic_notifies_the_members_it_mentions(
    client, newcomer, moderator, member_factory
):
    friend = member_factory(username="QuietFriend")
    login(client, newcomer)
    client.post(
        reverse("forum:new_topic", args=["general-support"]),
        {"title": "Hello from a newcomer", "body": "Hi @QuietFriend", "kind": "helping"},
    )
    topic = Topic.objects.get(title="Hello from a newcomer")

    approve_item(moderator=moderator, kind="topic", target_id=topic.pk, reason="Welcome")

    assert Notification.objects.get(recipient=friend).kind == NotificationKind.MENTION


def test_approving_twice_notifies_once(client, newcomer, moderator, topic):
    login(client, newcomer)
    reply(client, topic, "Just once please")
    post = Post.objects.get(body="Just once please")
    approve_item(moderator=moderator, kind="post", target_id=post.pk, reason="Welcome")

    with pytest.raises(ModerationError):
        approve_item(moderator=moderator, kind="post", target_id=post.pk, reason="Again")

    assert Notification.objects.filter(recipient=topic.author).count() == 1
