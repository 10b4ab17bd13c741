"""Small helpers shared by the browser tests."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

from django.db import connections
from django.utils import timezone

from accounts.actions.roles import grant_moderator
from accounts.models import MentorProfile, User
from tests.factories import MemberFactory


def off_loop(function, /, *args, **kwargs) -> Any:
    """Run ``function`` in another thread and return its result.

    Playwright keeps an event loop running in the test's thread, where actions that send
    real-time events (async_to_sync) refuse to run; a web request would run them in a thread too.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = function(*args, **kwargs)
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=30)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def wait_until(predicate, *, timeout: float = 15, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        time.sleep(0.05)


def established_member(username: str, **fields) -> User:
    """A member whose account is a few months old (first-day limits do not apply)."""
    fields.setdefault("date_joined", timezone.now() - timedelta(days=120))
    return MemberFactory(username=username, **fields)


def moderator(username: str = "KindModerator", **fields) -> User:
    member = established_member(username, current_step=12, **fields)
    grant_moderator(member=member)
    return member


def mentor(username: str = "SteadyOak", **fields) -> User:
    member = established_member(username, current_step=12, **fields)
    MentorProfile.objects.create(
        member=member,
        intro="Ten years on the road. I listen first.",
        focus_steps=[1, 2, 3],
    )
    return member


def csrf_token(context) -> str:
    """The CSRF cookie of a browser context, fetching a page with a form first if needed."""

    def find() -> str | None:
        return next((c["value"] for c in context.cookies() if c["name"] == "csrftoken"), None)

    if find() is None:
        context.request.get("/account/signup/")
        if find() is None:
            context.request.get("/me/")
    token = find()
    assert token, "no CSRF cookie"
    return token


def post_form(context, path: str, data: dict[str, str], *, expect_ok: bool = True, **options):
    """Submit a form the way the browser would (session cookie + CSRF token), through the real
    view on the live server. Redirects are followed, as the browser would."""
    token = csrf_token(context)
    response = context.request.post(
        path,
        form={**data, "csrfmiddlewaretoken": token},
        headers={"X-CSRFToken": token},
        timeout=15_000,
        **options,
    )
    if expect_ok:
        assert response.status < 400, (path, response.status, response.text()[:500])
    return response


def chat_is_live(page, *, timeout: float = 15_000) -> None:
    page.wait_for_function(
        "() => document.querySelector('[data-chat]')?.getAttribute('data-connection') === 'open'",
        timeout=timeout,
    )


def mark_no_reload(page) -> None:
    page.evaluate("() => { window.__sameDocument = true; }")


def was_not_reloaded(page) -> bool:
    return page.evaluate("() => window.__sameDocument === true")
