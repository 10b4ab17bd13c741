"""Granting and revoking the moderator role."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from accounts.models import User
from accounts.roles import MODERATORS_GROUP, forget_capabilities


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
    forget_capabilities(member)


def revoke_moderator(*, member: User) -> None:
    member.groups.remove(moderators_group())
    forget_capabilities(member)
