"""A member whose writing is hidden or held is told why, privately, in the group's words."""

import pytest
from django.test import Client

from forum.actions.moderation import hide_item, report_item, unhide_item
from forum.models import Notification, NotificationKind
from tests.factories import make_message, make_post, make_room

pytestmark = pytest.mark.django_db


def notices(member):
    return list(
        Notification.objects.filter(recipient=member, kind=NotificationKind.MODERATION_NOTICE)
    )


def test_a_member_whose_post_is_hidden_is_told_why_in_our_words(member_factory, moderator, topic):
    writer = member_factory(username="Writer")
    post = make_post(topic, author=writer, body="Buy my course")
    report_item(reporter=member_factory(), kind="post", target_id=post.pk, reason="spam")

    hide_item(moderator=moderator, kind="post", target_id=post.pk, reason="Spam link, mod note")

    (notice,) = notices(writer)
    assert "hid a post you wrote, because it looked like advertising or spam" in notice.text
    assert "Spam link, mod note" not in notice.text


def test_the_notice_never_names_the_reporter(member_factory, moderator, topic):
    writer = member_factory(username="Writer")
    post = make_post(topic, author=writer)
    report_item(
        reporter=member_factory(username="SharpEyes"),
        kind="post",
        target_id=post.pk,
        reason="harassment",
    )

    hide_item(moderator=moderator, kind="post", target_id=post.pk, reason="Unkind")

    assert "SharpEyes" not in notices(writer)[0].text
    assert "may hurt or single out someone" in notices(writer)[0].text


def test_nobody_but_the_author_is_told(member_factory, moderator, topic, member):
    writer = member_factory(username="Writer")
    post = make_post(topic, author=writer)

    hide_item(moderator=moderator, kind="post", target_id=post.pk, reason="Off")

    assert not notices(member) and not notices(topic.author)
    assert len(notices(writer)) == 1


def test_hiding_what_is_already_hidden_tells_the_author_only_once(member_factory, moderator, topic):
    writer = member_factory(username="Writer")
    post = make_post(topic, author=writer)
    hide_item(moderator=moderator, kind="post", target_id=post.pk, reason="Off")

    hide_item(moderator=moderator, kind="post", target_id=post.pk, reason="Again")

    assert len(notices(writer)) == 1


def test_a_member_whose_chat_message_is_hidden_is_told(member_factory, moderator):
    writer = member_factory(username="Writer")
    message = make_message(make_room(), writer)

    hide_item(moderator=moderator, kind="chat_message", target_id=message.pk, reason="No")

    assert "hid a chat message you wrote" in notices(writer)[0].text


def test_a_member_whose_post_is_held_after_reports_is_told_it_waits_for_review(
    settings, member_factory, topic
):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "REPORT_HIDE_THRESHOLD": 1}
    writer = member_factory(username="Writer")
    post = make_post(topic, author=writer)

    report_item(reporter=member_factory(), kind="post", target_id=post.pk, reason="other")

    (notice,) = notices(writer)
    assert "out of sight until a moderator reviews it" in notice.text


def test_showing_it_again_tells_the_author(member_factory, moderator, topic):
    writer = member_factory(username="Writer")
    post = make_post(topic, author=writer)
    hide_item(moderator=moderator, kind="post", target_id=post.pk, reason="Off")

    unhide_item(moderator=moderator, kind="post", target_id=post.pk, reason="Fine after all")

    assert "is back for everyone" in notices(writer)[0].text  # newest first


def test_the_notice_is_on_the_authors_notifications_page_only(
    member_factory, moderator, topic, member
):
    writer = member_factory(username="Writer")
    post = make_post(topic, author=writer)
    hide_item(moderator=moderator, kind="post", target_id=post.pk, reason="Off")

    own, other = Client(), Client()
    own.force_login(writer)
    other.force_login(member)
    assert "hid a post you wrote" in own.get("/notifications/").content.decode()
    assert "hid a post you wrote" not in other.get("/notifications/").content.decode()
