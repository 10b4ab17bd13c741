"""Issue 15, "Finding what is new", in Chromium: @mention suggestions by keyboard, drafts that
follow the member to another device, a followed topic's reply arriving as a notification, and
axe on the new pages at phone and desktop widths."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.actions.blocking import block_member
from forum.actions.following import set_bookmark
from forum.actions.posts import create_reply
from forum.actions.reading import mark_topic_read
from forum.actions.topics import create_topic
from forum.models import Board, Draft, TopicKind, TopicRead
from tests.browser.helpers import established_member, off_loop, wait_until
from tests.browser.test_accessibility import audit

pytestmark = pytest.mark.browser


def start_topic(author, title: str = "Keeping a gratitude list"):
    board = Board.objects.get(step__number=3)
    return off_loop(
        create_topic,
        author=author,
        board=board,
        kind=TopicKind.HELPING,
        title=title,
        body="Three things a day. What do you write?",
    )


def test_mention_suggestions_are_a_keyboard_operable_list_without_blocked_members(open_page):
    writer = established_member("MentionWriter", current_step=3)
    established_member("SerenityBay")
    established_member("SerenityCove")
    blocked = established_member("SerenityBlocked")
    off_loop(block_member, blocker=writer, blocked=blocked)
    topic = start_topic(writer)
    page, problems = open_page(member=writer)
    page.goto(f"/t/{topic.pk}/")

    box = page.get_by_label("Your reply")
    box.focus()
    page.keyboard.type("Thank you @seren")
    listbox = page.get_by_role("listbox", name="Members to mention")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options).to_have_text(["SerenityBay", "SerenityCove"])
    expect(options.first).to_have_attribute("aria-selected", "true")
    assert box.get_attribute("aria-controls") == listbox.get_attribute("id")

    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    page.keyboard.press("Enter")

    expect(box).to_have_value("Thank you @SerenityCove ")
    expect(listbox).to_be_hidden()
    page.keyboard.type("and @seren")
    expect(options).to_have_count(2)
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("Thank you @SerenityCove and @seren")
    problems.assert_clean()


def test_a_draft_follows_the_member_to_another_device_and_is_gone_once_posted(open_page):
    writer = established_member("DraftWriter", current_step=3)
    topic = start_topic(established_member("DraftTopicAuthor", current_step=3))
    phone, phone_problems = open_page(member=writer, width=390)
    phone.goto(f"/t/{topic.pk}/")

    phone.get_by_label("Your reply").fill("")
    phone.get_by_label("Your reply").press_sequentially("Started on the bus, finished at home")
    expect(phone.get_by_text("Draft saved")).to_be_visible()

    laptop, laptop_problems = open_page(member=writer, width=1280)
    laptop.goto(f"/t/{topic.pk}/reply/")
    box = laptop.get_by_label("Your reply")
    expect(box).to_have_value("Started on the bus, finished at home")
    box.press("End")
    box.press_sequentially(".")
    laptop.get_by_role("button", name="Post reply").click()
    laptop.wait_for_url(f"**/t/{topic.pk}/**")
    expect(laptop.get_by_text("Started on the bus, finished at home.")).to_be_visible()

    wait_until(lambda: not Draft.objects.filter(member=writer).exists(), what="draft removed")
    phone.reload()
    expect(phone.get_by_label("Your reply")).to_have_value("")
    phone_problems.assert_clean()
    laptop_problems.assert_clean()


def test_following_a_topic_brings_another_members_reply_as_a_notification(open_page):
    reader = established_member("FollowReader", current_step=3)
    replier = established_member("FollowReplier", current_step=3)
    topic = start_topic(established_member("FollowAuthor", current_step=3))
    page, problems = open_page(member=reader)
    page.goto(f"/t/{topic.pk}/")

    page.get_by_role("button", name="Follow this topic").click()
    expect(page.get_by_text("You follow this topic")).to_be_visible()
    page.wait_for_timeout(500)  # the notifications socket opens
    off_loop(create_reply, author=replier, topic=topic, body="I write down one kind act.")

    toast = page.locator(".toast")
    expect(toast.get_by_text("FollowReplier replied in “Keeping a gratitude list”")).to_be_visible()
    expect(page.locator("[data-unread-count]")).to_have_text("1")
    problems.assert_clean()


def test_the_new_pages_have_no_serious_or_critical_accessibility_violations(open_page):
    """Latest, Unread and bookmarks, and the pages that gained a section or controls (the home
    page's Latest, a topic's follow, mute and bookmark buttons and its composer)."""
    from tests.browser.test_accessibility import AXE

    axe_source = AXE.read_text(encoding="utf-8")
    member = established_member("AxeFinder", current_step=3)
    other = established_member("AxeWriter", current_step=3)
    topic = start_topic(other, title="A topic with news")
    mark_topic_read(member=member, topic=topic, up_to_number=1)
    reply = off_loop(create_reply, author=other, topic=topic, body="Something new.")
    set_bookmark(member=member, post=reply, bookmarked=True)

    found = {}
    for width in (390, 1280):
        TopicRead.objects.filter(member=member).update(last_read_number=1)  # the topic page read it
        page, problems = open_page(member=member, width=width, bypass_csp=True)
        for path in ("/latest/", "/unread/", "/me/bookmarks/", "/", f"/t/{topic.pk}/"):
            page.goto(path)
            expect(page.get_by_text("A topic with news").first).to_be_visible()
            if violations := audit(page, axe_source):
                found[f"{path} at {width}"] = violations
        problems.assert_clean()
    assert found == {}
