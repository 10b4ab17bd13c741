"""Who may report, review and act. Moderators hold named permissions (accounts/roles.py).

``check_*`` raise PermissionDenied, ``can_*`` answer for templates. Admins (superusers) hold
every permission. The checks name permissions rather than the group, so an operator could give
a narrower role only some of them; every answer comes from the member's one ``Capabilities``.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.roles import capabilities, is_moderator
from accounts.standing import is_banned
from forum.models import ChatMessage, Post, PostState
from forum.models.moderation import TargetKind
from forum.permissions.chat import can_see_room
from forum.permissions.meetings import can_see_share
from forum.permissions.posts import filter_visible_posts, filter_visible_topics


def can_review(member) -> bool:
    return capabilities(member).review


def can_moderate_content(member) -> bool:
    return capabilities(member).moderate_content


def can_moderate_members(member) -> bool:
    return capabilities(member).moderate_members


def can_view_audit_log(member) -> bool:
    return capabilities(member).view_audit_log


def can_manage_safety_lists(member) -> bool:
    return capabilities(member).manage_safety_lists


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
        return can_see_room(member, obj.room) and (not obj.is_hidden or obj.author_id == member.pk)
    if kind == TargetKind.MEETING_SHARE:
        return can_see_share(member, obj)
    if kind == TargetKind.POST:
        queryset = type(obj).objects.filter(pk=obj.pk)
        return filter_visible_posts(queryset, member).exists()
    if kind == TargetKind.TOPIC:
        queryset = type(obj).objects.filter(pk=obj.pk)
        return filter_visible_topics(queryset, member).exists()
    return False


def report_refusal(member, target) -> str | None:
    """Why the member may not report the item: "not_allowed", "unseen" or "own"; None if they
    may. The one rule the report form and the report action share."""
    if not can_report_at_all(member):
        return "not_allowed"
    if not can_see_item(member, target.kind, target.obj):
        return "unseen"
    if target.subject is not None and target.subject.pk == member.pk:
        return "own"
    return None


def can_report(member, target) -> bool:
    """A member may report any item they can see, except their own."""
    return report_refusal(member, target) is None


def has_report_standing(member, *, now=None) -> bool:
    """Whose reports count toward hiding an item before a moderator looks: an account at least
    REPORT_STANDING_DAYS old with at least REPORT_STANDING_POSTS published posts or visible chat
    messages. Anyone may still report; a report without standing reaches the queue all the same.
    """
    conf = settings.HOMEGROUP
    joined_before = (now or timezone.now()) - timedelta(days=conf["REPORT_STANDING_DAYS"])
    if member.date_joined > joined_before:
        return False
    needed = conf["REPORT_STANDING_POSTS"]
    if needed <= 0:
        return True
    posts = (
        Post.objects.filter(author_id=member.pk, published_at__isnull=False)
        .exclude(state__in=[PostState.HIDDEN, PostState.REMOVED_BY_MODERATOR])
        .values("pk")[:needed]
    )
    found = len(posts)
    if found < needed:
        found += (
            ChatMessage.objects.published()
            .filter(author_id=member.pk)
            .values("pk")[: needed - found]
            .count()
        )
    return found >= needed
