"""A member's standing: whether moderation currently limits what they may do.

One place answers "may this member write right now?" for posts, reactions, chat and mentoring.
"""

from __future__ import annotations

from django.utils import timezone


def is_suspended(member, *, now=None) -> bool:
    """Suspended members can read, but cannot post, react, chat, or ask for a mentor."""
    until = getattr(member, "suspended_until", None)
    return bool(until and until > (now or timezone.now()))


def is_banned(member) -> bool:
    return bool(getattr(member, "pk", None)) and not member.is_active


def may_participate(member) -> bool:
    """Logged in, not banned, not suspended."""
    return bool(member.is_authenticated) and not is_banned(member) and not is_suspended(member)
