"""The one authentication backend: allauth's password check, permissions in one query, and a
failed login that costs one password hash."""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q


class OneQueryPermissionsBackend(AuthenticationBackend):
    """allauth's backend (it tells a banned member their account is inactive), first in
    ``AUTHENTICATION_BACKENDS``.

    The backends after it stay listed only so sessions they once started remain valid: after a
    wrong password this one stops the chain, or each would hash the password again.

    Every page asks whether the member may moderate (the header's link), so the member's own
    permissions and their groups' are read together. The answer is what ModelBackend gives,
    kept on the user object for the request as ModelBackend does."""

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is None and credentials.get("password"):
            raise PermissionDenied
        return user

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                perms = Permission.objects.all()
            else:
                perms = Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
            rows = perms.values_list("content_type__app_label", "codename").order_by()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows}
        return user_obj._perm_cache
