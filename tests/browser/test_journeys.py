"""The five journeys of issue 7, each as a person walks it in a real browser.

Every journey saves screenshots of the pages it passes (1280 and 390 px wide, light and dark) to
the git-ignored screenshots/ folder. The mentoring journey is last in the file.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Mentorship, User
from forum.actions.chat import create_room
from forum.actions.posts import create_reply
from forum.actions.topics import create_topic
from forum.models import AuditLogEntry, Board, Room, Topic, TopicKind
from tests.browser.helpers import (
    chat_is_live,
    established_member,
    mark_no_reload,
    mentor,
    moderator,
    off_loop,
    was_not_reloaded,
)
from tests.processes import Processes

pytestmark = pytest.mark.browser


def sign_up(page, pseudonym: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Join with just a pseudonym").first.click()
    page.get_by_label("Pseudonym").fill(pseudonym)
    page.get_by_label("Password", exact=True).fill("a-long-quiet-passphrase")
    page.get_by_label("Password (again)").fill("a-long-quiet-passphrase")
    page.get_by_role("button", name="Join").click()
    page.wait_for_url(lambda url: "/account/signup/" not in url)


def test_a_newcomer_starts_a_helping_topic_and_sees_the_reply_counted_without_reloading(
    open_page, screenshot_set
):
    page, problems = open_page()
    page.goto("/")
    screenshot_set(page, "home")
    sign_up(page, "BraveLantern7")
    page.goto("/steps/1/move-on/")
    page.get_by_label("What this step gave me").fill("Admitting it out loud, at last.")
    page.get_by_role("button", name="Move on to Step 2").click()
    expect(page.get_by_text("You are now on Step 2.")).to_be_visible()

    page.goto("/steps/2/")
    page.get_by_role("link", name="Start a topic").click()
    page.get_by_label("Title").fill("Restless evenings at Step 2")
    page.get_by_label("What would you like to say?").fill(
        "Evenings are the hardest part for me right now. What helps you?"
    )
    page.get_by_role("button", name="Post topic").click()
    page.wait_for_url(re.compile(r"/t/\d+/"))
    topic = Topic.objects.get(title="Restless evenings at Step 2")
    assert topic.kind == TopicKind.HELPING and topic.board.step_id == 2
    assert topic.author.username == "BraveLantern7"
    count = page.locator("[data-unread-count]")
    expect(count).to_have_text("0")
    page.wait_for_timeout(300)  # the notifications socket opens after the page loads
    mark_no_reload(page)

    helper = established_member("QuietHarbor", current_step=6)
    other, other_problems = open_page(member=helper)
    other.goto(f"/t/{topic.pk}/")
    other.get_by_label("Your reply").fill("A walk after dinner and a phone call help me.")
    other.get_by_role("button", name="Post reply").click()
    expect(other.get_by_text("A walk after dinner and a phone call help me.")).to_be_visible()
    opening = other.locator(f"#post-{topic.posts.get(number=1).pk}")
    opening.get_by_role("button", name=re.compile(r"^Thank you")).click()
    expect(
        other.locator(f"#post-{topic.posts.get(number=1).pk}").get_by_role(
            "button", name=re.compile(r"^Thank you")
        )
    ).to_have_attribute("aria-pressed", "true")

    expect(count).to_have_text("1")
    assert was_not_reloaded(page)
    assert topic.posts.get(number=1).thank_you_count == 1
    page.reload()
    screenshot_set(page, "topic")
    page.goto("/steps/2/")
    screenshot_set(page, "step-board")
    problems.assert_clean()
    other_problems.assert_clean()


def test_a_step_3_member_reads_why_shares_wait_and_a_step_12_share_lands_only_among_shares(
    open_page, screenshot_set
):
    early = established_member("EarlyRiser", current_step=3)
    page, problems = open_page(member=early)
    page.goto("/steps/3/?kind=message")
    page.get_by_role("link", name="Why can't I start a share yet?").click()
    expect(
        page.get_by_role("heading", name="Carrying the message comes with Step 12")
    ).to_be_visible()
    expect(page.get_by_text("experience suggests working your own steps first")).to_be_visible()
    problems.allow(r"status of 403")  # the explanation is the answer to a refused share
    expect(
        page.get_by_role("link", name=re.compile("Start a helping-others topic"))
    ).to_be_visible()
    screenshot_set(page, "share-explanation")
    assert not Topic.objects.filter(kind=TopicKind.MESSAGE).exists()

    veteran = established_member("OldOakTree", current_step=12)
    share_page, share_problems = open_page(member=veteran)
    share_page.goto("/steps/4/?kind=message")
    share_page.get_by_role("link", name="Share your experience").click()
    share_page.get_by_label("Title").fill("What my fourth step inventory was like")
    share_page.get_by_label("Your share").fill(
        "I wrote mine over three weeks, a little each morning. What changed for me was honesty."
    )
    share_page.get_by_role("button", name="Post share").click()
    share_page.wait_for_url(re.compile(r"/t/\d+/"))
    share = Topic.objects.get(title="What my fourth step inventory was like")
    assert share.kind == TopicKind.MESSAGE and share.board.step_id == 4

    title = "What my fourth step inventory was like"
    for path in ("/steps/4/?kind=message", "/steps/12/?kind=message"):
        share_page.goto(path)
        shares = share_page.locator(".kind-section-message")
        expect(shares.get_by_role("link", name=title)).to_be_visible()
    for path in ("/steps/4/", "/steps/12/", "/steps/4/?kind=helping", "/steps/12/?kind=helping"):
        share_page.goto(path)
        expect(share_page.locator(".kind-section-helping")).to_be_visible()
        expect(share_page.get_by_role("link", name=title)).to_have_count(0)
    problems.assert_clean()
    share_problems.assert_clean()


def test_a_chat_client_reconnects_by_itself_and_shows_every_missed_message_once(
    open_page, site_url, site_env, tmp_path, screenshot_set
):
    """Bob is connected to a second server process, which crashes (SIGKILL) and comes back on
    the same port; Alice keeps writing through the first process meanwhile."""
    host = moderator("RoomKeeper")
    room = create_room(by=host, title="Evening check-in", slug="evening-check-in")
    alice = established_member("AliceInChains", current_step=5)
    bob = established_member("BobTheBuilder", current_step=7)
    processes = Processes(tmp_path)
    try:
        port, server = processes.production("daphne", env=site_env)
        alice_page, alice_problems = open_page(member=alice)
        bob_page, bob_problems = open_page(member=bob)
        alice_page.goto(f"/chat/{room.slug}/")
        bob_page.goto(f"http://127.0.0.1:{port}/chat/{room.slug}/")
        chat_is_live(alice_page)
        chat_is_live(bob_page)
        mark_no_reload(bob_page)

        alice_page.get_by_label("Your message").fill("Hello Bob, how was today?")
        alice_page.keyboard.press("Enter")
        expect(
            bob_page.locator(".chat-log").get_by_text("Hello Bob, how was today?")
        ).to_be_visible()

        processes.kill(server)
        bob_page.wait_for_function(
            "() => document.querySelector('[data-chat]').getAttribute('data-connection') !== 'open'"
        )
        missed = [f"While you were away, note {n}" for n in range(1, 4)]
        for body in missed:
            alice_page.get_by_label("Your message").fill(body)
            alice_page.keyboard.press("Enter")
        alice_log = alice_page.locator(".chat-log li[data-id]")
        expect(alice_log).to_have_count(1 + len(missed))
        processes.production("daphne", env=site_env, port=port)

        chat_is_live(bob_page, timeout=30_000)
        bob_log = bob_page.locator(".chat-log")
        for body in missed:
            expect(bob_log.get_by_text(body, exact=True)).to_have_count(1)
        expect(bob_log.locator("li[data-id]")).to_have_count(1 + len(missed))
        bob_page.wait_for_timeout(500)  # nothing arrives twice later either
        expect(bob_log.locator("li[data-id]")).to_have_count(1 + len(missed))
        assert was_not_reloaded(bob_page)
        screenshot_set(bob_page, "chat-room")
    finally:
        processes.stop_all()
    alice_problems.assert_clean()
    # While its server was down, Chromium logs each failed reconnection attempt of Bob's
    # sockets (chat and notifications) as a console error; nothing else may appear.
    bob_problems.allow(r"^WebSocket connection to .* failed")
    bob_problems.assert_clean()


def test_three_reports_hide_a_post_and_a_moderator_restores_it_from_the_queue(
    open_page, screenshot_set
):
    board = Board.objects.get(step__number=5)
    opener = established_member("HopefulWren", current_step=5)
    author = established_member("LoudCrow", current_step=5)
    topic = off_loop(
        create_topic,
        author=opener,
        board=board,
        kind=TopicKind.HELPING,
        title="Making amends to family",
        body="Where did you start?",
    )
    post = off_loop(create_reply, author=author, topic=topic, body="A reply some found harsh.")

    elsewhere = off_loop(
        create_topic,
        author=opener,
        board=board,
        kind=TopicKind.HELPING,
        title="What helped this week",
        body="Share one thing.",
    )
    for name in ("ReporterOne", "ReporterTwo", "ReporterThree"):
        # Only reports from members with standing (an older account that has taken part) hide.
        reporter = established_member(name, current_step=3)
        for number in range(3):
            off_loop(create_reply, author=reporter, topic=elsewhere, body=f"My share {number}.")
        page, problems = open_page(member=reporter)
        page.goto(f"/t/{topic.pk}/")
        page.locator(f"#post-{post.pk}").get_by_role("link", name="Report this post").click()
        page.get_by_role("radio", name="Harassment or hate").check()
        page.get_by_role("button", name="Send the report").click()
        expect(page.get_by_text("Thank you. A moderator will look at it soon")).to_be_visible()
        problems.assert_clean()
        page.close()

    post.refresh_from_db()
    assert post.state == "held"
    visitor, visitor_problems = open_page()
    visitor.goto(f"/t/{topic.pk}/")
    expect(visitor.get_by_text("A reply some found harsh.")).to_have_count(0)
    expect(visitor.get_by_text("This post is hidden until a moderator reviews it.")).to_be_visible()

    keeper = moderator("FairJudge")
    mod_page, mod_problems = open_page(member=keeper)
    mod_page.goto("/moderation/")
    screenshot_set(mod_page, "moderation-queue")
    mod_page.get_by_role("link", name=f"Review post #{post.pk}").click()
    restore = mod_page.locator("form", has=mod_page.get_by_role("button", name="Show it again"))
    restore.get_by_label("Reason").fill("Blunt, but within the guidelines.")
    restore.get_by_role("button", name="Show it again").click()

    expect(mod_page.get_by_text("A reply some found harsh.").first).to_be_visible()
    post.refresh_from_db()
    assert post.state == "published"
    entry = AuditLogEntry.objects.get(action=AuditLogEntry.Action.UNHIDE)
    assert entry.reason == "Blunt, but within the guidelines."
    mod_page.goto("/moderation/log/")
    row = mod_page.get_by_role("row", name=re.compile("Blunt, but within the guidelines."))
    expect(row).to_contain_text("Unhid")
    expect(row).to_contain_text("FairJudge")
    visitor.reload()
    expect(visitor.get_by_text("A reply some found harsh.")).to_be_visible()
    visitor_problems.assert_clean()
    mod_problems.assert_clean()


def test_a_newcomer_asks_a_mentor_they_talk_privately_and_a_third_member_finds_nothing(
    open_page, screenshot_set
):
    guide = mentor("SteadyOak")
    newcomer = established_member("NewLeaf", current_step=1)
    outsider = established_member("CuriousCat", current_step=8)

    page, problems = open_page(member=newcomer)
    page.goto("/mentoring/")
    screenshot_set(page, "mentoring")
    page.get_by_role("link", name="Ask SteadyOak").click()
    page.get_by_label("Your message").fill("I am new and would like someone to walk Step 1 with.")
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url(re.compile(r"/mentoring/$"))

    mentor_page, mentor_problems = open_page(member=guide)
    mentor_page.goto("/mentoring/")
    mentor_page.get_by_role("button", name="Accept").click()
    mentor_page.wait_for_url(re.compile(r"/mentoring/\d+/$"))
    mentorship = Mentorship.objects.get(mentor=guide, mentee=newcomer)
    room = Room.objects.get(mentorship=mentorship)
    mentor_page.get_by_role("link", name="Open your private room").click()
    chat_is_live(mentor_page)

    page.goto("/mentoring/")
    page.get_by_role("link", name="SteadyOak is your mentor").click()
    page.get_by_role("link", name="Open your private room").click()
    chat_is_live(page)

    mentor_page.get_by_label("Your message").fill("Welcome, NewLeaf. How are you today?")
    mentor_page.keyboard.press("Enter")
    expect(page.locator(".chat-log").get_by_text("Welcome, NewLeaf.")).to_be_visible()
    page.get_by_label("Your message").fill("Nervous, but glad to be here.")
    page.keyboard.press("Enter")
    expect(
        mentor_page.locator(".chat-log").get_by_text("Nervous, but glad to be here.")
    ).to_be_visible()
    screenshot_set(page, "mentoring-room")

    third, third_problems = open_page(member=outsider)
    for path in (room.get_absolute_url(), f"/mentoring/{mentorship.pk}/"):
        response = third.goto(path)
        assert response.status == 404, path
        expect(third.get_by_text(re.compile("not found", re.I)).first).to_be_visible()
        assert "Welcome, NewLeaf" not in third.content()
    assert User.objects.get(pk=outsider.pk).current_step == 8
    problems.assert_clean()
    mentor_problems.assert_clean()
    third_problems.allow(r"status of 404")  # the document itself, nothing else
    third_problems.assert_clean()
