"""Real headless Chromium against the site served the way production serves it.

DEBUG off, static files collected and served by WhiteNoise, Daphne as the ASGI server,
PostgreSQL and Redis. Runs in CI's PostgreSQL + Redis pass; skipped on the embedded default.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.servers import ROOT, collect_static, daphne_server, production_env

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


@pytest.fixture(scope="session")
def site_url(django_db_setup, django_db_blocker, static_root, tmp_path_factory):
    """Base URL of a production-like Daphne process sharing the test database and Redis."""
    log = tmp_path_factory.mktemp("server") / "daphne.log"
    with (
        django_db_blocker.unblock(),
        daphne_server(env=production_env(STATIC_ROOT=str(static_root)), log_path=log) as url,
    ):
        yield url


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


class PageProblems:
    """Collects what must never happen on a page: script dialogs, errors, CSP violations."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []

    def watch(self, page) -> None:
        page.on("dialog", self._on_dialog)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)


@pytest.fixture
def open_page(site_url, transactional_db, browser):
    """``open_page(member=None, width=1280, dark=False)`` -> (page, problems) logged in as member."""
    contexts = []

    def make(*, member=None, width: int = 1280, dark: bool = False):
        context = browser.new_context(
            base_url=site_url,
            viewport={"width": width, "height": 900},
            color_scheme="dark" if dark else "light",
        )
        contexts.append(context)
        if member is not None:
            client = Client()
            client.force_login(member)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site_url}]
            )
        page = context.new_page()
        page.set_default_timeout(10_000)
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
