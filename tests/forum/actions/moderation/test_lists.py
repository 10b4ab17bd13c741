"""Watched words in each place: topic titles, posts, chat messages; and the management page."""

import pytest
from channels.db import database_sync_to_async
from django.core.cache import cache
from django.urls import reverse

from forum.models import AuditLogEntry, ChatMessage, Post, Report, Topic, WatchedWord
from tests.factories import make_room
from tests.forum.actions.moderation.conftest import login
from tests.sockets import connect, next_frame

WORDS = reverse("forum:moderation_words")


@pytest.fixture
def watched(db):
    WatchedWord.objects.create(word="casino", mode=WatchedWord.Mode.BLOCK)
    WatchedWord.objects.create(word="dealer", mode=WatchedWord.Mode.REVIEW)


def new_topic(client, title, body):
    return client.post(
        reverse("forum:new_topic", args=["general-support"]),
        {"title": title, "body": body, "kind": "helping"},
    )


@pytest.mark.django_db
def test_a_blocked_word_in_a_title_is_refused_naming_the_rule(client, member, watched):
    login(client, member)

    response = new_topic(client, "Best CASINO tips", "Nothing else")

    assert response.status_code == 400
    assert "\u201ccasino\u201d" in response.content.decode()
    assert not Topic.objects.exists()


@pytest.mark.django_db
def test_a_blocked_word_in_a_reply_is_refused_and_nothing_is_stored(client, member, topic, watched):
    login(client, member)

    response = client.post(reverse("forum:reply", args=[topic.pk]), {"body": "Visit my casino."})

    assert response.status_code == 400
    assert "blocked words" in response.content.decode()
    assert not Post.objects.filter(body__icontains="casino").exists()


@pytest.mark.django_db
def test_a_blocked_word_in_an_edit_is_refused(client, topic, watched):
    login(client, topic.author)
    post = topic.posts.get()

    response = client.post(
        reverse("forum:post_edit", args=[post.pk]), {"body": "casino time", "title": topic.title}
    )

    assert response.status_code == 400
    assert Post.objects.get(pk=post.pk).body == "Writing it down helps."


@pytest.mark.django_db
def test_a_word_containing_a_blocked_word_is_fine(client, member, topic, watched):
    login(client, member)

    response = client.post(
        reverse("forum:reply", args=[topic.pk]), {"body": "The casinos ruined me."}
    )

    assert response.status_code == 302


@pytest.mark.django_db
def test_a_review_word_in_a_reply_waits_for_approval(
    client, member, member_factory, topic, watched
):
    login(client, member)

    client.post(reverse("forum:reply", args=[topic.pk]), {"body": "I called my Dealer today"})

    post = Post.objects.get(body="I called my Dealer today")
    assert post.state == "pending"
    report = Report.objects.get(target_kind="post", target_id=post.pk)
    assert report.reason == "needs_approval" and "dealer" in report.note
    other = member_factory()
    login(client, other)
    assert "I called my Dealer today" not in client.get(topic.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_review_word_in_a_title_holds_the_whole_topic(client, member, watched):
    login(client, member)

    new_topic(client, "My old dealer called", "What do I do")

    assert Topic.objects.get().state == "pending"


@pytest.mark.django_db
def test_a_review_word_added_by_an_edit_holds_the_post_until_reviewed(
    client, member, topic, watched
):
    login(client, topic.author)
    post = topic.posts.get()

    client.post(
        reverse("forum:post_edit", args=[post.pk]),
        {"body": "my dealer again", "title": topic.title},
    )

    post.refresh_from_db()
    assert post.state == "held"
    login(client, member)
    assert (
        "hidden until a moderator reviews it"
        in client.get(topic.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_a_blocked_word_in_a_chat_message_over_http_is_refused(client, member, watched):
    room = make_room()
    login(client, member)

    response = client.post(
        reverse("forum:chat_send", args=[room.slug]), {"body": "casino night!"}, follow=True
    )

    assert "casino" in response.content.decode()
    assert not ChatMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
async def test_a_blocked_word_in_a_chat_message_over_the_socket_is_refused(member_factory):
    await database_sync_to_async(lambda: WatchedWord.objects.create(word="casino", mode="block"))()
    writer = await database_sync_to_async(member_factory)()
    room = await database_sync_to_async(make_room)()
    socket = await connect(writer, f"/ws/chat/{room.slug}/")
    await next_frame(socket, "presence")

    await socket.send_json_to({"type": "message", "body": "Casino tonight", "client_id": "c1"})

    error = await next_frame(socket, "error")
    assert error["code"] == "blocked" and "\u201ccasino\u201d" in error["message"]
    assert not await database_sync_to_async(ChatMessage.objects.exists)()
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_review_word_in_chat_is_held_and_others_never_see_it(member_factory):
    await database_sync_to_async(lambda: WatchedWord.objects.create(word="dealer", mode="review"))()
    writer = await database_sync_to_async(member_factory)()
    reader = await database_sync_to_async(member_factory)()
    room = await database_sync_to_async(make_room)()
    listening = await connect(reader, f"/ws/chat/{room.slug}/")
    await next_frame(listening, "presence")
    socket = await connect(writer, f"/ws/chat/{room.slug}/")
    await next_frame(socket, "presence")

    await socket.send_json_to(
        {"type": "message", "body": "my dealer is outside", "client_id": "c1"}
    )

    error = await next_frame(socket, "error")
    assert error["code"] == "held_for_review"
    message = await database_sync_to_async(ChatMessage.objects.get)()
    assert message.is_hidden
    await socket.send_json_to({"type": "message", "body": "an ordinary message", "client_id": "c2"})
    frame = await next_frame(listening, "message")
    assert frame["body"] == "an ordinary message"
    await socket.disconnect()
    await listening.disconnect()


@pytest.mark.django_db
def test_approving_a_held_chat_message_publishes_it(client, member, moderator, watched):
    from forum.actions.chat import send_message
    from forum.actions.moderation import approve_item

    room = make_room()
    with pytest.raises(Exception, match="waiting for a moderator"):
        send_message(member=member, room=room, body="the dealer rang")
    message = ChatMessage.objects.get()

    approve_item(moderator=moderator, kind="chat_message", target_id=message.pk, reason="Harmless")

    login(client, moderator)
    assert "the dealer rang" in client.get(room.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_moderators_manage_the_list_and_each_change_is_logged(moderator_client):
    response = moderator_client.post(WORDS, {"word": "  Pyramid   scheme ", "mode": "block"})
    assert response.status_code == 302
    word = WatchedWord.objects.get()
    assert word.word == "Pyramid scheme"
    assert "Pyramid scheme" in moderator_client.get(WORDS).content.decode()

    moderator_client.post(reverse("forum:moderation_word_delete", args=[word.pk]))

    assert not WatchedWord.objects.exists()
    assert list(AuditLogEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "add_watched_word",
        "remove_watched_word",
    ]


@pytest.mark.django_db
def test_a_new_word_applies_at_once(moderator_client, client, member, topic):
    login(client, member)
    client.post(reverse("forum:reply", args=[topic.pk]), {"body": "first harmless reply"})
    moderator_client.post(WORDS, {"word": "harmless", "mode": "block"})
    cache.delete(f"ratelimit:post:{member.pk}")

    response = client.post(
        reverse("forum:reply", args=[topic.pk]), {"body": "another harmless reply"}
    )

    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"word": "", "mode": "block"},
        {"word": "!!!", "mode": "block"},
        {"word": "x", "mode": "maybe"},
        {"word": "w" * 101, "mode": "review"},
    ],
)
def test_bad_words_are_refused(moderator_client, data):
    response = moderator_client.post(WORDS, data)

    assert response.status_code == 400
    assert not WatchedWord.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_word_in_another_case_is_refused(moderator_client):
    moderator_client.post(WORDS, {"word": "Spam", "mode": "block"})

    response = moderator_client.post(WORDS, {"word": "SPAM", "mode": "review"})

    assert response.status_code == 400
    assert "already on the list" in response.content.decode()


@pytest.mark.django_db
def test_members_cannot_see_or_change_the_list(client, member):
    login(client, member)

    assert client.get(WORDS).status_code == 403
    assert client.post(WORDS, {"word": "x", "mode": "block"}).status_code == 403
    assert not WatchedWord.objects.exists()


# One test per branch of the list checks ------------------------------------------------------


def test_an_empty_word_is_refused(moderator):
    from forum.actions.moderation import ModerationError, add_watched_word

    with pytest.raises(ModerationError, match="Please write the word"):
        add_watched_word(moderator=moderator, word="  ", mode="review")


def test_a_word_longer_than_100_characters_is_refused(moderator):
    from forum.actions.moderation import ModerationError, add_watched_word

    with pytest.raises(ModerationError, match="100 characters"):
        add_watched_word(moderator=moderator, word="w" * 101, mode="review")


def test_a_word_without_a_letter_or_digit_is_refused(moderator):
    from forum.actions.moderation import ModerationError, add_watched_word

    with pytest.raises(ModerationError, match="at least one letter or digit"):
        add_watched_word(moderator=moderator, word="!!!", mode="review")


def test_a_word_with_an_unknown_mode_is_refused(moderator):
    from forum.actions.moderation import ModerationError, add_watched_word

    with pytest.raises(ModerationError, match="Choose block or review"):
        add_watched_word(moderator=moderator, word="pills", mode="shout")


def test_removing_an_unknown_word_is_not_found(moderator):
    from forum.actions.moderation import ItemNotFound, remove_watched_word

    with pytest.raises(ItemNotFound):
        remove_watched_word(moderator=moderator, word_id=999999)


def test_removing_an_unknown_crisis_phrase_is_not_found(moderator):
    from forum.actions.moderation import ItemNotFound, remove_crisis_phrase

    with pytest.raises(ItemNotFound):
        remove_crisis_phrase(moderator=moderator, phrase_id=999999)
