"""A home that knows the member: their step, last workbook entry, mentor, what is new; /steps/
as their progress; the step page as "your step"; the share composer offers their reflections."""

import pytest
from django.urls import reverse

from accounts.actions.journey import move_to_step
from accounts.actions.workbook import save_entry
from accounts.models import EntryKind
from forum.actions.posts import create_reply
from forum.actions.reading import mark_topic_read
from forum.models import Board
from tests.factories import MemberFactory, make_member, make_mentor, make_mentorship, make_topic

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_the_members_step_and_last_entry(client, member_factory):
    member = member_factory(step=3)
    save_entry(member=member, step=3, kind=EntryKind.WRITING, content={"text": "Letting go of"})
    client.force_login(member)

    page = client.get("/").content.decode()

    assert "You are on Step 3" in page
    assert "Letting go of" in page
    assert "Continue your Step 3 workbook" in page
    assert reverse("accounts:mentoring") in page  # how to find a mentor
    assert "New on the Step 3 board" in page


def test_the_home_page_names_the_mentor_and_lists_unread_topics(client):
    mentee = make_member(step=2)
    make_mentorship(make_mentor(username="WiseElm"), mentee)
    topic = make_topic(Board.objects.get(slug="general-support"), title="Evenings are hard")
    mark_topic_read(member=mentee, topic=topic, up_to_number=1)
    create_reply(author=MemberFactory(), topic=topic, body="Same here, friend.")
    client.force_login(mentee)

    page = client.get("/").content.decode()

    assert "WiseElm" in page
    assert "Evenings are hard" in page


def test_visitors_see_the_welcome_not_a_member_home(client):
    page = client.get("/").content.decode()

    assert "Join with just a pseudonym" in page
    assert "You are on Step" not in page


def test_steps_shows_progress_with_the_dates_moved_on(client, member_factory):
    member = member_factory(step=1)
    move_to_step(member=member, to_step=2, reflection="one")
    move_to_step(member=member, to_step=3, reflection="two")
    client.force_login(member)

    page = client.get(reverse("forum:step_list")).content.decode()

    assert page.count("Worked</span>") == 2
    assert "Your step</span>" in page


def test_the_step_page_is_your_step_for_the_member_on_it(client, member_factory):
    client.force_login(member_factory(step=5))

    mine = client.get(reverse("forum:step", args=[5])).content.decode()
    other = client.get(reverse("forum:step", args=[6])).content.decode()

    assert "Your step: Step 5" in mine and "Open your Step 5 workbook" in mine
    assert reverse("accounts:move_on", args=[5]) in mine
    assert "Your step:" not in other


def test_the_share_composer_offers_the_members_own_reflections_to_copy(client, member_factory):
    member = member_factory(step=11)
    move_to_step(member=member, to_step=12, reflection="Quiet mornings changed everything.")
    client.force_login(member)

    page = client.get(reverse("forum:new_topic", args=["step-12"]) + "?kind=message").content
    page = page.decode()

    assert "Quiet mornings changed everything." in page
    assert "Copy into my share" in page and "js/workbook.js" in page
    other = member_factory(step=12)
    client.force_login(other)
    assert (
        "Quiet mornings"
        not in client.get(
            reverse("forum:new_topic", args=["step-12"]) + "?kind=message"
        ).content.decode()
    )


def _grow(member, n):
    board = Board.objects.get(step_id=member.current_step)
    for i in range(n):
        topic = make_topic(board, title=f"Topic about step work {i}")
        mark_topic_read(member=member, topic=topic, up_to_number=1)
        save_entry(
            member=member,
            step=member.current_step,
            kind=EntryKind.WRITING,
            content={"text": f"entry {i}"},
        )


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/steps/",
        "/steps/4/workbook/",
        "/steps/4/move-on/",
        "/clean-date/",
        "/check-in/",
        "/welcome/",
    ],
)
def test_the_new_pages_cost_a_constant_number_of_queries(
    client, url, django_assert_max_num_queries
):
    member = make_member(step=4)
    make_mentorship(make_mentor(), member)
    client.force_login(member)
    _grow(member, 1)
    client.get("/steps/")
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    small = len(few)  # read now: the next request resets the query log
    _grow(member, 12)
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200


def test_the_mentors_view_of_shared_work_costs_a_constant_number_of_queries(
    client, django_assert_max_num_queries
):
    from accounts.actions.workbook import share_step

    mentee = make_member(step=4)
    guide = make_mentor()
    mentorship = make_mentorship(guide, mentee)
    share_step(member=mentee, step=4)
    save_entry(member=mentee, step=4, kind=EntryKind.FEAR, content={"who_what": "x"})
    client.force_login(guide)
    url = reverse("accounts:mentee_workbook", args=[mentorship.pk])
    client.get("/steps/")
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    small = len(few)  # read now: the next request resets the query log
    for step in (1, 2, 3):
        share_step(member=mentee, step=step)
    for n in range(10):
        save_entry(member=mentee, step=n % 4 + 1, kind=EntryKind.WRITING, content={"text": "y"})
    client.get("/steps/")  # sharing notified the mentor: warm the unread count again
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200
