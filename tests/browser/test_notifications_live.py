"""Issue 5 in a real browser: the header count and a toast arrive live; mentoring fits 360 px."""

import json
import threading

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connections

from accounts.models import MentorProfile, User
from forum.actions.notifications import notify
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.browser


def log_in(page, member) -> None:
    """Through the login form; the production server hashes with PBKDF2, not the tests' MD5."""
    hasher = PBKDF2PasswordHasher()
    User.objects.filter(pk=member.pk).update(password=hasher.encode(PASSWORD, hasher.salt()))
    page.goto("/account/login/")
    page.locator("#id_login").fill(member.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/account/login/" not in url)


def test_a_notification_updates_the_count_and_shows_a_toast_without_reload(open_page):
    member = MemberFactory(username="LiveListener")
    page, problems = open_page()
    log_in(page, member)

    frames: list[dict] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda payload: frames.append(json.loads(payload))),
    )
    page.goto("/steps/")
    page.wait_for_function("() => true")  # let the socket open
    for _ in range(100):
        if any(frame["type"] == "count" for frame in frames):
            break
        page.wait_for_timeout(100)
    assert {"type": "count", "unread": 0} in frames
    assert page.locator("[data-unread-count]").inner_text() == "0"

    # Playwright keeps an event loop in this thread, where the channel layer cannot be driven
    # synchronously; notify from another thread, as a web request would.
    def send() -> None:
        try:
            notify(
                recipient=member,
                kind="mention",
                text="QuietHarbor mentioned you.",
                url="/steps/3/",
            )
        finally:
            connections.close_all()

    sender = threading.Thread(target=send)
    sender.start()
    sender.join(timeout=10)

    toast = page.locator(".toast")
    toast.get_by_text("QuietHarbor mentioned you.").wait_for()
    assert page.locator("[data-unread-count]").inner_text() == "1"
    assert toast.get_by_role("link", name="Open").get_attribute("href") == "/steps/3/"
    toast.get_by_role("button", name="Dismiss").click()
    assert page.locator(".toast").count() == 0
    assert problems.dialogs == [] and problems.page_errors == [] and problems.console_errors == []


def test_the_mentoring_page_fits_a_small_screen(open_page, screenshot):
    from datetime import timedelta

    from django.utils import timezone

    MentorProfile.objects.create(
        member=MemberFactory(
            username="SteadyOak",
            current_step=12,
            date_joined=timezone.now() - timedelta(days=90),
        ),
        intro="Ten years on the road. " * 10,
        focus_steps=[4, 5, 9],
    )
    member = MemberFactory(username="SmallScreen")
    page, problems = open_page(width=360)
    log_in(page, member)

    page.goto("/mentoring/")

    assert page.get_by_role("heading", name="Find a mentor").is_visible()
    assert page.get_by_role("link", name="Ask SteadyOak").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "mentoring-360")
    assert problems.page_errors == [] and problems.console_errors == []
