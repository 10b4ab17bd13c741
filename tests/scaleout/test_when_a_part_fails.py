"""The site keeps working when a part fails: PostgreSQL connections reset, Redis stopped.

Real production server processes (ASGI) on loopback, sharing the test database; a private
redis-server that the test stops and starts again.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import os
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone

from accounts.actions.roles import grant_moderator
from accounts.models import User
from config.cache import RETRY_SECONDS
from forum.actions.chat import create_room
from forum.models import Post, Topic
from tests.factories import PASSWORD, general_board, make_topic
from tests.processes import ChatClient, server_env, session_cookie, stop
from tests.processes import test_database_url as shared_database_url

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs a PostgreSQL DATABASE_URL (CI's PostgreSQL + Redis pass)",
    ),
    pytest.mark.django_db(transaction=True),
]

SIGNED_IN = re.compile(r"Signed in as <strong>(\w+)</strong>")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A browser of its own: keeps cookies, follows no redirect, records every answer."""

    def __init__(self, base: str, *, session: str | None = None):
        self.base = base
        self.session = session
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirects
        )
        self.answers: list[tuple[str, str, int]] = []

    def request(self, path: str, fields: dict | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        request = urllib.request.Request(self.base + path, data=data)
        if self.session:
            request.add_header("Cookie", f"{settings.SESSION_COOKIE_NAME}={self.session}")
        try:
            with self.opener.open(request, timeout=20) as response:
                status, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode(errors="replace")
        self.answers.append(("POST" if data is not None else "GET", path, status))
        return status, body

    def submit(self, path: str, fields: dict) -> tuple[int, str]:
        """Open the form at ``path``, then post ``fields`` with its CSRF token."""
        _, page = self.request(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request(path, {**fields, "csrfmiddlewaretoken": token})

    def log_in(self, member) -> int:
        return self.submit("/account/login/", {"login": member.username, "password": PASSWORD})[0]

    def signed_in_as(self) -> str | None:
        status, body = self.request("/me/")
        match = SIGNED_IN.search(body)
        return match.group(1) if status == 200 and match else None

    def cookie(self, name: str) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == name)

    def server_errors(self) -> list[tuple[str, str, int]]:
        return [answer for answer in self.answers if answer[2] >= 500]


SERVER_APPLICATION = "homegroup-server-under-test"


def reset_database_connections() -> int:
    """Terminate the server's sessions on the test database, as a PostgreSQL restart would.

    Only the server's (by application name): the test process's own connections must live on.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = %s",
            [SERVER_APPLICATION],
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("server", ["daphne", "uvicorn"])
def test_after_database_connections_are_reset_a_members_404_is_still_a_404(
    procs, static_root, member, server
):
    env = server_env(
        STATIC_ROOT=str(static_root),
        DB_CONN_MAX_AGE="60",
        DATABASE_URL=f"{shared_database_url()}?application_name={SERVER_APPLICATION}",
    )
    port, _ = procs.production(server, env=env)
    browser = Browser(f"http://127.0.0.1:{port}", session=session_cookie(member))
    try:
        for _ in range(5):
            assert browser.request("/no-such-page/")[0] == 404
        assert browser.request("/")[0] == 200

        assert reset_database_connections() >= 1

        answers = [browser.request("/no-such-page/") for _ in range(10)]
        answers += [browser.request("/u/NoSuchMember/") for _ in range(5)]
        answers += [browser.request("/") for _ in range(3)]
    except BaseException:
        print(procs.dump_logs())
        raise
    assert [status for status, _ in answers] == [404] * 15 + [200] * 3
    assert all(member.username in body for _, body in answers), "the member stays signed in"


def alerts(page: str) -> list[str]:
    """What a form said was wrong, for a failing assertion's message."""
    return re.findall(r"role=.alert.>(?:<p>)?([^<]*)", page)


@pytest.fixture
def redis_data(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    path = tmp_path / "redis"
    path.mkdir()
    return path


def test_with_redis_stopped_pages_login_and_posting_work_and_all_recovers_after(
    procs, static_root, redis_data, member_factory
):
    redis_port, redis = procs.redis(data_dir=redis_data)
    env = server_env(
        STATIC_ROOT=str(static_root),
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        POST_INTERVAL_SECONDS="3",
        NEW_MEMBER_QUEUED_POSTS="0",
        CHAT_HEARTBEAT_SECONDS="1",
        CHAT_PRESENCE_TTL="4",
    )
    port, _ = procs.production("uvicorn", env=env)
    base = f"http://127.0.0.1:{port}"
    seasoned = timezone.now() - timedelta(days=40)
    hasher = PBKDF2PasswordHasher()  # production's; the test settings' MD5 is not allowed there
    production_hash = hasher.encode(PASSWORD, hasher.salt())
    writer = member_factory(username="SteadyWriter", date_joined=seasoned)
    leaver = member_factory(username="LeavingSoon", date_joined=seasoned)
    User.objects.filter(pk__in=[writer.pk, leaver.pk]).update(password=production_hash)
    writer.refresh_from_db()
    leaver.refresh_from_db()
    topic = make_topic(general_board(), author=writer, title="Holding on today")
    # Written a while ago: with Redis down the post interval is counted from the database, and
    # an opening post from a moment ago would (rightly) hold back the topic started below.
    Post.objects.filter(topic=topic).update(created_at=seasoned)
    Topic.objects.filter(pk=topic.pk).update(created_at=seasoned)
    board_path = "/boards/general-support/"
    pages = ["/", "/boards/", board_path, topic.get_absolute_url()]
    visitor, writing, leaving = Browser(base), Browser(base), Browser(base)
    browsers = [visitor, writing, leaving]
    try:
        assert writing.log_in(writer) == 302
        assert leaving.log_in(leaver) == 302
        assert leaving.signed_in_as() == "LeavingSoon"
        kept_cookie = leaving.cookie(settings.SESSION_COOKIE_NAME)
        for path in pages:  # the visitor page cache fills
            assert visitor.request(path)[0] == 200

        stop(redis)  # Redis stops; its data stays on disk

        for path in pages:
            assert visitor.request(path)[0] == 200, path
        late = Browser(base)
        browsers.append(late)
        assert late.log_in(writer) == 302, "logging in works without Redis"
        assert late.signed_in_as() == "SteadyWriter"
        assert writing.signed_in_as() == "SteadyWriter"
        status, page = writing.submit(
            f"{board_path}new/",
            {"title": "Written while Redis slept", "body": "Still here.", "content_note": ""},
        )
        assert status == 302, ("starting a topic works without Redis", alerts(page))
        status, body = writing.submit(f"{topic.get_absolute_url()}reply/", {"body": "Too soon"})
        assert status == 400, "the post rate limit holds, counted in the database"
        assert "You are posting very quickly" in body
        time.sleep(3.2)
        status, _ = writing.submit(f"{topic.get_absolute_url()}reply/", {"body": "Later on"})
        assert status == 302, "replying works without Redis"
        assert leaving.submit("/account/logout/", {})[0] == 302
        assert leaving.signed_in_as() is None
        assert "Written while Redis slept" in visitor.request(board_path)[1]
        assert "Sign Up Closed" in visitor.request("/account/signup/")[1], "writes fail closed"

        procs.redis(redis_port, data_dir=redis_data)  # back, with what it held before
        time.sleep(RETRY_SECONDS + 0.5)

        for path in pages:
            assert visitor.request(path)[0] == 200, path
        assert "Written while Redis slept" in visitor.request(board_path)[1], "no stale page"
        returning = Browser(base, session=kept_cookie)
        browsers.append(returning)
        assert returning.signed_in_as() is None, "a session ended while Redis slept stays ended"
        assert writing.signed_in_as() == "SteadyWriter"
        assert "Sign Up Closed" not in visitor.request("/account/signup/")[1]
        grant_moderator(member=writer)
        room = create_room(by=writer, title="Back again", slug="back-again")
        cookies = {member.username: session_cookie(member) for member in (writer, leaver)}
        asyncio.run(chat_works_live(f"127.0.0.1:{port}", room.slug, cookies))
    except BaseException:
        print(procs.dump_logs())
        raise

    assert Topic.objects.filter(title="Written while Redis slept").exists()
    replies = set(Post.objects.filter(topic=topic).values_list("body", flat=True))
    assert "Later on" in replies
    assert "Too soon" not in replies
    assert [error for browser in browsers for error in browser.server_errors()] == []


async def chat_works_live(host: str, slug: str, people: dict[str, str]) -> None:
    """Two members in one room see each other arrive and talk: the live features are back."""
    clients = [ChatClient(name, host, slug, cookie) for name, cookie in people.items()]
    for client in clients:
        client.start()
    try:
        for client in clients:
            await client.wait_for(
                lambda c=client: c.presence and c.presence["count"] == 2, what="both present"
            )
        await clients[0].send("glad you are back")
        await clients[1].wait_for(
            lambda: "glad you are back" in clients[1].bodies(), what="a live message"
        )
    finally:
        for client in clients:
            await client.close()
