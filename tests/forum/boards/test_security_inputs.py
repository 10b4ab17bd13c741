"""Hostile and odd input through the real forms: never script in the page, never a 500."""

from html.parser import HTMLParser

import pytest

from forum.models import Post, Topic
from tests.forum.boards.htmlcheck import find_problems, payload_lines

pytestmark = pytest.mark.django_db

XSS = payload_lines("xss-payloads-dev.txt")
NAUGHTY = payload_lines("naughty-strings.txt")


def main_html(html: str) -> str:
    """The page's <main> element: base-layout scripts are the site's own, not member input."""
    start = html.index("<main")
    return html[start : html.index("</main>", start) + len("</main>")]


def fitting_title(text: str) -> str:
    """The payload itself when it fits the 5-150 limit, otherwise trimmed or padded."""
    text = text.strip()[:150]
    return text if len(text) >= 5 else f"{text} ....."


class H1Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside, self.text = False, ""

    def handle_starttag(self, tag, attrs):
        self.inside = self.inside or tag == "h1"

    def handle_endtag(self, tag):
        if tag == "h1":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.text += data


@pytest.fixture
def writer(client, member_factory, no_rate_limits):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(member_factory(step=12, date_joined=timezone.now() - timedelta(days=90)))
    return client


def test_every_xss_payload_as_title_and_body_renders_without_script(writer, support_board):
    problems = {}
    for payload in XSS:
        response = writer.post(
            "/boards/general-support/new/?kind=message",
            {"kind": "message", "title": fitting_title(payload), "body": payload, "post": "1"},
        )
        assert response.status_code == 302, payload
        page = writer.get(response["Location"]).content.decode()
        found = find_problems(main_html(page))
        if found:
            problems[payload] = found
    listing = writer.get("/boards/general-support/?kind=message").content.decode()
    shares = writer.get("/steps/12/?kind=message").content.decode()

    assert Topic.objects.count() == len(XSS)
    assert problems == {}
    assert find_problems(main_html(listing)) == []
    assert find_problems(main_html(shares)) == []


def test_every_xss_payload_in_the_share_preview_renders_without_script(writer, support_board):
    problems = {}
    for payload in XSS[::7]:
        response = writer.post(
            "/boards/general-support/new/?kind=message",
            {"kind": "message", "title": "Preview check", "body": payload, "preview": "1"},
        )
        found = find_problems(main_html(response.content.decode()))
        if found:
            problems[payload] = found
    assert problems == {}


def test_xss_payloads_in_search_results_are_escaped(writer, topic_factory, support_board):
    for payload in XSS[:60]:
        topic_factory(support_board, title=fitting_title(payload), body=f"needle {payload}")

    page = writer.get("/search/?q=needle").content.decode()

    assert "result" in page
    assert find_problems(main_html(page)) == []


@pytest.mark.parametrize("field", ["title", "body"])
def test_every_naughty_string_round_trips_or_gets_a_form_error(writer, support_board, field):
    outcomes = {"stored": 0, "refused": 0}
    for text in NAUGHTY:
        data = {"kind": "helping", "title": "A normal title", "body": "A normal body."}
        data[field] = text
        response = writer.post("/boards/general-support/new/?kind=helping", data)
        if response.status_code == 400:
            assert 'class="field-error"' in response.content.decode(), repr(text)
            outcomes["refused"] += 1
            continue
        assert response.status_code == 302, repr(text)
        topic = Topic.objects.latest("pk")
        page = writer.get(response["Location"])
        assert page.status_code == 200
        if field == "title":
            assert topic.title == text.strip()
            heading = H1Text()
            heading.feed(page.content.decode())
            assert heading.text.strip() == text.strip(), repr(text)
        else:
            assert Post.objects.get(topic=topic).body == text.replace("\r\n", "\n")
        outcomes["stored"] += 1
    assert outcomes["stored"] > outcomes["refused"] > 0 or field == "body"
    assert sum(outcomes.values()) == len(NAUGHTY)


def test_naughty_strings_as_search_queries_never_fail(client, topic_factory):
    topic_factory(body="ordinary words")

    for text in NAUGHTY:
        assert client.get("/search/", {"q": text}).status_code == 200, repr(text)
