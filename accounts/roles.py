"""Named roles a member can hold besides being a member."""

from __future__ import annotations

MODERATORS_GROUP = "Moderators"


def is_moderator(member) -> bool:
    if not getattr(member, "is_authenticated", False):
        return False
    if member.is_superuser:
        return True
    cached = getattr(member, "_is_moderator", None)
    if cached is None:
        cached = member.groups.filter(name=MODERATORS_GROUP).exists()
        member._is_moderator = cached
    return cached


def is_admin(member) -> bool:
    return bool(
        getattr(member, "is_authenticated", False) and member.is_staff and member.is_superuser
    )
