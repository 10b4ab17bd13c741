"""Who may report, review and act. Moderators hold named permissions through the Moderators group.

``check_*`` raise PermissionDenied, ``can_*`` answer for templates. Admins (superusers) hold
every permission. The checks name permissions rather than the group, so an operator could give
a narrower role only some of them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.roles import is_moderator
from accounts.standing import is_banned
from forum.models.moderation import TargetKind

REVIEW = "forum.review_reports"
MODERATE_CONTENT = "forum.moderate_content"
MODERATE_MEMBERS = "forum.moderate_members"
VIEW_AUDIT_LOG = "forum.view_audit_log"
MANAGE_SAFETY_LISTS = "forum.manage_safety_lists"


def _has(member, perm: str) -> bool:
    return (
        bool(getattr(member, "is_authenticated", False))
        and member.is_active
        and member.has_perm(perm)
    )


def can_review(member) -> bool:
    return _has(member, REVIEW)


def can_moderate_content(member) -> bool:
    return _has(member, MODERATE_CONTENT)


def can_moderate_members(member) -> bool:
    return _has(member, MODERATE_MEMBERS)


def can_view_audit_log(member) -> bool:
    return _has(member, VIEW_AUDIT_LOG)


def can_manage_safety_lists(member) -> bool:
    return _has(member, MANAGE_SAFETY_LISTS)


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("This is for moderators.")


def check_can_review(member) -> None:
    _check(can_review(member))


def check_can_moderate_content(member) -> None:
    _check(can_moderate_content(member))


def check_can_moderate_members(member) -> None:
    _check(can_moderate_members(member))


def check_can_view_audit_log(member) -> None:
    _check(can_view_audit_log(member))


def check_can_manage_safety_lists(member) -> None:
    _check(can_manage_safety_lists(member))


def can_act_on_member(moderator, member) -> bool:
    """Nobody acts on themself; only an admin acts on a moderator; nobody acts on an admin."""
    if member is None or moderator.pk == member.pk:
        return False
    if member.is_superuser:
        return False
    return not (is_moderator(member) and not moderator.is_superuser)


def check_can_act_on_member(moderator, member) -> None:
    if not can_act_on_member(moderator, member):
        raise PermissionDenied(
            "Moderators cannot act on themselves, on other moderators or on admins."
        )


# Reporting -----------------------------------------------------------------------------------


def can_report_at_all(member) -> bool:
    """Any logged-in member who is not banned may report, suspended ones included: it is a
    safety path, not a way of taking part."""
    return bool(getattr(member, "is_authenticated", False)) and not is_banned(member)


def can_see_item(member, kind: str, obj) -> bool:
    """Whether the member can see the item at all (they cannot report what they cannot see)."""
    if kind == TargetKind.MEMBER:
        return obj.is_active
    if kind == TargetKind.CHAT_MESSAGE:
        from forum.permissions.chat import can_see_room

        return can_see_room(member, obj.room) and (not obj.is_hidden or obj.author_id == member.pk)
    from forum.permissions import posts as board_rules

    if kind == TargetKind.POST:
        queryset = type(obj).objects.filter(pk=obj.pk)
        return board_rules.filter_visible_posts(queryset, member).exists()
    if kind == TargetKind.TOPIC:
        queryset = type(obj).objects.filter(pk=obj.pk)
        return board_rules.filter_visible_topics(queryset, member).exists()
    return False


def can_report(member, target) -> bool:
    """A member may report any item they can see, except their own."""
    if not can_report_at_all(member):
        return False
    if target.subject is not None and target.subject.pk == member.pk:
        return False
    return can_see_item(member, target.kind, target.obj)
