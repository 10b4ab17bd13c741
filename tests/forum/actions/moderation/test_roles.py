"""Granting and removing roles, and deactivating in the admin: through actions, audited, and
ending sessions and closing sockets where they should."""

import pytest
from channels.db import database_sync_to_async as db
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.roles import is_moderator
from forum.actions.moderation import ModerationError, set_moderator_role
from forum.models import AuditLogEntry
from tests.factories import make_room
from tests.sockets import closed_with, connect, next_frame

pytestmark = pytest.mark.django_db


def test_granting_the_mentor_role_from_a_profile_is_audited(moderator_client, member):
    moderator_client.post(reverse("accounts:mentor_role", args=[member.username]), {"grant": "1"})

    entry = AuditLogEntry.objects.get(action="grant_role")
    assert entry.member == member and "mentor role" in entry.target_description

    moderator_client.post(reverse("accounts:mentor_role", args=[member.username]), {"grant": "0"})

    assert AuditLogEntry.objects.filter(action="remove_role", member=member).count() == 1


def test_make_moderator_is_audited(member):
    call_command("make_moderator", member.username)

    entry = AuditLogEntry.objects.get(action="grant_role")
    assert "moderator role" in entry.target_description and entry.reason == "make_moderator"


def test_only_an_admin_changes_the_moderator_role(moderator, member):
    with pytest.raises(ModerationError, match="Only an admin"):
        set_moderator_role(by=moderator, member=member, granted=True)

    assert not is_moderator(member)


def test_deactivating_in_the_admin_ends_every_session_and_is_audited(admin_user, member):
    session = Client()
    session.force_login(member)
    admin = Client()
    admin.force_login(admin_user)

    admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [member.pk]},
    )

    member.refresh_from_db()
    assert not member.is_active
    assert AuditLogEntry.objects.get(action="deactivate").member == member
    assert session.get(reverse("accounts:me")).status_code == 302


def test_the_admin_change_form_cannot_flip_active_or_groups(admin_user, member):
    admin = Client()
    admin.force_login(admin_user)
    page = admin.get(reverse("admin:accounts_user_change", args=[member.pk])).content.decode()

    assert 'name="is_active"' not in page and 'name="groups"' not in page


def test_making_and_removing_a_moderator_in_the_admin_is_audited(admin_user, member):
    admin = Client()
    admin.force_login(admin_user)

    admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "make_moderator", "_selected_action": [member.pk]},
    )
    assert is_moderator(type(member).objects.get(pk=member.pk))
    admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "remove_moderator", "_selected_action": [member.pk]},
    )

    assert not is_moderator(type(member).objects.get(pk=member.pk))
    actions = list(AuditLogEntry.objects.values_list("action", flat=True))
    assert sorted(actions) == ["grant_role", "remove_role"]


@pytest.mark.django_db(transaction=True)
async def test_removing_the_moderator_role_closes_the_members_sockets(member_factory):
    from accounts.actions.roles import grant_moderator

    former = await db(member_factory)(username="FormerModerator")
    await db(grant_moderator)(member=former)
    room = await db(make_room)()
    socket = await connect(former, f"/ws/chat/{room.slug}/")
    await next_frame(socket, "presence")

    await db(set_moderator_role)(by=None, member=former, granted=False)

    assert await closed_with(socket, timeout=2) == 4000


# One test per branch of the role checks ------------------------------------------------------


def test_an_admin_cannot_deactivate_their_own_account_here(admin_user):
    from forum.actions.moderation.roles import deactivate_member

    with pytest.raises(ModerationError, match="your own account"):
        deactivate_member(by=admin_user, member=admin_user, reason="Leaving")


def test_an_admin_is_not_deactivated_before_their_admin_rights_are_removed(
    admin_user, member_factory
):
    from forum.actions.moderation.roles import deactivate_member

    other_admin = member_factory(is_staff=True, is_superuser=True)

    with pytest.raises(ModerationError, match="Remove the admin rights first"):
        deactivate_member(by=admin_user, member=other_admin, reason="Leaving")
