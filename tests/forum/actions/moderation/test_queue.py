"""The review queue: grouped by item, at-risk first then oldest, with context; moderators only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.actions.moderation import report_item
from forum.models import Report
from tests.factories import (
    make_message,
    make_post,
    make_private_room,
    make_room,
    make_topic,
)
from tests.forum.actions.moderation.conftest import login

pytestmark = pytest.mark.django_db
QUEUE = reverse("forum:moderation_queue")


def aged(report: Report, minutes: int) -> Report:
    Report.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )
    return report


def test_reports_about_one_item_are_grouped_with_every_reason(
    moderator_client, member_factory, topic
):
    reply = make_post(topic, body="Reported words")
    report_item(
        reporter=member_factory(), kind="post", target_id=reply.pk, reason="spam", note="Link farm"
    )
    report_item(reporter=member_factory(), kind="post", target_id=reply.pk, reason="off_topic")

    page = moderator_client.get(QUEUE).content.decode()

    assert page.count(f"Post #{reply.pk}<") == 1
    assert "2 open reports from 2 members" in page
    assert "Spam" in page and "Off-topic" in page and "Link farm" in page
    assert "Reported words" in page and topic.title in page


def test_at_risk_comes_first_then_oldest_first(moderator_client, member_factory, topic):
    old = make_post(topic, body="old one")
    newer = make_post(topic, body="newer one")
    risky = make_post(topic, body="at risk one")
    aged(report_item(reporter=member_factory(), kind="post", target_id=newer.pk, reason="spam"), 10)
    aged(report_item(reporter=member_factory(), kind="post", target_id=old.pk, reason="spam"), 60)
    aged(
        report_item(
            reporter=member_factory(), kind="post", target_id=risky.pk, reason="member_at_risk"
        ),
        1,
    )

    page = moderator_client.get(QUEUE).content.decode()

    positions = [page.index(f"Post #{p.pk}<") for p in (risky, old, newer)]
    assert positions == sorted(positions)
    assert "Member at risk" in page[: positions[1]]


def test_a_reported_chat_message_shows_with_the_messages_around_it(
    moderator_client, member_factory
):
    room = make_room()
    writer = member_factory()
    before = [make_message(room, writer, body=f"before {n}") for n in range(7)]
    reported = make_message(room, writer, body="the reported one")
    after = [make_message(room, writer, body=f"after {n}") for n in range(7)]
    report_item(
        reporter=member_factory(), kind="chat_message", target_id=reported.pk, reason="harassment"
    )

    page = moderator_client.get(QUEUE).content.decode()

    assert "the reported one" in page
    assert "before 6" in page and "after 0" in page
    assert "before 0" not in page and "after 6" not in page
    assert before and after


def test_a_private_room_message_reaches_moderators_only_through_a_report(
    moderator_client, member_factory
):
    room = make_private_room()
    first = make_message(room, room.mentorship.mentor, body="private words")
    second = make_message(room, room.mentorship.mentee, body="the reported private words")
    item_url = reverse("forum:moderation_item", args=["chat_message", first.pk])

    assert moderator_client.get(item_url).status_code == 404
    assert moderator_client.get(room.get_absolute_url()).status_code == 404

    report_item(
        reporter=room.mentorship.mentor,
        kind="chat_message",
        target_id=second.pk,
        reason="member_at_risk",
    )

    page = moderator_client.get(QUEUE).content.decode()
    assert "the reported private words" in page and "private words" in page
    assert "a private mentorship room" in page
    assert moderator_client.get(room.get_absolute_url()).status_code == 404


def test_the_item_page_shows_open_reports_and_actions(moderator_client, member, opening_post):
    report_item(reporter=member, kind="post", target_id=opening_post.pk, reason="personal_info")

    page = moderator_client.get(
        reverse("forum:moderation_item", args=["post", opening_post.pk])
    ).content.decode()

    assert "Personal information about someone" in page
    for label in (
        "Dismiss",
        "Hide",
        "Delete",
        "Edit",
        "Lock the topic",
        "Pin the topic",
        "Move the topic",
        "Warn",
        "Mute in chat",
        "Suspend",
        "Ban",
    ):
        assert label in page


def test_the_queue_never_shows_an_email_or_ip_address(moderator_client, member_factory, topic):
    reporter = member_factory(email="reporter@example.org")
    topic.author.email = "author@example.org"
    topic.author.save()
    report_item(reporter=reporter, kind="topic", target_id=topic.pk, reason="spam")
    report_item(
        reporter=reporter, kind="member", target_id=topic.author.pk, reason="member_at_risk"
    )

    pages = [
        moderator_client.get(QUEUE),
        moderator_client.get(reverse("forum:moderation_item", args=["member", topic.author.pk])),
        moderator_client.get(reverse("forum:moderation_member", args=[topic.author.pk])),
        moderator_client.get(reverse("forum:moderation_log")),
    ]
    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200
        assert "@example.org" not in body
        assert "127.0.0.1" not in body


def test_the_queue_runs_a_constant_number_of_queries(
    moderator_client, member_factory, django_assert_max_num_queries
):
    def seed(n):
        room = make_room()
        for _ in range(n):
            topic = make_topic()
            reply = make_post(topic)
            message = make_message(room, member_factory())
            reporter = member_factory()
            report_item(reporter=reporter, kind="post", target_id=reply.pk, reason="spam")
            report_item(reporter=reporter, kind="topic", target_id=topic.pk, reason="spam")
            report_item(reporter=reporter, kind="chat_message", target_id=message.pk, reason="spam")
            report_item(reporter=reporter, kind="member", target_id=topic.author.pk, reason="other")

    seed(2)
    with django_assert_max_num_queries(16) as small:
        moderator_client.get(QUEUE)
    seed(4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert moderator_client.get(QUEUE).status_code == 200


def test_members_are_refused_and_visitors_asked_to_log_in(client, member):
    assert client.get(QUEUE).status_code == 302
    login(client, member)
    assert client.get(QUEUE).status_code == 403


def test_an_empty_queue_says_so(moderator_client):
    assert "The queue is empty" in moderator_client.get(QUEUE).content.decode()


def test_the_item_page_renders_for_every_kind(moderator_client, member, member_factory, topic):
    room = make_room()
    message = make_message(room, member_factory(), body="a message")
    items = {
        "topic": topic.pk,
        "post": make_post(topic).pk,
        "chat_message": message.pk,
        "member": topic.author.pk,
    }
    for kind, target_id in items.items():
        report_item(reporter=member, kind=kind, target_id=target_id, reason="other")

        response = moderator_client.get(reverse("forum:moderation_item", args=[kind, target_id]))

        assert response.status_code == 200, kind
        assert "Dismiss" in response.content.decode()


def test_an_item_that_no_longer_exists_can_still_be_dismissed(moderator_client, member, topic):
    reply = make_post(topic)
    reply_id = reply.pk
    report_item(reporter=member, kind="post", target_id=reply_id, reason="spam")
    reply.delete()

    assert "no longer exists" in moderator_client.get(QUEUE).content.decode()
    moderator_client.post(
        reverse("forum:moderation_item_action", args=["post", reply_id, "dismiss"]),
        {"reason": "Gone already"},
    )

    assert not Report.objects.filter(status="open").exists()


def test_the_member_page_shows_reports_about_them_and_their_history(
    moderator_client, member, topic
):
    report_item(reporter=member, kind="member", target_id=topic.author.pk, reason="member_at_risk")

    page = moderator_client.get(
        reverse("forum:moderation_member", args=[topic.author.pk])
    ).content.decode()

    assert "Member at risk" in page and topic.author.username in page
    assert "Suspend" in page and "Ban" in page


def test_every_report_on_an_item_is_dismissed_from_the_queue_in_one_step(
    moderator_client, member_factory, topic
):
    reply = make_post(topic, body="An ordinary share")
    for reason in ("spam", "off_topic"):
        report_item(reporter=member_factory(), kind="post", target_id=reply.pk, reason=reason)
    page = moderator_client.get(reverse("forum:moderation_queue")).content.decode()
    assert "Dismiss every report on it" in page

    moderator_client.post(
        reverse("forum:moderation_item_action", args=["post", reply.pk, "dismiss"]),
        {"reason": "Nothing needs to change"},
    )

    assert not Report.objects.filter(status="open").exists()
    assert (
        "An ordinary share"
        not in moderator_client.get(reverse("forum:moderation_queue")).content.decode()
    )
