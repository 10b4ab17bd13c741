"""Each branch of forum/permissions/moderation.py, one test each, and the Moderators group's
named permissions."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from accounts.actions.roles import grant_moderator, revoke_moderator
from accounts.models import User
from forum.actions.moderation import resolve_target
from forum.models import Post
from forum.permissions import moderation as rules
from tests.factories import (
    make_message,
    make_moderator,
    make_post,
    make_private_room,
    make_room,
    make_topic,
)

pytestmark = pytest.mark.django_db
CHECKS = [
    rules.can_review,
    rules.can_moderate_content,
    rules.can_moderate_members,
    rules.can_view_audit_log,
    rules.can_manage_safety_lists,
]
RAISING = [
    rules.check_can_review,
    rules.check_can_moderate_content,
    rules.check_can_moderate_members,
    rules.check_can_view_audit_log,
    rules.check_can_manage_safety_lists,
]


def fresh(member):
    return User.objects.get(pk=member.pk)


# The named permissions -----------------------------------------------------------------------


@pytest.mark.parametrize("check", CHECKS)
def test_a_visitor_holds_no_moderation_permission(check):
    assert not check(AnonymousUser())


@pytest.mark.parametrize("check", CHECKS)
def test_a_member_holds_no_moderation_permission(check, member):
    assert not check(member)


@pytest.mark.parametrize("check", CHECKS)
def test_a_moderator_holds_every_moderation_permission(check, moderator):
    assert check(fresh(moderator))


@pytest.mark.parametrize("check", CHECKS)
def test_an_admin_holds_every_moderation_permission(check, admin_user):
    assert check(admin_user)


@pytest.mark.parametrize("check", RAISING)
def test_each_check_refuses_a_member(check, member):
    with pytest.raises(PermissionDenied, match="for moderators"):
        check(member)


@pytest.mark.parametrize("check", RAISING)
def test_each_check_lets_a_moderator_through(check, moderator):
    assert check(fresh(moderator)) is None


def test_the_make_moderator_command_grants_the_named_permissions(member_factory):
    member_factory(username="NewMod")

    call_command("make_moderator", "NewMod")

    assert rules.can_review(User.objects.get(username="NewMod"))


def test_the_make_moderator_command_revokes_the_named_permissions(member_factory):
    make_moderator(username="OldMod")

    call_command("make_moderator", "OldMod", "--revoke")

    assert not rules.can_review(User.objects.get(username="OldMod"))


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


# Acting on a member --------------------------------------------------------------------------


def test_a_moderator_may_act_on_a_member(moderator, member):
    assert rules.can_act_on_member(moderator, member)


def test_nobody_acts_on_no_member(moderator):
    assert not rules.can_act_on_member(moderator, None)


def test_a_moderator_does_not_act_on_themself(moderator):
    assert not rules.can_act_on_member(moderator, moderator)


def test_an_admin_does_not_act_on_themself(admin_user):
    assert not rules.can_act_on_member(admin_user, admin_user)


def test_a_moderator_does_not_act_on_an_admin(moderator, admin_user):
    assert not rules.can_act_on_member(moderator, admin_user)


def test_a_moderator_does_not_act_on_another_moderator(moderator):
    assert not rules.can_act_on_member(moderator, make_moderator())


def test_an_admin_may_act_on_a_moderator(admin_user):
    assert rules.can_act_on_member(admin_user, make_moderator())


def test_the_check_refuses_acting_on_oneself_with_the_rule_in_words(moderator):
    with pytest.raises(PermissionDenied, match="cannot act on themselves"):
        rules.check_can_act_on_member(moderator, moderator)


def test_the_check_lets_a_moderator_act_on_a_member(moderator, member):
    assert rules.check_can_act_on_member(moderator, member) is None


# Reporting -----------------------------------------------------------------------------------


def test_a_member_may_report_at_all(member):
    assert rules.can_report_at_all(member)


def test_a_visitor_may_not_report_at_all():
    assert not rules.can_report_at_all(AnonymousUser())


def test_a_banned_member_may_not_report_at_all(member_factory):
    assert not rules.can_report_at_all(member_factory(is_active=False))


def test_a_suspended_member_may_still_report_as_a_safety_path(member_factory):
    suspended = member_factory(suspended_until=timezone.now() + timedelta(days=1))

    assert rules.can_report_at_all(suspended)


def test_an_active_member_can_be_seen_to_be_reported(member, member_factory):
    other = member_factory()

    assert rules.can_see_item(member, "member", other)


def test_a_banned_member_cannot_be_seen_to_be_reported(member, member_factory):
    banned = member_factory(is_active=False)

    assert not rules.can_see_item(member, "member", banned)


def test_a_published_chat_message_in_a_public_room_can_be_seen(member, member_factory):
    message = make_message(make_room(), member_factory())

    assert rules.can_see_item(member, "chat_message", message)


def test_a_chat_message_in_someone_elses_private_room_cannot_be_seen(member):
    room = make_private_room()
    message = make_message(room, room.mentorship.mentor)

    assert not rules.can_see_item(member, "chat_message", message)


def test_a_chat_message_in_ones_own_private_room_can_be_seen():
    room = make_private_room()
    message = make_message(room, room.mentorship.mentor)

    assert rules.can_see_item(room.mentorship.mentee, "chat_message", message)


def test_someone_elses_hidden_chat_message_cannot_be_seen(member, member_factory):
    message = make_message(make_room(), member_factory(), state="hidden")

    assert not rules.can_see_item(member, "chat_message", message)


def test_ones_own_hidden_chat_message_can_be_seen(member):
    message = make_message(make_room(), member, state="hidden")

    assert rules.can_see_item(member, "chat_message", message)


def test_a_published_post_can_be_seen(member, opening_post):
    assert rules.can_see_item(member, "post", opening_post)


def test_a_hidden_post_cannot_be_seen(member, opening_post):
    hidden_post = make_post(opening_post.topic, state="hidden")

    assert not rules.can_see_item(member, "post", hidden_post)


def test_a_published_topic_can_be_seen(member, opening_post):
    assert rules.can_see_item(member, "topic", opening_post.topic)


def test_a_hidden_topic_cannot_be_seen(member):
    topic = make_topic(state="hidden")

    assert not rules.can_see_item(member, "topic", topic)


def test_an_item_of_an_unknown_kind_cannot_be_seen(member, opening_post):
    assert not rules.can_see_item(member, "poll", opening_post)


def test_a_member_may_report_a_post_they_can_see(member, opening_post):
    target = resolve_target("post", opening_post.pk)

    assert rules.report_refusal(member, target) is None
    assert rules.can_report(member, target)


def test_a_visitor_may_not_report(opening_post):
    target = resolve_target("post", opening_post.pk)

    assert rules.report_refusal(AnonymousUser(), target) == "not_allowed"


def test_a_banned_member_may_not_report(member_factory, opening_post):
    target = resolve_target("post", opening_post.pk)

    assert rules.report_refusal(member_factory(is_active=False), target) == "not_allowed"


def test_a_suspended_member_may_report_a_post(member_factory, opening_post):
    suspended = member_factory(suspended_until=timezone.now() + timedelta(days=1))

    assert rules.can_report(suspended, resolve_target("post", opening_post.pk))


def test_a_member_may_not_report_what_they_cannot_see(member, opening_post):
    hidden_post = make_post(opening_post.topic, state="hidden")

    assert rules.report_refusal(member, resolve_target("post", hidden_post.pk)) == "unseen"


def test_a_member_may_not_report_their_own_post(opening_post):
    target = resolve_target("post", opening_post.pk)

    assert rules.report_refusal(opening_post.author, target) == "own"
    assert not rules.can_report(opening_post.author, target)


# Report standing -----------------------------------------------------------------------------


def _standing(settings, *, days: int, posts: int) -> None:
    settings.HOMEGROUP = {
        **settings.HOMEGROUP,
        "REPORT_STANDING_DAYS": days,
        "REPORT_STANDING_POSTS": posts,
    }


def test_an_account_younger_than_the_standing_age_has_no_report_standing(settings, member):
    _standing(settings, days=7, posts=0)

    assert not rules.has_report_standing(member)


def test_an_old_enough_account_has_standing_when_no_posts_are_needed(settings, member_factory):
    _standing(settings, days=7, posts=0)
    old = member_factory(date_joined=timezone.now() - timedelta(days=30))

    assert rules.has_report_standing(old)


def test_enough_published_posts_give_report_standing(settings, member_factory, opening_post):
    _standing(settings, days=0, posts=2)
    writer = member_factory(date_joined=timezone.now() - timedelta(days=30))
    make_post(opening_post.topic, author=writer)
    make_post(opening_post.topic, author=writer)

    assert rules.has_report_standing(writer)


def test_posts_and_chat_messages_together_give_report_standing(
    settings, member_factory, opening_post
):
    _standing(settings, days=0, posts=2)
    writer = member_factory(date_joined=timezone.now() - timedelta(days=30))
    make_post(opening_post.topic, author=writer)
    make_message(make_room(), writer)

    assert rules.has_report_standing(writer)


def test_too_few_posts_and_messages_give_no_report_standing(settings, member_factory, opening_post):
    _standing(settings, days=0, posts=3)
    writer = member_factory(date_joined=timezone.now() - timedelta(days=30))
    make_post(opening_post.topic, author=writer)
    make_message(make_room(), writer)

    assert not rules.has_report_standing(writer)
    assert Post.objects.filter(author=writer).count() == 1
