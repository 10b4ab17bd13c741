"""Privacy crawl: as a visitor, a member, a mentor and a moderator, follow every same-site link
from the home page (breadth first, bounded) and read every page and every WebSocket frame
received: no member's email and no IP address may appear anywhere, nor a private clean date,
nor a word of another member's private step workbook (a canary in every field, a draft, a
check-in and a moving-on reflection).

Members carry canary emails (canary-<n>@example.org) and clean dates. Links that log out, delete
or download are not followed, and forms are never submitted (GET links only). The member's own
JSON export (/me/export/) is excluded: it is the member's own data file, not a page. A crawling
member's own email may appear on allauth's own-account pages (/account/...), nowhere else.

The site is served as http://localhost:<port>/ here, so the address the browser connects from
(127.0.0.1) cannot be confused with the site's own URLs.
"""

from __future__ import annotations

import datetime
import json
import re
import time
from collections import Counter, deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from accounts.actions.mentoring import accept_request, request_mentor
from accounts.models import User
from forum.actions.chat import send_message
from forum.actions.moderation import report_item
from forum.actions.posts import create_reply
from forum.actions.topics import create_topic
from forum.models import Board, Room, TopicKind
from tests.accounts.workbook.canary import CANARY as WORKBOOK_CANARY
from tests.accounts.workbook.canary import write_canary_everywhere
from tests.browser.helpers import established_member, mentor, moderator, off_loop

pytestmark = pytest.mark.browser

CANARY = re.compile(r"canary-\d+@example\.org", re.I)
IPV4 = re.compile(
    r"(?<![\d.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\d.])"
)
IPV6 = re.compile(
    r"(?<![0-9a-f:])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}"
    r"|(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4})?|::(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})(?![0-9a-f:])",
    re.I,
)
SKIP = re.compile(r"logout|/delete/|/export/|/static/|/admin/", re.I)
MAX_PAGES_PER_ROLE = 120
MAX_PER_SHAPE = 3  # /t/1/, /t/2/, ... one shape: three of each are enough
SECRET_CLEAN_DATE = datetime.date(2013, 4, 27)
SECRET_DATE_TEXTS = ("2013-04-27", "27 Apr 2013", "April 27, 2013", "27 April 2013", "Apr 27, 2013")


def shape(url: str) -> str:
    parts = urlsplit(url)
    query = re.sub(r"=[^&]*", "=", parts.query)
    return re.sub(r"\d+", "N", parts.path) + "?" + query


def leaks(text: str, *, own_email: str | None, allow_own: bool) -> list[str]:
    found = []
    for match in CANARY.findall(text):
        if not (allow_own and own_email and match.lower() == own_email.lower()):
            found.append(f"email {match}")
    found += [f"IPv4 {m}" for m in IPV4.findall(text)]
    found += [f"IPv6 {m}" for m in IPV6.findall(text)]
    found += [f"clean date {d}" for d in SECRET_DATE_TEXTS if d in text]
    if WORKBOOK_CANARY in text:
        found.append("private workbook text")
    return found


@pytest.fixture
def crawl_world():
    """Members with canary emails and clean dates, and something of everything to look at."""
    numbers = iter(range(1, 1000))

    def canary() -> str:
        return f"canary-{next(numbers)}@example.org"

    clean = datetime.date(2020, 1, 5)
    member = established_member("CanaryMember", current_step=4, email=canary(), clean_date=clean)
    guide = mentor("CanaryMentor", email=canary(), clean_date=clean)
    keeper = moderator("CanaryModerator", email=canary(), clean_date=clean)
    quiet = established_member(
        "QuietCanary", current_step=6, email=canary(), clean_date=SECRET_CLEAN_DATE
    )
    loud = established_member("LoudCanary", current_step=12, email=canary(), bio="Hi there.")
    off_loop(write_canary_everywhere, quiet)
    board = Board.objects.get(step__number=4)
    topic = off_loop(
        create_topic,
        author=member,
        board=board,
        kind=TopicKind.HELPING,
        title="Mornings at Step 4",
        body="Writing it down every morning. @QuietCanary how do you do it?",
    )
    off_loop(create_reply, author=quiet, topic=topic, body="Coffee, then ten minutes of writing.")
    harsh = off_loop(create_reply, author=loud, topic=topic, body="Just get on with it!")
    off_loop(
        create_topic,
        author=loud,
        board=Board.objects.get(step__number=12),
        kind=TopicKind.MESSAGE,
        title="How the steps worked for me",
        body="I found honesty first.",
    )
    off_loop(report_item, reporter=quiet, kind="post", target_id=harsh.pk, reason="harassment")
    room = Room.objects.filter(mentorship__isnull=True).order_by("pk").first()
    for author, body in ((member, "Hello everyone"), (quiet, "Hi @CanaryMember")):
        off_loop(send_message, member=author, room=room, body=body)
    ask = off_loop(request_mentor, mentee=member, mentor=guide, message="Would you guide me?")
    mentorship = off_loop(accept_request, mentor=guide, request=ask)
    private = Room.objects.get(mentorship=mentorship)
    off_loop(send_message, member=guide, room=private, body="Welcome, CanaryMember.")
    return {"visitor": None, "member": member, "mentor": guide, "moderator": keeper}


def crawl(page, *, own_email: str | None) -> tuple[int, list[str], int]:
    """Breadth-first over same-site links from the home page.

    Returns (pages, findings, pages where the member's own email was shown on /account/...):
    the last proves the detector would see an email if one were shown elsewhere.
    """
    own_sightings = 0
    origin = None
    findings: list[str] = []
    seen: set[str] = set()
    shapes: Counter[str] = Counter()
    queue: deque[str] = deque(["/"])
    pages = 0
    while queue and pages < MAX_PAGES_PER_ROLE:
        path = queue.popleft()
        response = page.goto(path)
        pages += 1
        if response is None:
            continue
        origin = origin or "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
        if page.locator("[data-chat]").count():
            page.wait_for_function(
                "() => document.querySelector('[data-chat]').getAttribute('data-connection')"
                " === 'open'"
            )
            page.wait_for_timeout(300)  # presence and catch-up frames
        html = page.content()
        allow_own = urlsplit(page.url).path.startswith("/account/")
        if own_email and allow_own and own_email in html:
            own_sightings += 1
        findings += [
            f"{path}: {leak}" for leak in leaks(html, own_email=own_email, allow_own=allow_own)
        ]
        for header, value in response.headers.items():
            findings += [
                f"{path} header {header}: {leak}"
                for leak in leaks(value, own_email=None, allow_own=False)
            ]
        for href in page.eval_on_selector_all(
            "a[href]", "els => els.map(e => e.getAttribute('href'))"
        ):
            url = urldefrag(urljoin(page.url, href)).url
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" != origin or SKIP.search(parts.path):
                continue
            relative = parts.path + (f"?{parts.query}" if parts.query else "")
            if relative in seen or shapes[shape(relative)] >= MAX_PER_SHAPE:
                continue
            seen.add(relative)
            shapes[shape(relative)] += 1
            queue.append(relative)
    return pages, findings, own_sightings


def test_no_page_or_socket_frame_shows_an_email_an_ip_address_or_a_private_clean_date(
    open_page, crawl_world, record_property
):
    started = time.monotonic()
    totals = {"pages": 0, "frames": 0}
    all_findings: list[str] = []
    for role, who in crawl_world.items():
        page, problems = open_page(member=who, host="localhost")
        frames: list[str] = []
        page.on(
            "websocket",
            lambda ws, frames=frames: ws.on(
                "framereceived", lambda payload: frames.append(payload)
            ),
        )
        own_email = who.email if who is not None else None
        pages, findings, own_sightings = crawl(page, own_email=own_email)
        if who is not None:
            assert own_sightings > 0, f"the {role} never saw their own email on /account/email/"
        page.goto("/notifications/" if who is not None else "/")
        page.wait_for_timeout(300)
        for frame in frames:
            text = frame if isinstance(frame, str) else frame.decode("utf-8", "replace")
            json.loads(text)
            findings += [
                f"{role} frame: {leak}" for leak in leaks(text, own_email=None, allow_own=False)
            ]
        all_findings += [f"{role}: {finding}" for finding in findings]
        totals["pages"] += pages
        totals["frames"] += len(frames)
        print(f"privacy crawl as {role}: {pages} pages, {len(frames)} WebSocket frames")
        problems.allow(r"status of 40[34]")  # links a role may see but not open (e.g. log in first)
        problems.assert_clean()
        page.context.close()
    assert totals["frames"] > 0
    assert User.objects.filter(email__startswith="canary-").count() == 5
    print(
        f"privacy crawl: {totals['pages']} pages and {totals['frames']} frames in "
        f"{time.monotonic() - started:.0f} s; findings: {len(all_findings)}"
    )
    record_property("crawl_pages", totals["pages"])
    record_property("crawl_frames", totals["frames"])
    record_property("crawl_findings", len(all_findings))
    assert all_findings == []
