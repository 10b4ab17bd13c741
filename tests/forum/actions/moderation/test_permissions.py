"""Each branch of forum/permissions/moderation.py, and the Moderators group's named permissions."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

from accounts.actions.roles import grant_moderator, revoke_moderator
from accounts.models import User
from forum.actions.moderation import resolve_target
from forum.permissions import moderation as rules
from tests.forum.actions.moderation.factories import make_message, make_private_room, make_room

pytestmark = pytest.mark.django_db
CHECKS = [
    rules.can_review,
    rules.can_moderate_content,
    rules.can_moderate_members,
    rules.can_view_audit_log,
    rules.can_manage_safety_lists,
]


def fresh(member):
    return User.objects.get(pk=member.pk)


@pytest.mark.parametrize("check", CHECKS)
def test_visitors_and_members_hold_no_moderation_permission(check, member):
    assert not check(AnonymousUser())
    assert not check(member)


@pytest.mark.parametrize("check", CHECKS)
def test_moderators_and_admins_hold_every_moderation_permission(check, moderator, admin_user):
    assert check(fresh(moderator))
    assert check(admin_user)


def test_the_make_moderator_command_grants_and_revokes_the_named_permissions(member_factory):
    member_factory(username="NewMod")

    call_command("make_moderator", "NewMod")
    assert rules.can_review(User.objects.get(username="NewMod"))

    call_command("make_moderator", "NewMod", "--revoke")
    assert not rules.can_review(User.objects.get(username="NewMod"))


def test_revoking_clears_the_cached_permissions_on_the_same_object(member):
    grant_moderator(member=member)
    assert rules.can_review(member)

    revoke_moderator(member=member)

    assert not rules.can_review(member)


def test_a_banned_moderator_holds_no_permission(moderator):
    User.objects.filter(pk=moderator.pk).update(is_active=False)

    assert not rules.can_review(fresh(moderator))


def test_moderators_are_not_staff_so_the_admin_stays_closed(client, moderator):
    client.force_login(moderator)

    assert client.get("/admin/").status_code == 302


def test_nobody_acts_on_themselves_and_only_admins_act_on_moderators(
    moderator, admin_user, member, member_factory
):
    other_mod = member_factory()
    grant_moderator(member=other_mod)

    assert rules.can_act_on_member(moderator, member)
    assert not rules.can_act_on_member(moderator, moderator)
    assert not rules.can_act_on_member(moderator, other_mod)
    assert not rules.can_act_on_member(moderator, admin_user)
    assert rules.can_act_on_member(admin_user, other_mod)
    assert not rules.can_act_on_member(admin_user, admin_user)
    assert not rules.can_act_on_member(moderator, None)


def test_reporting_needs_a_login_and_an_account_in_good_standing(
    member, member_factory, opening_post
):
    target = resolve_target("post", opening_post.pk)
    suspended = member_factory(suspended_until=timezone.now() + timedelta(days=1))
    banned = member_factory(is_active=False)

    assert rules.can_report(member, target)
    assert rules.can_report(suspended, target)  # reporting is a safety path, not taking part
    assert not rules.can_report(banned, target)
    assert not rules.can_report(AnonymousUser(), target)
    assert not rules.can_report(opening_post.author, target)


def test_members_cannot_report_what_they_cannot_see(member, member_factory, opening_post):
    room = make_private_room()
    private = resolve_target("chat_message", make_message(room, room.mentorship.mentor).pk)
    hidden_message = make_message(make_room(), member_factory(), state="hidden")
    from tests.forum.actions.moderation.factories import make_post

    hidden_post = make_post(opening_post.topic, state="hidden")

    assert not rules.can_report(member, private)
    assert rules.can_report(room.mentorship.mentee, private)
    assert not rules.can_report(member, resolve_target("chat_message", hidden_message.pk))
    assert not rules.can_report(member, resolve_target("post", hidden_post.pk))
    banned = member_factory(is_active=False)
    assert not rules.can_report(member, resolve_target("member", banned.pk))
