"""Parse rendered HTML (never grep it) and report anything that could run script."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

SECURITY_DIR = Path("/work/shared/security")
if not SECURITY_DIR.exists():  # the repository checkout may sit elsewhere
    SECURITY_DIR = Path(__file__).resolve().parents[4] / "shared" / "security"

DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "poster", "xlink:href"}


def payload_lines(name: str) -> list[str]:
    """One item per line; the first line names the source. ``split("\\n")`` keeps U+2028 lines."""
    text = (SECURITY_DIR / name).read_text(encoding="utf-8")
    return [line for line in text.split("\n")[1:] if line]


class Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.tags: list[str] = []
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in {"script", "svg", "math", "iframe", "object", "embed", "style"}:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on"):
                self.problems.append(f"{tag} has {name}=")
            if name == "style":
                self.problems.append(f"{tag} has style=")
            if name in URL_ATTRIBUTES and value:
                squashed = "".join(value.split()).lower()
                if squashed.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"{tag} {name}={value!r}")
        if tag == "a":
            self.links.append(dict(attrs))

    handle_startendtag = handle_starttag


def find_problems(html: str) -> list[str]:
    finder = Finder()
    finder.feed(html)
    finder.close()
    return finder.problems


def parse(html: str) -> Finder:
    finder = Finder()
    finder.feed(html)
    finder.close()
    return finder


class _LinkTexts(HTMLParser):
    def __init__(self, pattern) -> None:
        super().__init__(convert_charrefs=True)
        self.pattern = pattern
        self.texts: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a" and self.pattern.fullmatch(dict(attrs).get("href") or ""):
            self._open = []

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.texts.append(" ".join("".join(self._open).split()))
            self._open = None


def link_texts(html: str, href_pattern: str) -> list[str]:
    """The text of every link whose href matches ``href_pattern`` (a regular expression), in order."""
    import re

    finder = _LinkTexts(re.compile(href_pattern))
    finder.feed(html)
    finder.close()
    return finder.texts
