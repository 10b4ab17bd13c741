"""Granting and revoking the moderator role."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from accounts.models import User
from accounts.roles import MODERATORS_GROUP


def moderators_group() -> Group:
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    return group


def moderator_permissions() -> list[Permission]:
    """The named permissions moderation checks (declared on forum's Report model)."""
    from forum.models.moderation import MODERATOR_PERMISSION_CODENAMES

    return list(
        Permission.objects.filter(
            content_type__app_label="forum", codename__in=MODERATOR_PERMISSION_CODENAMES
        )
    )


def grant_moderator(*, member: User) -> None:
    group = moderators_group()
    group.permissions.add(*moderator_permissions())
    member.groups.add(group)
    member.__dict__.pop("_is_moderator", None)
    for cache in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        member.__dict__.pop(cache, None)


def revoke_moderator(*, member: User) -> None:
    member.groups.remove(moderators_group())
    member.__dict__.pop("_is_moderator", None)
    for cache in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        member.__dict__.pop(cache, None)
