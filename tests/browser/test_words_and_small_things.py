"""The account pages in the site's words, the members-only explanation and the confirmation
before ending a mentorship, as a person sees them; axe-core finds nothing serious at 390 and
1280 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Mentorship
from forum.actions.chat import open_mentorship_room
from tests.browser.helpers import established_member, mentor
from tests.browser.test_accessibility import AXE, audit

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def test_a_visitor_following_a_members_only_link_is_told_why_and_sees_pseudonym(open_page):
    established_member("ComesBack")
    page, problems = open_page(width=390)
    page.goto("/notifications/")

    expect(page.get_by_text("The page you followed is for members only")).to_be_visible()
    expect(page.get_by_label("Pseudonym")).to_be_visible()
    expect(page.get_by_role("link", name="Forgot your password?")).to_have_count(1)
    page.get_by_label("Pseudonym").fill("ComesBack")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("That pseudonym and password do not match.")
    problems.allow("status of 400")
    problems.assert_clean()


def test_ending_a_mentorship_asks_first_and_the_open_room_turns_read_only(open_page):
    guide = mentor("CalmBirch")
    mentee = established_member("NewLeaf")
    mentorship = Mentorship.objects.create(mentor=guide, mentee=mentee)
    room = open_mentorship_room(mentorship=mentorship)
    room_page, room_problems = open_page(member=guide)
    room_page.goto(room.get_absolute_url())
    room_page.wait_for_function(
        "() => document.querySelector('[data-chat]').getAttribute('data-connection') === 'open'"
    )
    expect(room_page.get_by_label("Your message")).to_be_visible()

    page, problems = open_page(member=mentee, width=390)
    page.goto(mentorship.get_absolute_url())
    page.get_by_role("link", name="End the mentorship…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("End the mentorship with CalmBirch?")
    page.get_by_role("button", name="Yes, end the mentorship").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CalmBirch was your mentor")

    expect(room_page.get_by_label("Your message")).to_be_hidden()
    expect(
        room_page.get_by_text("This mentorship has ended, so the room is read-only.")
    ).to_be_visible()
    problems.assert_clean()
    room_problems.assert_clean()


@pytest.mark.parametrize("width", [390, 1280])
def test_changed_account_and_mentoring_pages_have_no_serious_accessibility_problems(
    open_page, axe_source, width
):
    guide = mentor(f"Guide{width}")
    mentee = established_member(f"Learner{width}")
    mentorship = Mentorship.objects.create(mentor=guide, mentee=mentee)
    open_mentorship_room(mentorship=mentorship)
    found = {}
    for dark in (False, True):
        visitor, _ = open_page(width=width, dark=dark)
        for path in (
            "/account/login/?next=/me/",
            "/account/password/reset/",
            "/account/password/reset/done/",
        ):
            visitor.goto(path)
            found[(path, dark)] = audit(visitor, axe_source)
        member, _ = open_page(member=mentee, width=width, dark=dark)
        for path in (
            "/account/email/",
            "/account/logout/",
            mentorship.get_absolute_url(),
            f"/mentoring/{mentorship.pk}/end/",
        ):
            member.goto(path)
            found[(path, dark)] = audit(member, axe_source)
    assert {key: value for key, value in found.items() if value} == {}
