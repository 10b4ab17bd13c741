"""Real headless Chromium against the site served the way production serves it.

DEBUG off, static files collected and served by WhiteNoise, Daphne as the ASGI server,
PostgreSQL and Redis. Runs in CI's PostgreSQL + Redis pass; skipped on the embedded default.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.processes import ROOT, Processes, collect_static, server_env

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SCREENSHOTS = ROOT / "screenshots"


def _browser_environment_missing() -> str | None:
    if not os.environ.get("REDIS_URL") or "postgres" not in os.environ.get("DATABASE_URL", ""):
        return "browser tests run against PostgreSQL + Redis (set DATABASE_URL and REDIS_URL)"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    return None


def _is_browser_test(item) -> bool:
    return "tests/browser/" in str(item.fspath).replace(os.sep, "/")


def pytest_collection_modifyitems(config, items):
    """Mark browser tests, skip them without PostgreSQL + Redis, and run them last."""
    reason = _browser_environment_missing()
    for item in items:
        if _is_browser_test(item):
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))
    items.sort(key=_is_browser_test)


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("static")
    collect_static(root)
    return root


# The browser suite writes a lot from a few members (hundreds of XSS payloads, many journeys in
# one process lifetime): per-member rate limits would only slow it down, and the new-member
# approval queue would hold every fresh member's first posts. Both are covered by their own tests
# (tests/forum/...); everything else runs exactly as production does.
SERVER_OVERRIDES = {
    "TOPICS_PER_HOUR": "1000000",
    "TOPICS_PER_HOUR_FIRST_DAY": "1000000",
    "POST_INTERVAL_SECONDS": "0",
    "POST_INTERVAL_SECONDS_FIRST_DAY": "0",
    "REACTIONS_PER_MINUTE": "1000000",
    "CHAT_RATE_LIMIT": "1000000",
    "NEW_MEMBER_QUEUED_POSTS": "0",
}


@pytest.fixture(scope="session")
def site_env(django_db_setup, django_db_blocker, static_root) -> dict[str, str]:
    """Environment of the production-like server processes."""
    with django_db_blocker.unblock():
        return server_env(STATIC_ROOT=str(static_root), **SERVER_OVERRIDES)


@pytest.fixture(scope="session")
def site_url(site_env, django_db_blocker, tmp_path_factory):
    """Base URL of a production-like Daphne process sharing the test database and Redis."""
    processes = Processes(tmp_path_factory.mktemp("server"))
    try:
        with django_db_blocker.unblock():
            port, _ = processes.production("daphne", env=site_env)
        yield f"http://127.0.0.1:{port}"
    finally:
        processes.stop_all()


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module.

    Playwright's sync API keeps an event loop running in this thread, which makes Django refuse
    ORM calls; the tests themselves are synchronous, so ORM use is allowed while it runs.
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Runs before any page script in every frame: a script that manages to run and calls a dialog
# function is recorded, whatever happens to the dialog itself.
TRAP_SCRIPT = """
(() => {
  const calls = [];
  Object.defineProperty(window, "__scriptCalls", { value: calls });
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const trap = function (message) {
      calls.push(name + ": " + String(message));
      return name === "prompt" ? null : false;
    };
    Object.defineProperty(window, name, { value: trap, writable: false, configurable: false });
  }
})();
"""


class PageProblems:
    """Collects what must never happen on a page: script dialogs, errors, CSP violations."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.trapped: list[str] = []
        self.allowed: list[re.Pattern] = []
        self.page = None

    def allow(self, pattern: str) -> None:
        """Console errors matching ``pattern`` are expected (e.g. a page answered 403 or 404)."""
        self.allowed.append(re.compile(pattern))

    def watch(self, page) -> None:
        self.page = page
        page.on("dialog", self._on_dialog)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def collect_trapped(self) -> list[str]:
        """Dialog calls recorded by TRAP_SCRIPT on the page now shown (reset on navigation)."""
        calls = self.page.evaluate("() => Array.from(window.__scriptCalls || [])")
        self.trapped.extend(calls)
        return calls

    def unexpected_console_errors(self) -> list[str]:
        return [e for e in self.console_errors if not any(p.search(e) for p in self.allowed)]

    def all(self) -> list[str]:
        return self.dialogs + self.unexpected_console_errors() + self.page_errors + self.trapped

    def assert_clean(self) -> None:
        if self.page is not None and not self.page.is_closed():
            self.collect_trapped()
        assert self.all() == [], {
            "dialogs": self.dialogs,
            "console errors": self.unexpected_console_errors(),
            "page errors": self.page_errors,
            "trapped calls": self.trapped,
        }


def session_cookie_for(member, site_url: str) -> dict:
    client = Client()
    client.force_login(member)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site_url}


@pytest.fixture(autouse=True)
def _seeded(seeded_transactional_db, settings):
    """Every browser test starts with the seeded rows, and set-up done here in the test process
    follows the same limits as the server."""
    settings.HOMEGROUP = {
        **settings.HOMEGROUP,
        **{name: int(value) for name, value in SERVER_OVERRIDES.items()},
    }


@pytest.fixture
def open_page(site_url, seeded_transactional_db, browser):
    """``open_page(member=None, width=1280, dark=False)`` -> (page, problems) logged in as member.

    Every page carries TRAP_SCRIPT. ``host="localhost"`` serves the site under a name, so that
    the client's address (127.0.0.1) cannot hide inside the site's own URLs. ``bypass_csp=True`` is for the accessibility test only, which
    must evaluate axe-core inside the page. ``javascript=False`` is a member without JavaScript.
    """
    contexts = []

    def make(
        *,
        member=None,
        width: int = 1280,
        dark: bool = False,
        bypass_csp: bool = False,
        host: str = "127.0.0.1",
        javascript: bool = True,
    ):
        base_url = site_url.replace("127.0.0.1", host)
        context = browser.new_context(
            base_url=base_url,
            viewport={"width": width, "height": 900},
            color_scheme="dark" if dark else "light",
            bypass_csp=bypass_csp,
            java_script_enabled=javascript,
        )
        context.set_default_timeout(10_000)
        context.add_init_script(TRAP_SCRIPT)
        contexts.append(context)
        if member is not None:
            context.add_cookies([session_cookie_for(member, base_url)])
        page = context.new_page()
        problems = PageProblems()
        problems.watch(page)
        return page, problems

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    """Save a screenshot to the git-ignored screenshots/ folder."""

    def take(page, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


SCREENSHOT_WIDTHS = (1280, 390)
SCREENSHOT_SCHEMES = ("light", "dark")


@pytest.fixture
def screenshot_set():
    """``screenshot_set(page, name)``: the page as shown now at 1280 and 390 px, light and dark."""

    def take(page, name: str) -> list[Path]:
        SCREENSHOTS.mkdir(exist_ok=True)
        size = page.viewport_size
        paths = []
        for width in SCREENSHOT_WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for scheme in SCREENSHOT_SCHEMES:
                page.emulate_media(color_scheme=scheme)
                path = SCREENSHOTS / f"{name}-{width}-{scheme}.png"
                page.screenshot(path=str(path), full_page=True, animations="disabled")
                paths.append(path)
        page.set_viewport_size(size)
        page.emulate_media(color_scheme="light")
        return paths

    return take


def pytest_terminal_summary(terminalreporter):
    """Show what the browser tests counted (XSS payloads and pages, crawled pages and frames)
    in every run, not only with ``-s``."""
    lines = []
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        if report.when == "call" and report.user_properties:
            name = report.nodeid.rsplit("::", 1)[-1]
            counts = ", ".join(f"{key}={value}" for key, value in report.user_properties)
            lines.append(f"{name}: {counts}")
    if lines:
        terminalreporter.section("browser test counts")
        for line in lines:
            terminalreporter.write_line(line)
