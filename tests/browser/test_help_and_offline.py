"""Help is always one tap away: "Get help now" in the header at every width, tel: links on
/crisis/, and /crisis/ plus an offline page served by the service worker without a connection.
The service worker never stores a member's page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import established_member
from tests.browser.test_accessibility import AXE, audit

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", [390, 1280])
def test_get_help_now_is_visible_in_the_header_without_scrolling(open_page, width):
    member = established_member("NeedsHelpFast")
    for who in (None, member):
        page, problems = open_page(member=who, width=width)
        for path in ("/", "/steps/1/", "/chat/", "/account/login/"):
            page.goto(path)
            link = page.locator("header").get_by_role("link", name="Get help now")
            expect(link).to_be_in_viewport()
            box = link.bounding_box()
            assert box["y"] + box["height"] <= 120, (path, box)
        link.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("If you are in crisis")
        expect(page.locator('a[href="tel:116123"]')).to_have_text("116 123")
        problems.assert_clean()


def offline_ready(page) -> None:
    page.wait_for_function(
        "async () => { await navigator.serviceWorker.ready; return !!navigator.serviceWorker.controller; }"
    )


def test_crisis_and_the_offline_page_work_without_a_connection_and_nothing_private_is_stored(
    open_page,
):
    member = established_member("TravelsOffline")
    page, problems = open_page(member=member, width=390)
    page.goto("/")
    offline_ready(page)
    page.goto("/me/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    stored = page.evaluate(
        """async () => {
          const urls = [];
          for (const key of await caches.keys()) {
            const cache = await caches.open(key);
            for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
          }
          return urls;
        }"""
    )
    pages = sorted(url for url in stored if not url.startswith("/static/"))
    assert pages == ["/crisis/", "/offline/"], stored
    crisis_copy = page.evaluate("async () => (await (await caches.match('/crisis/')).text())")
    assert "TravelsOffline" not in crisis_copy and "Log in" in crisis_copy

    page.context.set_offline(True)
    page.goto("/crisis/")
    expect(page.get_by_role("heading", level=1)).to_have_text("If you are in crisis")
    expect(page.locator('a[href="tel:988"]')).to_be_visible()
    assert (
        page.evaluate("() => getComputedStyle(document.body).backgroundColor") != "rgba(0, 0, 0, 0)"
    )

    page.goto("/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    page.get_by_role("link", name="Crisis resources").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("If you are in crisis")
    page.context.set_offline(False)
    problems.allow("Failed to load resource|ERR_INTERNET_DISCONNECTED")
    problems.assert_clean()


@pytest.mark.parametrize("width", [390, 1280])
def test_crisis_and_offline_pages_have_no_serious_accessibility_problems(
    open_page, axe_source, width
):
    for dark in (False, True):
        page, _ = open_page(width=width, dark=dark)
        for path in ("/crisis/", "/offline/"):
            page.goto(path)
            assert audit(page, axe_source) == [], (path, width, dark)
