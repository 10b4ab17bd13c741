"""XSS tried in a real browser: every payload of the shared list as a topic title, a post body,
a chat message and a bio, entered through the real views and socket of the live server, then every
resulting page loaded in Chromium.

A payload "executes" if it calls alert/confirm/prompt/print (trapped before any page script runs,
and the dialog listener as a second net), throws, breaks the CSP (Chromium logs each violation as
a console error), or leaves anything script-capable in the DOM: an element that can run or load
code, an on* attribute, a style attribute, or a javascript:/vbscript:/data: address.
The test first proves each of these detectors fires on a planted script.

Titles go one per topic (a board page shows 30), post bodies one per reply (a topic page shows
20), chat messages one per message (live page, room page, every history page). A bio holds 500
characters, so bios hold the payloads one per line, each bio on the member's public profile.
Input the forms refuse (titles over 150 characters, bios over 500) is submitted in the browser
too, and the form that comes back echoing it is checked the same way.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from forum.actions.chat import create_room
from forum.models import Board, ChatMessage, Post, Topic
from forum.models.boards import TITLE_MAX_LENGTH, TITLE_MIN_LENGTH
from forum.models.chat import BODY_MAX_LENGTH as CHAT_MAX_LENGTH
from tests.browser.helpers import chat_is_live, established_member, moderator, post_form

pytestmark = pytest.mark.browser

PAYLOADS_FILE = Path(__file__).resolve().parents[3] / "shared" / "security" / "xss-payloads-dev.txt"
BIO_MAX_LENGTH = 500

DOM_CHECK = """
() => {
  const found = [];
  const forbidden = "iframe, frame, frameset, object, embed, applet, base, style, portal, math";
  for (const el of document.querySelectorAll(forbidden)) found.push("element " + el.outerHTML.slice(0, 120));
  for (const el of document.querySelectorAll("script")) {
    if (!(el.getAttribute("src") || "").startsWith("/static/")) found.push("script " + el.outerHTML.slice(0, 120));
  }
  for (const el of document.body.querySelectorAll("link, meta")) found.push("in body " + el.outerHTML.slice(0, 120));
  const risky = /^\\s*(javascript|vbscript|data):/i;
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on") || name === "style" || name === "srcdoc") {
        found.push("attribute " + name + " on " + el.tagName);
      } else if (["href", "src", "action", "formaction", "xlink:href", "data", "background", "poster", "lowsrc", "dynsrc"].includes(name) && risky.test(attr.value)) {
        found.push("address " + name + "=" + attr.value.slice(0, 80) + " on " + el.tagName);
      }
    }
  }
  return found;
}
"""


def load_payloads() -> list[str]:
    if not PAYLOADS_FILE.exists():
        pytest.fail(f"the shared payload list is missing: {PAYLOADS_FILE}")
    # Lines end at "\n" only: some payloads carry other line-breaking characters (form feed...)
    # that str.splitlines() would cut them at.
    lines = [line.rstrip("\r") for line in PAYLOADS_FILE.read_text(encoding="utf-8").split("\n")]
    assert lines[0].startswith("#")
    return [line for line in lines[1:] if line.strip()]


def pack_lines(lines: list[str], limit: int) -> list[str]:
    """Join lines with newlines into as few texts of at most ``limit`` characters as fit."""
    packed: list[str] = []
    for line in lines:
        if packed and len(packed[-1]) + 1 + len(line) <= limit:
            packed[-1] += "\n" + line
        else:
            packed.append(line)
    return packed


class Inspector:
    """Loads pages in one tab and records every sign of script execution."""

    def __init__(self, page, problems):
        self.page = page
        self.problems = problems
        self.pages = 0
        self.dom_findings: list[str] = []

    def check_current(self, label: str) -> None:
        self.pages += 1
        self.problems.collect_trapped()
        self.dom_findings += [f"{label}: {finding}" for finding in self.page.evaluate(DOM_CHECK)]

    def visit(self, path: str) -> None:
        response = self.page.goto(path, wait_until="load")
        assert response is not None and response.ok, (path, response and response.status)
        self.check_current(path)


def assert_the_detectors_work(page, problems) -> None:
    """A script that runs is trapped; an inline handler is refused by the CSP, which Chromium
    reports as a console error; script-capable markup is found. Then all of it is forgotten."""
    page.evaluate("() => { alert('control'); }")
    assert problems.collect_trapped() == ["alert: control"]
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            """() => {
              const a = document.createElement("a");
              a.href = "javascript:void(0)";
              a.setAttribute("onmouseover", "x()");
              a.textContent = "control";
              document.querySelector("main").append(a);
              a.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
            }"""
        )
    assert len(page.evaluate(DOM_CHECK)) == 2
    page.reload()
    assert problems.console_errors
    assert all("Content Security Policy" in error for error in problems.console_errors)
    problems.console_errors.clear()
    problems.trapped.clear()


@pytest.fixture
def xss_world():
    writer = established_member("PayloadWriter", current_step=12)
    host = moderator("PayloadHost")
    board = Board.objects.get(step__number=4)
    room = create_room(by=host, title="Payload room", slug="payload-room")
    return writer, board, room


def test_no_payload_runs_as_a_script_anywhere_it_is_shown(
    open_page, xss_world, record_property, screenshot
):
    started = time.monotonic()
    payloads = load_payloads()
    writer, board, room = xss_world
    page, problems = open_page(member=writer)
    context = page.context
    inspector = Inspector(page, problems)
    page.goto("/me/")
    assert_the_detectors_work(page, problems)

    # Topic titles, through the topic composer.
    fits_title = [p for p in payloads if TITLE_MIN_LENGTH <= len(p.strip()) <= TITLE_MAX_LENGTH]
    refused_titles = [p for p in payloads if p not in fits_title]
    for number, payload in enumerate(fits_title):
        response = post_form(
            context,
            f"/boards/{board.slug}/new/?kind=helping",
            {"kind": "helping", "title": payload, "body": f"Title payload {number}", "post": "1"},
            max_redirects=0,
        )
        assert response.status == 302, (payload, response.status)
    assert Topic.objects.filter(board=board).count() == len(fits_title)

    # Post bodies, as replies to one topic.
    topic = Topic.objects.filter(board=board).order_by("pk").first()
    for payload in payloads:
        response = post_form(context, f"/t/{topic.pk}/reply/", {"body": payload}, max_redirects=0)
        assert response.status == 302, (payload, response.status)
    assert Post.objects.filter(topic=topic).count() == 1 + len(payloads)

    # Bios, through the settings form; each shown on the member's public profile. A bio holds
    # up to 500 characters, so payloads share bios one per line (a bio is plain text shown with
    # line breaks; each line is escaped on its own); one that does not fit alone is refused.
    fits_bio = [p for p in payloads if len(p.strip()) <= BIO_MAX_LENGTH]
    refused_bios = [p for p in payloads if p not in fits_bio]
    bios = pack_lines([p.strip() for p in fits_bio], BIO_MAX_LENGTH)
    # A visitor reads them: the lightest page (no notifications socket), so the fastest loads.
    visitor_page, visitor_problems = open_page()
    visitor = Inspector(visitor_page, visitor_problems)
    for bio in bios:
        response = post_form(context, "/me/", {"bio": bio}, max_redirects=0)
        assert response.status == 302, (bio, response.status)
        visitor.visit(f"/u/{writer.username}/")
        assert visitor_page.locator(".bio").text_content() == bio.replace("\n", "")
    assert User.objects.get(pk=writer.pk).bio == bios[-1]

    # Chat messages, typed into the live room and sent over its socket by chat.js.
    inspector.visit(f"/chat/{room.slug}/")
    chat_is_live(page)
    fits_chat = [p for p in payloads if len(p.strip()) <= CHAT_MAX_LENGTH]
    page.evaluate(
        """(bodies) => {
          const form = document.querySelector("[data-chat-form]");
          const box = form.querySelector("textarea");
          for (const body of bodies) { box.value = body; form.requestSubmit(); }
        }""",
        fits_chat,
    )
    expect(page.locator(".chat-log li[data-id]")).to_have_count(len(fits_chat), timeout=60_000)
    inspector.check_current("live chat")
    assert ChatMessage.objects.filter(room=room).count() == len(fits_chat)

    # Every page that shows them.
    topics_per_page, posts_per_page = 30, 20
    for number in range(1, -(-len(fits_title) // topics_per_page) + 1):
        inspector.visit(f"/steps/4/?kind=helping&page={number}")
    for number in range(1, -(-(1 + len(payloads)) // posts_per_page) + 1):
        inspector.visit(f"/t/{topic.pk}/?page={number}")
    inspector.visit(f"/chat/{room.slug}/")
    inspector.visit(f"/chat/{room.slug}/history/")
    while (older := page.locator("a[rel=prev]")).count():
        inspector.visit(f"/chat/{room.slug}/history/{older.get_attribute('href')}")
    inspector.visit("/search/?q=alert")
    inspector.visit("/notifications/")
    screenshot(page, "xss-chat-history")

    # What the forms refuse comes back in the form: the echo must be inert too.
    for label, path, field, refused in (
        ("title", f"/boards/{board.slug}/new/?kind=helping", "#id_title", refused_titles),
        ("bio", "/me/", "#id_bio", refused_bios),
    ):
        for payload in refused:
            page.goto(path)
            page.locator(field).evaluate("(el, value) => { el.value = value; }", payload)
            if label == "title":
                page.locator("#id_body").fill("A body")
                page.get_by_role("button", name="Post topic").click()
            else:
                page.get_by_role("button", name="Save", exact=True).click()
            page.wait_for_load_state("load")
            inspector.check_current(f"refused {label}")
    # The refused forms come back with status 400, which Chromium logs; nothing else may appear.
    problems.allow(r"status of 400 \(Bad Request\)")

    elapsed = time.monotonic() - started
    summary = (
        f"XSS: {len(payloads)} payloads; stored {len(fits_title)} titles, {len(payloads)} posts, "
        f"{len(fits_bio)} bio lines in {len(bios)} bios, {len(fits_chat)} chat messages; "
        f"{len(refused_titles) + len(refused_bios)} refused inputs echoed back; "
        f"{inspector.pages + visitor.pages} pages checked in {elapsed:.0f} s; "
        f"script executions: {len(problems.all()) + len(visitor_problems.all())} "
        f"+ {len(inspector.dom_findings) + len(visitor.dom_findings)} script-capable DOM finds"
    )
    print(summary)
    record_property("xss_payloads", len(payloads))
    record_property("xss_pages", inspector.pages + visitor.pages)
    record_property(
        "xss_script_executions",
        len(problems.all()) + len(visitor_problems.all()),
    )
    record_property("xss_script_capable_dom", len(inspector.dom_findings + visitor.dom_findings))
    assert inspector.dom_findings == [] and visitor.dom_findings == []
    problems.assert_clean()
    visitor_problems.assert_clean()
