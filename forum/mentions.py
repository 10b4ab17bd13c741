"""The one @mention parser for posts and chat messages.

A mention is ``@`` followed by something shaped like a pseudonym (see accounts/pseudonyms.py),
not preceded by a letter, digit or one of the pseudonym characters (so ``me@example.org`` is an
email, not a mention). Matching against members is case-insensitive, like logging in.
"""

from __future__ import annotations

import re

from accounts.pseudonyms import MAX_LENGTH, MIN_LENGTH

MAX_MENTIONS_PER_TEXT = 10

MENTION_RE = re.compile(
    rf"(?<![A-Za-z0-9_.\-@])@([A-Za-z0-9_\-](?:[A-Za-z0-9_.\-]{{0,{MAX_LENGTH - 2}}}[A-Za-z0-9_\-])?)(?![A-Za-z0-9_\-]|\.[A-Za-z0-9_\-])"
)


def find_mentions(text: str) -> list[str]:
    """Pseudonym candidates mentioned in ``text``: lower-cased, de-duplicated, in order, capped."""
    found: list[str] = []
    for match in MENTION_RE.finditer(text or ""):
        name = match.group(1).lower()
        if len(name) < MIN_LENGTH or len(name) > MAX_LENGTH or name in found:
            continue
        found.append(name)
        if len(found) >= MAX_MENTIONS_PER_TEXT:
            break
    return found
