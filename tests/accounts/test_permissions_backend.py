"""accounts.backends.OneQueryPermissionsBackend answers as Django's ModelBackend, in one query."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from accounts.backends import OneQueryPermissionsBackend

pytestmark = pytest.mark.django_db


def fresh(member):
    return get_user_model().objects.get(pk=member.pk)


def permission(codename: str) -> Permission:
    return Permission.objects.get(codename=codename, content_type__app_label="forum")


@pytest.fixture
def moderator_with_an_own_permission(member_factory):
    member = member_factory()
    group = Group.objects.create(name="Speed test group")
    group.permissions.add(permission("review_reports"), permission("moderate_content"))
    member.groups.add(group)
    member.user_permissions.add(permission("view_audit_log"), permission("review_reports"))
    return member


@pytest.mark.parametrize(
    "kind", ["plain member", "group and own permissions", "superuser", "deactivated"]
)
def test_the_backend_gives_the_permissions_django_gives(
    kind, member_factory, moderator_with_an_own_permission
):
    member = {
        "plain member": lambda: member_factory(),
        "group and own permissions": lambda: moderator_with_an_own_permission,
        "superuser": lambda: member_factory(is_superuser=True),
        "deactivated": lambda: member_factory(is_active=False),
    }[kind]()
    ours = OneQueryPermissionsBackend().get_all_permissions(fresh(member))
    django = ModelBackend().get_all_permissions(fresh(member))
    assert ours == django
    if kind == "group and own permissions":
        assert ours == {"forum.review_reports", "forum.moderate_content", "forum.view_audit_log"}


def test_a_pages_permission_checks_cost_one_query(
    moderator_with_an_own_permission, django_assert_num_queries
):
    member = fresh(moderator_with_an_own_permission)
    with django_assert_num_queries(1):
        assert member.has_perm("forum.review_reports")
        assert member.has_perm("forum.view_audit_log")
        assert not member.has_perm("forum.manage_safety_lists")
