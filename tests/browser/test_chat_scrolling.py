"""Chat that behaves like chat: where the log opens, where it stays, what the times say.

A room opens at its newest message and follows new ones, unless the member scrolled up to read;
then a "New messages below" button appears. Server-rendered and live messages show their time
in one format, in the reader's own time zone. Room pages have no blank space under the footer,
and a skip link reaches the message box.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from forum.actions.chat import create_room, send_message
from forum.models import ChatMessage
from tests.browser.conftest import session_cookie_for
from tests.browser.helpers import chat_is_live, established_member, moderator, off_loop
from tests.browser.test_accessibility import AXE, audit

pytestmark = pytest.mark.browser

AT_BOTTOM = "() => { const l = document.querySelector('[data-chat-log]'); return l.scrollHeight - l.scrollTop - l.clientHeight < 2; }"
READER_ZONE = "America/New_York"


@pytest.fixture(scope="module")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def busy_room():
    keeper = moderator("RoomKeeper")
    reader = established_member("QuietReader")
    room = create_room(by=keeper, title="Evening check-in", slug="evening-check-in")

    def fill() -> None:
        for number in range(1, 41):
            send_message(member=keeper, room=room, body=f"Earlier message {number}")

    off_loop(fill)
    return keeper, reader, room


def open_room(browser, site_url, member, room, *, width: int = 1280):
    context = browser.new_context(
        base_url=site_url, viewport={"width": width, "height": 800}, timezone_id=READER_ZONE
    )
    context.set_default_timeout(10_000)
    context.add_cookies([session_cookie_for(member, site_url)])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"/chat/{room.slug}/")
    chat_is_live(page)
    return page, errors


def say(page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.keyboard.press("Enter")


def local(moment: datetime) -> str:
    shown = moment.astimezone(ZoneInfo(READER_ZONE))
    return f"{shown.day} {shown:%b}, {shown:%H:%M}"


def test_a_room_opens_at_the_newest_message_and_follows_new_ones(browser, site_url, busy_room):
    keeper, reader, room = busy_room
    page, errors = open_room(browser, site_url, reader, room)
    assert page.evaluate(AT_BOTTOM), "the log did not open at the newest message"
    expect(page.locator(f"#m-{room.messages.last().pk}")).to_be_in_viewport()

    writer, _ = open_room(browser, site_url, keeper, room)
    say(writer, "Arrives while you watch")
    expect(page.get_by_text("Arrives while you watch")).to_be_in_viewport()
    assert page.evaluate(AT_BOTTOM)
    expect(page.locator("[data-chat-new]")).to_be_hidden()

    say(page, "My own line")
    expect(page.get_by_text("My own line")).to_be_in_viewport()
    assert errors == []


def test_a_member_reading_older_messages_is_not_pulled_down_but_offered_a_button(
    browser, site_url, busy_room
):
    keeper, reader, room = busy_room
    page, errors = open_room(browser, site_url, reader, room)
    page.evaluate("() => { document.querySelector('[data-chat-log]').scrollTop = 0; }")
    writer, _ = open_room(browser, site_url, keeper, room)
    say(writer, "Something new")

    button = page.get_by_role("button", name="New messages below")
    expect(button).to_be_visible()
    assert page.evaluate("() => document.querySelector('[data-chat-log]').scrollTop") == 0
    expect(page.get_by_text("Earlier message 1", exact=True)).to_be_in_viewport()

    button.click()
    expect(page.get_by_text("Something new")).to_be_in_viewport()
    expect(button).to_be_hidden()
    assert errors == []


def test_server_rendered_and_live_messages_show_one_time_format_in_the_readers_zone(
    browser, site_url, busy_room
):
    keeper, reader, room = busy_room
    page, errors = open_room(browser, site_url, reader, room)
    first = room.messages.order_by("seq").last()
    expect(page.locator(f"#m-{first.pk} time")).to_have_text(local(first.created))

    writer, _ = open_room(browser, site_url, keeper, room)
    say(writer, "What time is it there?")
    live = page.locator("li[data-id]").filter(has_text="What time is it there?")
    expect(live).to_have_count(1)
    message = ChatMessage.objects.get(body="What time is it there?")
    expect(live.locator("time")).to_have_text(local(message.created))
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}, \d\d:\d\d", local(message.created))

    page.goto(f"/chat/{room.slug}/history/")
    expect(page.locator(f"#m-{first.pk} time")).to_have_text(local(first.created))
    assert errors == []


@pytest.mark.parametrize("width", [390, 1280])
def test_a_room_page_ends_at_its_footer_and_a_skip_link_reaches_the_message_box(
    browser, site_url, busy_room, width
):
    _, reader, room = busy_room
    page, errors = open_room(browser, site_url, reader, room, width=width)
    blank = page.evaluate(
        """() => document.documentElement.scrollHeight
                 - (document.querySelector('.site-footer').getBoundingClientRect().bottom + window.scrollY)"""
    )
    assert blank <= 1, f"{blank}px of blank scrollable space under the footer"

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to the message box")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "id_body"
    assert errors == []


@pytest.mark.parametrize("width", [390, 1280])
def test_a_room_page_with_the_new_messages_button_has_no_serious_accessibility_problems(
    browser, site_url, busy_room, axe_source, width
):
    keeper, reader, room = busy_room
    page, _ = open_room(browser, site_url, reader, room, width=width)
    page.evaluate("() => { document.querySelector('[data-chat-log]').scrollTop = 0; }")
    writer, _ = open_room(browser, site_url, keeper, room)
    say(writer, "Something new")
    expect(page.get_by_role("button", name="New messages below")).to_be_visible()
    assert audit(page, axe_source) == []
