"""The composer's @mention suggestions: a lookup, limited per member so the list of pseudonyms
cannot be walked quickly."""

from __future__ import annotations

from forum import ratelimits
from forum.errors import RateLimited
from forum.selectors.mentions import mention_suggestions

MENTION_LOOKUPS = ratelimits.Limit(60, 60)


def suggest_mentions(*, member, prefix: str) -> list[str]:
    """Pseudonyms starting with ``prefix`` the member may mention; every lookup counts."""
    if ratelimits.is_limited("mention-lookup", member.pk, MENTION_LOOKUPS):
        raise RateLimited("Too many lookups; please wait a moment.")
    ratelimits.record("mention-lookup", member.pk, MENTION_LOOKUPS)
    return mention_suggestions(viewer=member, prefix=prefix)
