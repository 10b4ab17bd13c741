"""Accessibility: axe-core on the main pages (light and dark), and chat by keyboard alone.

axe-core comes from the npm registry (tests/browser/package.json; `npm ci` in tests/browser, which
.ci/run does). It is evaluated inside each page through the DevTools protocol
(``page.evaluate``), which the strict CSP does not govern, so the pages are audited with their
real CSP on: a violation would still show as a console error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from forum.actions.chat import create_room
from forum.actions.moderation import report_item
from forum.actions.notifications import notify
from forum.actions.posts import create_reply
from forum.actions.topics import create_topic
from forum.models import Board, TopicKind
from tests.browser.helpers import chat_is_live, established_member, mentor, moderator, off_loop

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}
RUN_AXE = """
async () => {
  const result = await axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").slice(0, 200)),
  }));
}
"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` in tests/browser (see .ci/run)")
    return AXE.read_text(encoding="utf-8")


def audit(page, axe_source: str) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    violations = page.evaluate(RUN_AXE)
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


@pytest.fixture
def a11y_world():
    keeper = moderator("AuditKeeper")
    member = established_member("AuditMember", current_step=3)
    mentor("AuditMentor")
    board = Board.objects.get(step__number=3)
    topic = off_loop(
        create_topic,
        author=member,
        board=board,
        kind=TopicKind.HELPING,
        title="Finding a meeting that fits",
        body="I tried **three** this week. Any tips?\n\n> A quote I liked\n\n- one\n- two",
    )
    reply = off_loop(create_reply, author=keeper, topic=topic, body="Keep going; try a small one.")
    off_loop(report_item, reporter=member, kind="post", target_id=reply.pk, reason="off_topic")
    off_loop(notify, recipient=keeper, kind="mention", text="AuditMember mentioned you.", url="/")
    room = create_room(by=keeper, title="Morning coffee", slug="morning-coffee")
    return keeper, member, topic, room


def test_the_main_pages_have_no_serious_or_critical_accessibility_violations(
    open_page, a11y_world, axe_source, record_property
):
    keeper, _, topic, room = a11y_world
    visitor_pages = ["/account/signup/", "/account/login/"]
    member_pages = [
        "/",
        "/steps/3/",
        "/steps/12/?kind=message",
        f"/t/{topic.pk}/",
        f"/chat/{room.slug}/",
        "/mentoring/",
        "/notifications/",
        "/moderation/",
    ]
    results: dict[str, list[dict]] = {}
    audited = 0
    for dark in (False, True):
        scheme = "dark" if dark else "light"
        for who, paths in ((None, visitor_pages), (keeper, ["/", *member_pages[1:]])):
            page, problems = open_page(member=who, dark=dark)
            for path in paths:
                page.goto(path)
                if path.startswith("/chat/"):
                    chat_is_live(page)
                found = audit(page, axe_source)
                audited += 1
                if found:
                    results[f"{path} ({scheme})"] = found
            if who is None and not dark:
                # The audit itself must be able to fail: a nameless button is critical.
                page.evaluate(
                    "() => document.querySelector('main').append(document.createElement('button'))"
                )
                assert "button-name" in {v["id"] for v in audit(page, axe_source)}
            problems.assert_clean()
            page.context.close()
    print(f"axe-core: {audited} page audits, serious/critical violations on {len(results)}")
    record_property("axe_page_audits", audited)
    record_property("axe_pages_with_serious_or_critical", len(results))
    assert results == {}


def test_chat_works_by_keyboard_alone_and_new_messages_are_announced(open_page, a11y_world):
    keeper, member, _, room = a11y_world
    page, problems = open_page(member=member)
    page.goto(f"/chat/{room.slug}/")
    chat_is_live(page)

    for _ in range(80):
        if page.evaluate("() => document.activeElement && document.activeElement.id") == "id_body":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_body", (
        "Tab never reached the box"
    )
    page.keyboard.type("Typed without a mouse")
    page.keyboard.press("Enter")
    live_log = page.locator("[data-chat-log][aria-live='polite']")
    expect(live_log.locator("li[data-id]").filter(has_text="Typed without a mouse")).to_have_count(
        1
    )
    assert page.evaluate("() => document.activeElement.id") == "id_body"  # ready for the next one
    expect(page.locator("#id_body")).to_have_value("")

    other, other_problems = open_page(member=keeper)
    other.goto(f"/chat/{room.slug}/")
    chat_is_live(other)
    other.get_by_label("Your message").fill("Welcome to the room")
    other.keyboard.press("Enter")
    announced = live_log.locator("li[data-id]").filter(has_text="Welcome to the room")
    expect(announced).to_have_count(1)
    assert live_log.get_attribute("aria-relevant") == "additions"
    presence_line = page.locator("[data-chat-presence][aria-live='polite']")
    expect(presence_line).to_have_text(re.compile(r"2 members here"))
    expect(presence_line).to_contain_text(keeper.username)  # the joiner arrives as a diff
    problems.assert_clean()
    other_problems.assert_clean()
    other.close()
    expect(presence_line).to_have_text(f"1 member here: {member.username}")
