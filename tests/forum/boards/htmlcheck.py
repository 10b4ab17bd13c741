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
