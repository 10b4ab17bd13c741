"""The one place where member text becomes HTML, for the whole site.

Posts are Markdown (CommonMark, raw HTML off, bare URLs linkified) rendered once when they are
saved and then sanitized with nh3, the Rust "ammonia" sanitizer. We do not use bleach: it reached
its end of life on 2026-06-05 with no further releases, not even security fixes.

Plain text (chat lines, bios) goes through ``plain_text_to_html``: escaped, links made
clickable, newlines kept, and then through the same ``sanitize``.
"""

from __future__ import annotations

import html

import nh3
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "em",
        "strong",
        "a",
        "ul",
        "ol",
        "li",
        "blockquote",
        "code",
        "pre",
        "hr",
        "h3",
        "h4",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener ugc"
# Tags whose whole content goes, not only the tag: their text is never meant to be read.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "svg", "math", "template", "noscript", "iframe", "object", "embed", "title"}
)
_MAX_SANITIZE_PASSES = 4

# CommonMark headings 1-6 become the two levels a post may use, under the page's own h1/h2.
_HEADING_TAGS = {"h1": "h3", "h2": "h3", "h3": "h4", "h4": "h4", "h5": "h4", "h6": "h4"}


def _build_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable("linkify")
    # Images would only be stripped by the sanitizer; as text their address stays readable.
    md.disable("image")
    return md


_markdown = _build_markdown()
_linkify = LinkifyIt()


def _clean_once(value: str) -> str:
    return nh3.clean(
        value,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        generic_attribute_prefixes=set(),
    )


def sanitize(value: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes.

    The HTML5 parser can rearrange badly nested markup on the first pass; cleaning again until
    the output no longer changes makes ``sanitize(sanitize(x)) == sanitize(x)`` hold.
    """
    cleaned = _clean_once(value or "")
    for _ in range(_MAX_SANITIZE_PASSES):
        again = _clean_once(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def render_markdown(text: str) -> str:
    """Markdown source -> sanitized HTML. Called by actions when a post is saved, and by previews."""
    tokens = _markdown.parse(text or "")
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = _HEADING_TAGS.get(token.tag, "h4")
    return sanitize(_markdown.renderer.render(tokens, _markdown.options, {}))


def _safe_href(url: str) -> str | None:
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    return url if scheme in ALLOWED_URL_SCHEMES else None


def plain_text_to_html(text: str) -> str:
    """Plain text -> HTML: everything escaped, http(s)/mailto links clickable, newlines as <br>."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    parts: list[str] = []
    position = 0
    for match in _linkify.match(text) or []:
        href = _safe_href(match.url)
        if href is None:
            continue
        parts.append(html.escape(text[position : match.index], quote=False))
        parts.append(
            f'<a href="{html.escape(href, quote=True)}">'
            f"{html.escape(match.raw or match.text, quote=False)}</a>"
        )
        position = match.last_index
    parts.append(html.escape(text[position:], quote=False))
    return sanitize("".join(parts).replace("\n", "<br>"))
