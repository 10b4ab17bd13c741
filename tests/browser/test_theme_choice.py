"""A member's light / dark / system choice: saved on /me/, applied by the server on every page
(so the first paint already has the chosen colours), CSP-clean and accessible."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import established_member
from tests.browser.test_accessibility import AXE, audit

pytestmark = pytest.mark.browser

DARK_BG = "rgb(21, 24, 28)"
LIGHT_BG = "rgb(251, 250, 247)"
BACKGROUND = "() => getComputedStyle(document.body).backgroundColor"


@pytest.fixture(scope="module")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def choose(page, label: str) -> None:
    page.goto("/me/")
    page.get_by_role("radio", name=label).check()
    page.get_by_role("button", name="Save colours").click()
    expect(page.get_by_text("Your colours are saved.")).to_be_visible()


def test_a_member_on_a_light_device_chooses_dark_and_every_page_is_dark_from_the_first_paint(
    open_page,
):
    member = established_member("NightOwl")
    page, problems = open_page(member=member, dark=False)
    page.goto("/")
    assert page.evaluate(BACKGROUND) == LIGHT_BG

    choose(page, "Dark")
    assert page.evaluate(BACKGROUND) == DARK_BG
    for path in ("/", "/steps/4/", "/chat/"):
        # Scripts off: the colours come from the server-rendered page alone, nothing flashes.
        page.route("**/*.js", lambda route: route.abort())
        page.goto(path)
        assert page.evaluate(BACKGROUND) == DARK_BG, path
        page.unroute("**/*.js")
    problems.allow("Failed to load resource")
    problems.assert_clean()


def test_a_member_on_a_dark_device_chooses_light_then_goes_back_to_the_device_setting(open_page):
    member = established_member("EarlyBird")
    page, problems = open_page(member=member, dark=True)
    page.goto("/")
    assert page.evaluate(BACKGROUND) == DARK_BG
    choose(page, "Light")
    assert page.evaluate(BACKGROUND) == LIGHT_BG
    choose(page, "Same as my device")
    assert page.evaluate(BACKGROUND) == DARK_BG
    problems.assert_clean()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_settings_page_with_the_theme_choice_has_no_serious_accessibility_problems(
    open_page, axe_source, width
):
    member = established_member(f"Chooser{width}")
    for theme in ("Dark", "Light"):
        page, _ = open_page(member=member, width=width)
        choose(page, theme)
        assert audit(page, axe_source) == [], (theme, width)
