"""The chat client and permanent errors (issue 11, item 13): a message the server can never
store is not resent; the member gets the text back with a clear note."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from forum.actions.chat import create_room
from tests.browser.helpers import chat_is_live, established_member, moderator

pytestmark = pytest.mark.browser


def test_a_message_with_a_lone_surrogate_is_given_back_and_never_resent(open_page):
    room = create_room(by=moderator("RoomKeeper"), title="Broken text", slug="broken-text")
    member = established_member("HalfEmoji", current_step=4)
    page, problems = open_page(member=member)
    sent: list[dict] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framesent", lambda payload: sent.append(json.loads(payload))),
    )
    page.goto(f"/chat/{room.slug}/")
    chat_is_live(page)

    # Half of an emoji, as a bad copy and paste leaves it (made in the page: a lone surrogate
    # cannot travel through Playwright's own UTF-8 protocol).
    page.evaluate("() => { document.querySelector('#id_body').value = 'so tired \\ud83d'; }")
    page.get_by_role("button", name="Send").click()

    error = page.locator("[data-chat-error]")
    expect(error).to_contain_text("cannot be stored")
    expect(page.locator(".chat-pending")).to_have_count(0)
    assert page.evaluate("() => document.querySelector('#id_body').value") == "so tired \ud83d"
    page.wait_for_timeout(3000)  # a socket that broke would have reconnected and resent by now
    messages = [frame for frame in sent if frame.get("type") == "message"]
    assert len(messages) == 1, messages
    assert page.locator("[data-chat]").get_attribute("data-connection") == "open"

    page.evaluate("() => { document.querySelector('#id_body').value = 'so tired'; }")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".chat-log li.chat-mine").get_by_text("so tired")).to_be_visible()
    problems.assert_clean()
