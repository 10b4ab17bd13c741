import pytest
from django.core.management import CommandError, call_command

from accounts.roles import (
    REVIEW,
    Capabilities,
    capabilities,
    forget_capabilities,
    is_admin,
    is_moderator,
)
from accounts.selectors import get_member_by_pseudonym

pytestmark = pytest.mark.django_db


def test_make_moderator_grants_and_revokes_the_role(member_factory, capsys):
    member_factory(username="SteadyCedar")

    call_command("make_moderator", "steadycedar")
    assert is_moderator(get_member_by_pseudonym("SteadyCedar"))
    assert "is now a moderator" in capsys.readouterr().out

    call_command("make_moderator", "SteadyCedar", "--revoke")
    assert not is_moderator(get_member_by_pseudonym("SteadyCedar"))


def test_make_moderator_names_an_unknown_pseudonym():
    with pytest.raises(CommandError, match="No member has the pseudonym"):
        call_command("make_moderator", "Nobody")


def test_a_plain_member_is_not_a_moderator(member):
    assert not is_moderator(member)


# Capabilities: one test per branch -----------------------------------------------------------

CAPABILITY_PERMISSIONS = {
    "review": "review_reports",
    "moderate_content": "moderate_content",
    "moderate_members": "moderate_members",
    "view_audit_log": "view_audit_log",
    "manage_safety_lists": "manage_safety_lists",
}


def holding(member, codename: str):
    """The member, read afresh, holding one named permission of their own."""
    from django.contrib.auth.models import Permission

    member.user_permissions.add(Permission.objects.get(codename=codename))
    return type(member).objects.get(pk=member.pk)


def test_a_visitor_has_no_capability():
    from django.contrib.auth.models import AnonymousUser

    assert not Capabilities(AnonymousUser()).has(REVIEW)


def test_no_one_at_all_has_no_capability():
    assert not capabilities(None).is_moderator


def test_a_banned_member_has_no_capability_even_with_the_permission(member):
    banned = holding(member, "review_reports")
    banned.is_active = False

    assert not Capabilities(banned).has(REVIEW)


def test_a_member_without_the_permission_lacks_the_capability(member):
    assert not Capabilities(member).has(REVIEW)


def test_a_member_with_the_permission_has_the_capability(member):
    assert Capabilities(holding(member, "review_reports")).has(REVIEW)


@pytest.mark.parametrize("name", CAPABILITY_PERMISSIONS)
def test_each_capability_is_its_own_named_permission(name, member):
    held = Capabilities(holding(member, CAPABILITY_PERMISSIONS[name]))

    assert getattr(held, name)
    assert [other for other in CAPABILITY_PERMISSIONS if getattr(held, other)] == [name]


@pytest.mark.parametrize("codename", CAPABILITY_PERMISSIONS.values())
def test_holding_any_one_moderation_permission_makes_a_moderator(codename, member):
    assert is_moderator(holding(member, codename))


def test_the_capabilities_are_built_once_per_member_instance(member):
    assert capabilities(member) is capabilities(member)


def test_forgetting_the_capabilities_reads_the_permissions_afresh(member):
    from django.contrib.auth.models import Permission

    assert not capabilities(member).is_moderator
    member.user_permissions.add(Permission.objects.get(codename="review_reports"))
    assert not capabilities(member).is_moderator  # still the answer cached for this instance

    forget_capabilities(member)

    assert capabilities(member).is_moderator


def test_a_visitor_is_not_an_admin():
    from django.contrib.auth.models import AnonymousUser

    assert not is_admin(AnonymousUser())


def test_staff_who_are_not_superusers_are_not_admins(member_factory):
    assert not is_admin(member_factory(is_staff=True))


def test_superusers_who_are_not_staff_are_not_admins(member_factory):
    assert not is_admin(member_factory(is_superuser=True))


def test_staff_superusers_are_admins(member_factory):
    assert is_admin(member_factory(is_staff=True, is_superuser=True))
