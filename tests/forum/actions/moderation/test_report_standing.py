"""Reports from strangers cannot silence anyone (issue 11, item 8).

Only reporters with standing (account age and published participation) count toward hiding an
item before a moderator looks; each member sends a limited number of reports an hour; a burst
of reports from accounts without standing is itself flagged to moderators.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.actions.moderation import ModerationError, report_item
from forum.models import Report, Topic
from forum.permissions.moderation import has_report_standing
from tests.factories import make_message, make_post, make_room
from tests.forum.actions.moderation.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _standing_on(settings):
    settings.HOMEGROUP = {
        **settings.HOMEGROUP,
        "REPORT_HIDE_THRESHOLD": 3,
        "REPORT_STANDING_DAYS": 7,
        "REPORT_STANDING_POSTS": 3,
        "REPORTS_PER_HOUR": 10,
    }


@pytest.fixture
def old_member(member_factory):
    def make(**kwargs):
        return member_factory(date_joined=timezone.now() - timedelta(days=30), **kwargs)

    return make


@pytest.fixture
def standing_member(old_member, topic):
    def make():
        member = old_member()
        for number in range(3):
            make_post(topic, author=member, body=f"A share of mine, number {number}")
        return member

    return make


def test_three_accounts_seconds_old_cannot_hide_a_topic(member_factory, topic, client):
    for _ in range(3):
        report_item(reporter=member_factory(), kind="topic", target_id=topic.pk, reason="spam")

    opening = topic.posts.get(number=1)
    assert opening.state != "held"
    assert topic.title in client.get(topic.get_absolute_url()).content.decode()


def test_three_members_with_standing_hide_a_topic_until_a_moderator_reviews_it(
    standing_member, topic
):
    for _ in range(3):
        report_item(reporter=standing_member(), kind="topic", target_id=topic.pk, reason="spam")

    assert topic.posts.get(number=1).state == "held"


def test_reports_without_standing_still_reach_the_queue(member_factory, topic):
    report_item(reporter=member_factory(), kind="topic", target_id=topic.pk, reason="harassment")

    assert Report.objects.filter(target_kind="topic", target_id=topic.pk, is_system=False).count()


def test_a_new_account_has_no_standing_however_much_it_posts(member_factory, topic):
    member = member_factory()
    for number in range(3):
        make_post(topic, author=member, body=f"Words {number}")

    assert not has_report_standing(member)


def test_an_old_account_that_never_took_part_has_no_standing(old_member):
    assert not has_report_standing(old_member())


def test_posts_waiting_for_approval_or_hidden_do_not_give_standing(old_member, topic):
    member = old_member()
    make_post(topic, author=member, state="pending")
    make_post(topic, author=member, state="hidden")
    make_post(topic, author=member, state="removed_by_moderator")

    assert not has_report_standing(member)


def test_a_waiting_post_its_author_withdrew_gives_no_standing(old_member, topic):
    member = old_member()
    make_post(topic, author=member)
    make_post(topic, author=member, state="removed_by_author")
    make_post(topic, author=member, state="removed_by_author", published_at=None)

    assert not has_report_standing(member)


def test_an_old_account_with_published_posts_has_standing(standing_member):
    assert has_report_standing(standing_member())


def test_visible_chat_messages_count_as_taking_part(old_member, topic):
    member = old_member()
    make_post(topic, author=member)
    room = make_room()
    make_message(room, member, body="Hello room")
    make_message(room, member, body="Good to be here")

    assert has_report_standing(member)


def test_a_member_can_send_ten_reports_an_hour_and_the_eleventh_is_refused(
    member, member_factory, topic
):
    posts = [make_post(topic, author=member_factory()) for _ in range(11)]
    for post in posts[:10]:
        report_item(reporter=member, kind="post", target_id=post.pk, reason="spam")

    with pytest.raises(ModerationError, match="many reports in the last hour"):
        report_item(reporter=member, kind="post", target_id=posts[10].pk, reason="spam")

    assert Report.objects.filter(reporter=member).count() == 10


def test_the_report_form_says_so_when_the_limit_is_reached(
    settings, client, member, member_factory, topic
):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "REPORTS_PER_HOUR": 1}
    first, second = make_post(topic, author=member_factory()), make_post(topic)
    report_item(reporter=member, kind="post", target_id=first.pk, reason="spam")
    login(client, member)

    response = client.post(reverse("forum:report", args=["post", second.pk]), {"reason": "spam"})

    assert response.status_code == 400
    assert "many reports in the last hour" in response.content.decode()
    assert not Report.objects.filter(target_id=second.pk, target_kind="post").exists()


def test_a_burst_of_reports_from_new_accounts_is_flagged_to_moderators_once(member_factory, topic):
    for _ in range(4):
        report_item(reporter=member_factory(), kind="topic", target_id=topic.pk, reason="spam")

    flags = Report.objects.filter(
        target_kind="topic", target_id=topic.pk, is_system=True, reason="report_burst"
    )
    assert flags.count() == 1
    assert "without standing" in flags.get().note
    assert Topic.objects.get(pk=topic.pk).posts.get(number=1).state != "held"


def test_two_reports_from_new_accounts_are_not_a_burst(member_factory, topic):
    for _ in range(2):
        report_item(reporter=member_factory(), kind="topic", target_id=topic.pk, reason="spam")

    assert not Report.objects.filter(reason="report_burst").exists()


def test_reports_from_new_accounts_long_ago_are_not_a_burst(member_factory, topic):
    for _ in range(2):
        report_item(reporter=member_factory(), kind="topic", target_id=topic.pk, reason="spam")
    Report.objects.update(created_at=timezone.now() - timedelta(hours=2))

    report_item(reporter=member_factory(), kind="topic", target_id=topic.pk, reason="spam")

    assert not Report.objects.filter(reason="report_burst").exists()
