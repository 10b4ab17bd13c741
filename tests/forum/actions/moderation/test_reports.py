"""Reporting: any member, any item they can see, once while open; the hide threshold; outcomes."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from forum.actions.moderation import ModerationError, dismiss_reports, hide_item, report_item
from forum.models import Notification, NotificationKind, Post, Report
from tests.factories import (
    make_message,
    make_post,
    make_private_room,
    make_room,
)
from tests.forum.actions.moderation.conftest import login

pytestmark = pytest.mark.django_db


def report_url(kind, target_id):
    return reverse("forum:report", args=[kind, target_id])


def test_a_member_reports_a_post_through_the_form_and_is_thanked(client, member, opening_post):
    login(client, member)
    page = client.get(report_url("post", opening_post.pk))
    assert page.status_code == 200
    assert "Member at risk" in page.content.decode()

    response = client.post(
        report_url("post", opening_post.pk),
        {"reason": "spam", "note": "Selling things"},
        follow=True,
    )

    assert response.status_code == 200
    assert "A moderator will look at it" in response.content.decode()
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.note) == (member, "spam", "Selling things")
    assert report.subject == opening_post.author


def test_the_report_link_shows_on_posts_topics_and_profiles_of_others(client, member, topic):
    login(client, member)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert report_url("post", topic.posts.get().pk) in page
    assert report_url("topic", topic.pk) in page

    profile = client.get(topic.author.get_absolute_url()).content.decode()
    assert report_url("member", topic.author.pk) in profile


def test_the_author_sees_no_report_link_on_their_own_post(client, topic):
    login(client, topic.author)
    page = client.get(topic.get_absolute_url()).content.decode()

    assert report_url("post", topic.posts.get().pk) not in page


def test_a_chat_message_can_be_reported_from_the_room_page(client, member, member_factory):
    room = make_room()
    message = make_message(room, member_factory(), body="Hi")
    login(client, member)

    page = client.get(room.get_absolute_url()).content.decode()

    assert report_url("chat_message", message.pk) in page


def test_a_member_cannot_report_the_same_item_twice_while_open(member, opening_post):
    report_item(reporter=member, kind="post", target_id=opening_post.pk, reason="spam")

    with pytest.raises(ModerationError, match="already reported"):
        report_item(reporter=member, kind="post", target_id=opening_post.pk, reason="other")


def test_the_database_holds_one_open_report_per_member_per_item(member, opening_post):
    Report.objects.create(
        target_kind="post", target_id=opening_post.pk, reporter=member, reason="spam"
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            target_kind="post", target_id=opening_post.pk, reporter=member, reason="other"
        )


def test_after_a_report_is_closed_the_member_may_report_again(member, moderator, opening_post):
    report_item(reporter=member, kind="post", target_id=opening_post.pk, reason="spam")
    dismiss_reports(moderator=moderator, kind="post", target_id=opening_post.pk, reason="Fine")

    report_item(reporter=member, kind="post", target_id=opening_post.pk, reason="other")

    assert Report.objects.filter(reporter=member).count() == 2


def test_reporting_twice_through_the_form_shows_a_kind_error(client, member, opening_post):
    login(client, member)
    client.post(report_url("post", opening_post.pk), {"reason": "spam"})

    response = client.post(report_url("post", opening_post.pk), {"reason": "spam"})

    assert response.status_code == 400
    assert "already reported" in response.content.decode()
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"reason": "nonsense"},
        {"reason": "needs_approval"},
        {"reason": "spam", "note": "x" * 1001},
    ],
)
def test_bad_report_input_is_refused_and_stores_nothing(client, member, opening_post, data):
    login(client, member)

    response = client.post(report_url("post", opening_post.pk), data)

    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_member_cannot_report_their_own_post(client, author, opening_post):
    login(client, author)

    response = client.post(report_url("post", opening_post.pk), {"reason": "spam"})

    assert response.status_code == 403
    assert not Report.objects.exists()


@pytest.mark.parametrize("kind", ["post", "topic", "chat_message", "member", "unknown"])
def test_reporting_an_unknown_item_is_404(client, member, kind):
    login(client, member)

    assert client.get(report_url(kind, 999999)).status_code == 404


def test_a_visitor_is_asked_to_log_in_to_report(client, opening_post):
    response = client.get(report_url("post", opening_post.pk))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_message_in_a_private_room_can_be_reported_by_its_members_only(client, member):
    room = make_private_room()
    mentorship = room.mentorship
    message = make_message(room, mentorship.mentor, body="Something unkind")

    login(client, member)
    assert client.get(report_url("chat_message", message.pk)).status_code == 404

    login(client, mentorship.mentee)
    response = client.post(report_url("chat_message", message.pk), {"reason": "harassment"})
    assert response.status_code == 302
    assert Report.objects.get().target_id == message.pk


def test_content_reported_by_three_members_is_hidden_until_reviewed(
    client, member_factory, topic, opening_post
):
    reply = make_post(topic, body="Buy cheap pills here")
    for reporter in [member_factory() for _ in range(2)]:
        report_item(reporter=reporter, kind="post", target_id=reply.pk, reason="spam")
    reply.refresh_from_db()
    assert reply.state != "held"
    assert "Buy cheap pills" in client.get(topic.get_absolute_url()).content.decode()

    report_item(reporter=member_factory(), kind="post", target_id=reply.pk, reason="spam")

    reply.refresh_from_db()
    assert reply.state == "held"
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Buy cheap pills" not in page
    assert "hidden until a moderator reviews it" in page


def test_the_threshold_counts_distinct_members_not_reports(member_factory, topic):
    reply = make_post(topic)
    first, second = member_factory(), member_factory()
    report_item(reporter=first, kind="post", target_id=reply.pk, reason="spam")
    report_item(reporter=second, kind="post", target_id=reply.pk, reason="spam")
    Report.objects.create(
        target_kind="post", target_id=reply.pk, is_system=True, reason="member_at_risk"
    )

    reply.refresh_from_db()
    assert reply.state != "held"


def test_the_threshold_is_a_setting(settings, member, topic):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "REPORT_HIDE_THRESHOLD": 1}
    reply = make_post(topic)

    report_item(reporter=member, kind="post", target_id=reply.pk, reason="spam")

    assert Post.objects.get(pk=reply.pk).state == "held"


def test_a_chat_message_reported_by_three_members_leaves_the_room(client, member_factory):
    room = make_room()
    message = make_message(room, member_factory(), body="Go away all of you")
    for _ in range(3):
        report_item(
            reporter=member_factory(),
            kind="chat_message",
            target_id=message.pk,
            reason="harassment",
        )

    message.refresh_from_db()
    assert message.is_hidden
    login(client, member_factory())
    assert "Go away all of you" not in client.get(room.get_absolute_url()).content.decode()


def test_dismissing_lifts_the_automatic_hold(settings, member, moderator, topic, client):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "REPORT_HIDE_THRESHOLD": 1}
    reply = make_post(topic, body="An honest share")
    report_item(reporter=member, kind="post", target_id=reply.pk, reason="off_topic")

    dismiss_reports(moderator=moderator, kind="post", target_id=reply.pk, reason="On topic")

    assert "An honest share" in client.get(topic.get_absolute_url()).content.decode()


def test_each_reporter_is_told_the_outcome_and_not_who_else_reported(
    member_factory, moderator, topic
):
    reply = make_post(topic)
    alice, bob = member_factory(username="AliceR"), member_factory(username="BobR")
    report_item(reporter=alice, kind="post", target_id=reply.pk, reason="spam")
    report_item(reporter=bob, kind="post", target_id=reply.pk, reason="spam")

    hide_item(moderator=moderator, kind="post", target_id=reply.pk, reason="Spam link")

    for reporter in (alice, bob):
        note = Notification.objects.get(recipient=reporter)
        assert note.kind == NotificationKind.REPORT_OUTCOME
        assert "took action" in note.text
        assert "AliceR" not in note.text and "BobR" not in note.text
    (told,) = Notification.objects.filter(recipient=reply.author)
    assert told.kind == NotificationKind.MODERATION_NOTICE
    assert "AliceR" not in told.text and "BobR" not in told.text


def test_a_dismissed_report_tells_the_reporter_nothing_needed_to_change(
    member, moderator, opening_post
):
    report_item(reporter=member, kind="post", target_id=opening_post.pk, reason="spam")

    dismiss_reports(moderator=moderator, kind="post", target_id=opening_post.pk, reason="Not spam")

    assert "nothing that needs to change" in Notification.objects.get(recipient=member).text


def test_the_reported_member_never_learns_who_reported(client, member_factory, moderator, topic):
    reporter = member_factory(username="WatchfulFriend")
    reply = make_post(topic)
    report_item(reporter=reporter, kind="post", target_id=reply.pk, reason="harassment")
    hide_item(moderator=moderator, kind="post", target_id=reply.pk, reason="Unkind")
    from forum.actions.moderation import warn_member

    warn_member(moderator=moderator, member=reply.author, message="Please be kind.")

    login(client, reply.author)
    for url in (reverse("forum:notifications"), topic.get_absolute_url(), reverse("accounts:me")):
        assert "WatchfulFriend" not in client.get(url).content.decode()
    assert client.get(reverse("forum:moderation_queue")).status_code == 403


def test_the_export_lists_reports_made_and_never_who_reported_someone(
    client, member_factory, opening_post
):
    reporter = member_factory(username="CarefulReporter")
    report_item(
        reporter=reporter,
        kind="post",
        target_id=opening_post.pk,
        reason="spam",
        note="linkfarm-note",
    )

    login(client, reporter)
    mine = client.get(reverse("accounts:export")).json()
    assert (
        mine["reports_made"][0]["reason"] == "spam"
        and mine["reports_made"][0]["note"] == "linkfarm-note"
    )

    login(client, opening_post.author)
    theirs = client.get(reverse("accounts:export")).content.decode()
    assert "CarefulReporter" not in theirs and "linkfarm-note" not in theirs


# One test per branch of the report checks ----------------------------------------------------


def test_reporting_an_item_one_cannot_see_is_not_found(member, topic):
    from forum.actions.moderation import ItemNotFound

    hidden = make_post(topic, state="hidden")

    with pytest.raises(ItemNotFound):
        report_item(reporter=member, kind="post", target_id=hidden.pk, reason="spam")


def test_a_report_with_a_reason_off_the_list_is_refused(member, topic):
    with pytest.raises(ModerationError, match="choose a reason"):
        report_item(reporter=member, kind="post", target_id=make_post(topic).pk, reason="boring")


def test_a_member_cannot_choose_the_system_reason_waiting_for_approval(member, topic):
    with pytest.raises(ModerationError, match="choose a reason"):
        report_item(
            reporter=member, kind="post", target_id=make_post(topic).pk, reason="needs_approval"
        )


def test_a_report_note_longer_than_the_limit_is_refused(member, topic):
    from forum.models.moderation import Report

    limit = Report._meta.get_field("note").max_length

    with pytest.raises(ModerationError, match="keep the note"):
        report_item(
            reporter=member,
            kind="post",
            target_id=make_post(topic).pk,
            reason="spam",
            note="n" * (limit + 1),
        )


def test_dismissing_an_item_without_open_reports_is_refused(moderator, topic):
    with pytest.raises(ModerationError, match="no open reports"):
        dismiss_reports(
            moderator=moderator, kind="post", target_id=make_post(topic).pk, reason="Fine"
        )
