"""Granting and revoking the moderator role."""

from __future__ import annotations

from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import MODERATORS_GROUP


def moderators_group() -> Group:
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    return group


def grant_moderator(*, member: User) -> None:
    member.groups.add(moderators_group())
    member.__dict__.pop("_is_moderator", None)


def revoke_moderator(*, member: User) -> None:
    member.groups.remove(moderators_group())
    member.__dict__.pop("_is_moderator", None)
