"""A whole meeting in Chromium with three members: a chair, a sharer and a listener.

The sharer raises a hand and shares with the keyboard alone; the listener can only thank (and
report); the chair walks the format from the opening to the end, after which the shares are gone
but the reported one, kept for moderators. Screenshots
go to the git-ignored screenshots/ folder; axe-core finds nothing serious on the meeting view.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from forum.models import Meeting, MeetingShare, Room
from tests.browser.helpers import established_member, wait_until
from tests.browser.test_accessibility import audit, axe_source  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def tab_to(page, selector: str, *, presses: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus (keyboard only)."""
    for _ in range(presses):
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_three_members_hold_a_whole_meeting(
    open_page,
    screenshot,
    screenshot_set,
    axe_source,  # noqa: F811 (the fixture imported above)
):
    chair = established_member("EveningChair", current_step=12)
    sharer = established_member("QuietRiver", current_step=4)
    listener = established_member("OpenDoor", current_step=2)
    room = Room.objects.create(title="Evening meeting room", slug="evening-meeting")

    chair_page, chair_problems = open_page(member=chair)
    chair_page.goto(room.get_absolute_url())
    chair_page.get_by_text("Chair a meeting in this room").click()
    chair_page.get_by_label("Topic (optional)").fill("Acceptance")
    chair_page.get_by_role("button", name="Start a meeting now").click()
    expect(chair_page.get_by_role("heading", name="Opening")).to_be_visible()
    expect(chair_page.get_by_text("stays here").first).to_be_visible()

    sharer_page, sharer_problems = open_page(member=sharer)
    listener_page, listener_problems = open_page(member=listener, bypass_csp=True)
    for page in (sharer_page, listener_page):
        page.goto(room.get_absolute_url())
        expect(page.get_by_role("heading", name="Opening")).to_be_visible()
    screenshot_set(listener_page, "meeting-opening")

    chair_page.get_by_role("button", name="Next part of the format").click()
    expect(listener_page.get_by_role("heading", name="Reading")).to_be_visible()
    chair_page.get_by_role("button", name="Next part of the format").click()
    chair_page.get_by_role("button", name="Next part of the format").click()
    expect(listener_page.get_by_role("heading", name="Shares")).to_be_visible()

    # The sharer raises a hand with the keyboard alone.
    tab_to(sharer_page, "[data-meeting-hand]")
    sharer_page.keyboard.press("Enter")
    expect(chair_page.locator("[data-meeting-queue]")).to_have_text("QuietRiver")
    expect(sharer_page.get_by_role("button", name="Lower my hand")).to_be_visible()
    chair_page.get_by_role("button", name="Call the next hand").click()
    expect(listener_page.get_by_text("QuietRiver is sharing.")).to_be_visible()
    expect(listener_page.locator("[data-meeting-timer]")).to_contain_text("Time left")
    expect(listener_page.locator("[data-meeting-form]")).to_be_hidden()
    expect(listener_page.get_by_role("button", name="I have finished sharing")).to_be_hidden()
    expect(listener_page.locator("[data-chat-form]")).to_be_hidden()

    # ...and shares with the keyboard alone.
    tab_to(sharer_page, "#meeting-body")
    sharer_page.keyboard.type("Today I asked for help, and it came.")
    sharer_page.keyboard.press("Enter")
    expect(listener_page.get_by_text("Today I asked for help, and it came.")).to_be_visible()
    listener_page.get_by_role("button", name="Report this share by QuietRiver").click()
    reported = listener_page.locator("[data-share-report]")
    expect(reported).to_be_disabled()
    expect(reported).to_have_text("Reported: a moderator will look")
    listener_page.get_by_role("button", name="Thank you").click()
    expect(sharer_page.locator("[data-meeting-sharer]")).to_contain_text("You are sharing")
    wait_until(lambda: Meeting.objects.get(room=room).thanks == 1, what="the thank you")
    screenshot_set(listener_page, "meeting-share")
    screenshot(chair_page, "meeting-chair-1280-light")
    assert audit(listener_page, axe_source) == []

    sharer_page.get_by_role("button", name="I have finished sharing").click()
    expect(listener_page.locator("[data-meeting-sharer]")).to_have_text("")
    chair_page.get_by_role("button", name="Next part of the format").click()
    expect(listener_page.get_by_role("heading", name="Welcome for newcomers")).to_be_visible()
    chair_page.get_by_role("button", name="Next part of the format").click()
    expect(listener_page.get_by_role("heading", name="Closing")).to_be_visible()
    end = chair_page.get_by_role("button", name="End the meeting")
    end.click()
    chair_page.get_by_role("button", name="Press again to end the meeting").click()
    for page in (chair_page, sharer_page, listener_page):
        expect(page.get_by_text("The meeting has ended.")).to_be_visible()
    screenshot(listener_page, "meeting-ended-1280-light")
    assert Meeting.objects.get(room=room).status == Meeting.Status.ENDED
    # No transcript: only the share the listener reported is kept, for the moderators' queue.
    assert list(MeetingShare.objects.values_list("body", flat=True)) == [
        "Today I asked for help, and it came."
    ]
    for problems in (chair_problems, sharer_problems, listener_problems):
        problems.assert_clean()


def test_a_member_without_javascript_attends_and_shares_through_plain_forms(open_page, screenshot):
    from forum.actions.meetings import call_next, start_meeting

    chair = established_member("NightChair", current_step=12)
    member = established_member("NoScript", current_step=3)
    room = Room.objects.create(title="Plain meeting room", slug="plain-meeting")
    meeting = start_meeting(by=chair, room=room, title="Late meeting", topic="Honesty")

    page, _ = open_page(member=member, javascript=False)
    page.goto(room.get_absolute_url())
    plain = page.locator("[data-meeting-nojs]")
    expect(plain.get_by_role("heading", name="Opening")).to_be_visible()
    expect(plain.get_by_text("we are glad you came")).to_be_visible()
    plain.get_by_role("button", name="Join the meeting").click()
    plain.get_by_role("button", name="Raise hand").click()
    expect(plain.get_by_text("Hands raised: NoScript")).to_be_visible()

    call_next(by=chair, meeting=meeting)
    plain.get_by_role("link", name="Refresh").click()
    expect(plain.get_by_text("You are sharing. Only you can write now.")).to_be_visible()
    plain.locator("#meeting-plain-body").fill("Without scripts, I can still share.")
    plain.get_by_role("button", name="Send").click()
    expect(plain.get_by_text("Without scripts, I can still share.")).to_be_visible()
    screenshot(page, "meeting-without-javascript-1280-light")
    plain.get_by_role("button", name="I have finished sharing").click()
    expect(plain.get_by_text("You are sharing")).to_have_count(0)
    assert MeetingShare.objects.get().body == "Without scripts, I can still share."
