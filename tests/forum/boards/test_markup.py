"""forum/markup.py: Markdown rendered once, then sanitized with nh3 to a small allow-list."""

import pytest

from forum.markup import ALLOWED_TAGS, plain_text_to_html, render_markdown, sanitize
from tests.forum.boards.htmlcheck import find_problems, parse, payload_lines

XSS = payload_lines("xss-payloads-dev.txt")
NAUGHTY = payload_lines("naughty-strings.txt")


def test_the_payload_files_are_read_whole():
    assert len(XSS) > 600
    assert any("\u2028" in line for line in NAUGHTY)


@pytest.mark.parametrize("render", [sanitize, render_markdown, plain_text_to_html])
def test_no_xss_payload_survives_any_renderer(render):
    failures = {line: find_problems(render(line)) for line in XSS}
    assert {line: p for line, p in failures.items() if p} == {}


@pytest.mark.parametrize("render", [sanitize, render_markdown, plain_text_to_html])
def test_renderers_only_emit_allow_listed_tags(render):
    seen = set()
    for line in XSS + NAUGHTY:
        seen.update(parse(render(line)).tags)
    assert seen <= set(ALLOWED_TAGS)


def test_sanitize_is_idempotent_over_every_payload():
    for line in XSS + NAUGHTY:
        once = sanitize(line)
        assert sanitize(once) == once, line
        rendered = render_markdown(line)
        assert sanitize(rendered) == rendered, line


def test_markdown_renders_commonmark_without_raw_html():
    html = render_markdown("**strong** and *em*\n\n<b>raw</b>\n\n> quoted\n\n- one\n- two")

    assert "<strong>strong</strong>" in html
    assert "<em>em</em>" in html
    assert "&lt;b&gt;raw&lt;/b&gt;" in html
    assert "<blockquote>" in html
    assert "<li>one</li>" in html


def test_bare_urls_become_nofollow_links():
    links = parse(render_markdown("see https://example.org/x and www.example.com")).links

    assert [link["href"] for link in links] == ["https://example.org/x", "http://www.example.com"]
    assert {link["rel"] for link in links} == {"nofollow noopener ugc"}


def test_only_http_https_and_mailto_links_are_kept():
    html = sanitize(
        '<a href="ftp://x.org/">f</a><a href="mailto:a@b.org">m</a>'
        '<a href="JaVaScRiPt:alert(1)">j</a><a href="https://ok.org/">h</a>'
    )
    hrefs = [link.get("href") for link in parse(html).links]

    assert hrefs == [None, "mailto:a@b.org", None, "https://ok.org/"]


def test_headings_are_kept_below_the_page_headings():
    html = render_markdown("# One\n\n## Two\n\n### Three\n\n###### Six")

    assert parse(html).tags == ["h3", "h3", "h4", "h4"]


def test_images_svg_style_and_comments_are_removed():
    html = sanitize(
        '<img src="x" onerror="alert(1)"><svg><script>alert(1)</script></svg>'
        '<p style="color:red">text</p><!-- secret -->'
    )

    assert html == "<p>text</p>"


def test_plain_text_is_escaped_linkified_and_keeps_newlines():
    html = plain_text_to_html("<b>hi</b>\nvisit https://example.org\njavascript:alert(1)")

    assert html.startswith("&lt;b&gt;hi&lt;/b&gt;<br>")
    assert parse(html).links == [{"href": "https://example.org", "rel": "nofollow noopener ugc"}]
    assert "javascript:alert(1)" in html  # as text, not as a link
