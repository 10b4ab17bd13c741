"""Roles as named permissions, read through one object per member (and so per request).

"Moderator" is not a group name: it is holding moderation permissions. Each capability is a
Django permission (declared on forum's Report model), so an operator can give a narrower role
only some of them, and every check (views, templates, consumers, actions) asks the same
``Capabilities`` object, cached on the member instance a request or socket carries.
"""

from __future__ import annotations

from functools import cached_property

MODERATORS_GROUP = "Moderators"

REVIEW = "forum.review_reports"
MODERATE_CONTENT = "forum.moderate_content"
MODERATE_MEMBERS = "forum.moderate_members"
VIEW_AUDIT_LOG = "forum.view_audit_log"
MANAGE_SAFETY_LISTS = "forum.manage_safety_lists"
MODERATION_PERMISSIONS = (
    REVIEW,
    MODERATE_CONTENT,
    MODERATE_MEMBERS,
    VIEW_AUDIT_LOG,
    MANAGE_SAFETY_LISTS,
)
CACHE_ATTRIBUTE = "_capabilities"


class Capabilities:
    """What one member may do beyond taking part, answered from Django's permission cache."""

    def __init__(self, member) -> None:
        self.member = member

    def has(self, perm: str) -> bool:
        member = self.member
        return (
            bool(getattr(member, "is_authenticated", False))
            and member.is_active
            and member.has_perm(perm)
        )

    @cached_property
    def review(self) -> bool:
        return self.has(REVIEW)

    @cached_property
    def moderate_content(self) -> bool:
        return self.has(MODERATE_CONTENT)

    @cached_property
    def moderate_members(self) -> bool:
        return self.has(MODERATE_MEMBERS)

    @cached_property
    def view_audit_log(self) -> bool:
        return self.has(VIEW_AUDIT_LOG)

    @cached_property
    def manage_safety_lists(self) -> bool:
        return self.has(MANAGE_SAFETY_LISTS)

    @cached_property
    def is_moderator(self) -> bool:
        """Holds any moderation permission: what "a moderator" means everywhere."""
        return any(self.has(perm) for perm in MODERATION_PERMISSIONS)


def capabilities(member) -> Capabilities:
    """The member's capabilities, built once per instance (one request, one socket)."""
    cached = getattr(member, "__dict__", {}).get(CACHE_ATTRIBUTE)
    if cached is None:
        cached = Capabilities(member)
        if hasattr(member, "__dict__"):
            member.__dict__[CACHE_ATTRIBUTE] = cached
    return cached


def forget_capabilities(member) -> None:
    """After a role changes: drop the cached answers and Django's permission caches."""
    for name in (CACHE_ATTRIBUTE, "_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        member.__dict__.pop(name, None)


def is_moderator(member) -> bool:
    return capabilities(member).is_moderator


def is_admin(member) -> bool:
    return bool(
        getattr(member, "is_authenticated", False) and member.is_staff and member.is_superuser
    )
