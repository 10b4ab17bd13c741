"""Journey: a person joins with only a pseudonym, is welcomed, writes in their Step 1 workbook
(typed, saved as they type, still there after a reload), moves on with a reflection, and their
home shows Step 2 — in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import EntryKind, StepChange, User, WorkbookEntry
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_signup_onboarding_workbook_reload_move_on_and_home_shows_step_2(open_page, screenshot):
    page, problems = open_page()

    page.goto("/")
    page.get_by_role("link", name="Join with just a pseudonym").first.click()
    page.get_by_label("Pseudonym").fill("BraveLantern7")
    page.get_by_label("Password", exact=True).fill("a-long-quiet-passphrase")
    page.get_by_label("Password (again)").fill("a-long-quiet-passphrase")
    page.get_by_role("button", name="Join").click()

    expect(page.get_by_role("heading", name="Welcome to Homegroup, BraveLantern7")).to_be_visible()
    expect(page.get_by_role("heading", name="Two kinds of service")).to_be_visible()
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_role("heading", name="You are on Step 1: Honesty")).to_be_visible()

    page.get_by_role("link", name="Open your Step 1 workbook").click()
    box = page.get_by_label("Your writing")
    box.click()
    page.keyboard.type("It stopped being a choice the winter I lost the flat.")
    expect(page.locator("[data-autosave-status]").first).to_have_text(
        re.compile(r"Draft saved at \d\d:\d\d\.")
    )
    page.reload()
    expect(page.get_by_label("Your writing")).to_have_value(
        "It stopped being a choice the winter I lost the flat."
    )
    page.get_by_role("button", name="Save entry").first.click()
    expect(page.get_by_text("Saved in your workbook.")).to_be_visible()
    member = User.objects.get(username="BraveLantern7")
    entry = WorkbookEntry.objects.get(member=member, kind=EntryKind.WRITING)
    assert not entry.is_draft

    page.get_by_role("link", name="When you are ready: moving on from Step 1").click()
    page.get_by_role("button", name="Move on to Step 2").click()
    expect(page.get_by_role("alert")).to_contain_text("starts with a few words")  # no click-through
    member.refresh_from_db()
    assert member.current_step == 1
    page.get_by_label("What this step gave me").fill("I stopped pretending I was fine.")
    page.get_by_role("button", name="Move on to Step 2").click()
    expect(page.get_by_role("heading", name=re.compile("Your step: Step 2"))).to_be_visible()

    page.goto("/")
    expect(page.get_by_role("heading", name="You are on Step 2: Hope")).to_be_visible()
    member.refresh_from_db()
    assert member.current_step == 2 and member.email == ""
    assert StepChange.objects.get(member=member).reflection.content == {
        "text": "I stopped pretending I was fine."
    }
    screenshot(page, "home-step-2")
    problems.allow(r"status of 400")  # the refused move answers 400, as it should
    problems.assert_clean()


def test_screenshots_of_the_workbook_and_the_home_page_for_the_readme(open_page):
    """Saved to the git-ignored screenshots/ like the others; the copies in docs/screenshots/
    shown in README are taken from there."""
    from accounts.actions.journey import move_to_step
    from accounts.actions.workbook import save_entry
    from tests.browser.helpers import established_member, off_loop

    member = established_member("QuietHarbor", current_step=3)
    off_loop(move_to_step, member=member, to_step=4, reflection="I decided, and meant it.")
    off_loop(
        save_entry,
        member=member,
        step=4,
        kind=EntryKind.RESENTMENT,
        content={
            "who_what": "My brother",
            "what_happened": "He told our parents before I was ready.",
            "affected": "Pride, security",
            "my_part": "I had lied to him for a year.",
        },
    )
    SCREENSHOTS.mkdir(exist_ok=True)
    for width, path, name in (
        (390, "/steps/4/workbook/", "workbook-390-light.png"),
        (1280, "/", "home-1280-light.png"),
    ):
        page, problems = open_page(member=member, width=width)
        page.goto(path)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True, animations="disabled")
        problems.assert_clean()
