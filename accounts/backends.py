"""The one authentication backend: allauth's password check, permissions in one query, and a
failed login that costs one password hash."""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from accounts.session_members import session_member

# Only the lifetime of an unused entry: every change that grants or removes a permission
# deletes the member's entry (forget_permissions_on_change below).
PERMISSIONS_CACHE_SECONDS = 3600


class OneQueryPermissionsBackend(AuthenticationBackend):
    """allauth's backend (it tells a banned member their account is inactive), first in
    ``AUTHENTICATION_BACKENDS``.

    The backends after it stay listed only so sessions they once started remain valid: after a
    wrong password this one stops the chain, or each would hash the password again.

    Every page asks whether the member may moderate (the header's link), so the member's own
    permissions and their groups' are read together. The answer is what ModelBackend gives,
    kept on the user object for the request as ModelBackend does, and in the cache between
    requests (one cache read instead of a joined query a page)."""

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is None and credentials.get("password"):
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        """The session's member, usually from the cache (accounts/session_members.py), with
        their permission set from the same cache read."""
        keys = permission_keys(user_id)
        member, found = session_member(user_id, also_read=keys)
        if member is None or not self.user_can_authenticate(member):
            return None
        permissions = found.get(keys[member.is_superuser])
        if permissions is not None:
            member._perm_cache = permissions
        return member

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = permissions_cache_key(user_obj.pk, superuser=user_obj.is_superuser)
            perms = cache.get(key)
            if perms is None:
                perms = _read_permissions(user_obj)
                cache.set(key, perms, PERMISSIONS_CACHE_SECONDS)
            user_obj._perm_cache = perms
        return user_obj._perm_cache


def _read_permissions(user_obj) -> set[str]:
    if user_obj.is_superuser:
        perms = Permission.objects.all()
    else:
        perms = Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
    rows = perms.values_list("content_type__app_label", "codename").order_by()
    return {f"{app}.{codename}" for app, codename in rows}


def permissions_cache_key(member_pk, *, superuser: bool) -> str:
    """Superuser status is in the key: a flag changed by a bare UPDATE still reads right."""
    return f"member-permissions:{member_pk}:{int(superuser)}"


def permission_keys(member_pk) -> list[str]:
    """Both possible permission keys of a member, read with their row (indexed by the flag)."""
    return [permissions_cache_key(member_pk, superuser=flag) for flag in (False, True)]


def forget_permissions(member_pks) -> None:
    """Now and again at commit: a request reading between the two must not keep an old set."""
    keys = [
        permissions_cache_key(pk, superuser=superuser)
        for pk in member_pks
        for superuser in (False, True)
    ]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def _members_of_groups(group_pks) -> list:
    through = get_user_model().groups.through
    return list(through.objects.filter(group_id__in=group_pks).values_list("user_id", flat=True))


def forget_permissions_on_change(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """``m2m_changed`` of a member's groups or own permissions, or of a group's permissions.

    Clears are seen at ``pre_clear``, while the rows they remove can still be read."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if sender is Group.permissions.through:
        if not reverse:
            groups = [instance.pk]
        elif action == "pre_clear":
            groups = sender.objects.filter(permission=instance).values_list("group_id", flat=True)
        else:
            groups = pk_set or ()
        forget_permissions(_members_of_groups(list(groups)))
    elif not reverse:
        forget_permissions([instance.pk])
    elif action == "pre_clear":
        field = "group" if sender is get_user_model().groups.through else "permission"
        forget_permissions(
            list(sender.objects.filter(**{field: instance}).values_list("user_id", flat=True))
        )
    else:
        forget_permissions(pk_set or ())


def forget_permissions_on_delete(sender, instance, **kwargs) -> None:
    """``pre_delete`` of a group or a permission: the cascade sends no ``m2m_changed``."""
    if sender is Group:
        forget_permissions(_members_of_groups([instance.pk]))
        return
    user_model = get_user_model()
    groups = Group.permissions.through.objects.filter(permission=instance).values_list(
        "group_id", flat=True
    )
    direct = user_model.user_permissions.through.objects.filter(permission=instance)
    forget_permissions(
        [*direct.values_list("user_id", flat=True), *_members_of_groups(list(groups))]
    )
