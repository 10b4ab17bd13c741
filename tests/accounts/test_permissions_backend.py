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


# The set kept between requests, and every change that must end it ----------------------------


def answers(member) -> set[str]:
    return OneQueryPermissionsBackend().get_all_permissions(fresh(member))


def test_the_next_request_reads_the_permissions_without_a_query(
    moderator_with_an_own_permission, django_assert_num_queries
):
    first = answers(moderator_with_an_own_permission)
    next_request = fresh(moderator_with_an_own_permission)
    with django_assert_num_queries(0):
        assert OneQueryPermissionsBackend().get_all_permissions(next_request) == first


@pytest.mark.parametrize(
    "change",
    [
        "own permission added",
        "own permission removed",
        "own permissions cleared",
        "joins a group",
        "leaves the group",
        "groups cleared",
        "group drops a permission",
        "group gains a permission",
        "group's permissions cleared",
        "group's members cleared",
        "group removes the member",
        "group deleted",
        "permission leaves every group",
        "permission deleted",
        "made superuser",
    ],
)
def test_each_change_shows_on_the_next_request(
    change, moderator_with_an_own_permission, member_factory
):
    member = moderator_with_an_own_permission
    group = Group.objects.get(name="Speed test group")
    other = Group.objects.create(name="Other group")
    other.permissions.add(permission("manage_safety_lists"))
    answers(member)
    {
        "own permission added": lambda: member.user_permissions.add(permission("moderate_members")),
        "own permission removed": lambda: member.user_permissions.remove(
            permission("view_audit_log")
        ),
        "own permissions cleared": lambda: member.user_permissions.clear(),
        "joins a group": lambda: member.groups.add(other),
        "leaves the group": lambda: member.groups.remove(group),
        "groups cleared": lambda: member.groups.clear(),
        "group drops a permission": lambda: group.permissions.remove(
            permission("moderate_content")
        ),
        "group gains a permission": lambda: group.permissions.add(permission("moderate_members")),
        "group's permissions cleared": lambda: group.permissions.clear(),
        "group's members cleared": lambda: group.user_set.clear(),
        "group removes the member": lambda: group.user_set.remove(member),
        "group deleted": lambda: group.delete(),
        "permission leaves every group": lambda: permission("moderate_content").group_set.clear(),
        "permission deleted": lambda: permission("view_audit_log").delete(),
        "made superuser": lambda: (
            type(member).objects.filter(pk=member.pk).update(is_superuser=True)
        ),
    }[change]()
    assert answers(member) == ModelBackend().get_all_permissions(fresh(member))
    assert answers(member) != {
        "forum.review_reports",
        "forum.moderate_content",
        "forum.view_audit_log",
    }
