"""Roles and accounts: the mentor and moderator roles, and deactivating an account.

The admin, the member pages and the ``make_moderator`` command all come here, so every change is
in the audit log. Removing the moderator role closes the member's sockets (they reconnect with
what they may do now); deactivating ends every session and closes every socket.
"""

from __future__ import annotations

from django.db import transaction

from accounts.actions.mentoring import grant_mentor_role, revoke_mentor_role
from accounts.actions.roles import grant_moderator, revoke_moderator
from accounts.models import User
from accounts.roles import capabilities
from forum.actions.chat import disconnect_member
from forum.actions.moderation.common import Action, write_audit
from forum.actions.moderation.members import end_sessions
from forum.errors import ModerationError
from forum.models import AuditLogEntry
from forum.permissions.moderation import check_can_moderate_members

RECONNECT = 4000
"""Close code asking a client to reconnect: what the member may do has changed."""


def _audit_role(*, by: User | None, member: User, granted: bool, role: str, reason: str):
    return write_audit(
        moderator=by,
        action=Action.GRANT_ROLE if granted else Action.REMOVE_ROLE,
        reason=reason or ("Role granted" if granted else "Role removed"),
        member=member,
        description=f"{role} role, member {member.username}",
    )


@transaction.atomic
def set_mentor_role(
    *, moderator: User, member: User, granted: bool, reason: str = ""
) -> AuditLogEntry:
    """A moderator lets a member mentor before Step 12 and the account age, or stops that."""
    check_can_moderate_members(moderator)
    if granted:
        grant_mentor_role(moderator=moderator, member=member)
    else:
        revoke_mentor_role(moderator=moderator, member=member)
    return _audit_role(by=moderator, member=member, granted=granted, role="mentor", reason=reason)


def _check_admin(by: User | None) -> None:
    if by is not None and not (by.is_active and by.is_superuser):
        raise ModerationError("Only an admin can change the moderator role or deactivate.")


@transaction.atomic
def set_moderator_role(
    *, by: User | None, member: User, granted: bool, reason: str = ""
) -> AuditLogEntry:
    """An admin (or ``make_moderator``, ``by`` None) grants or removes the moderator role."""
    _check_admin(by)
    if granted:
        grant_moderator(member=member)
    else:
        revoke_moderator(member=member)
        disconnect_member(member=member, code=RECONNECT)
    return _audit_role(by=by, member=member, granted=granted, role="moderator", reason=reason)


@transaction.atomic
def deactivate_member(*, by: User, member: User, reason: str = "") -> AuditLogEntry:
    """An admin closes an account: every session ends and every socket closes at once."""
    _check_admin(by)
    if by is not None and by.pk == member.pk:
        raise ModerationError("You cannot deactivate your own account here.")
    if capabilities(member).is_moderator and member.is_superuser:
        raise ModerationError("Remove the admin rights first.")
    User.objects.filter(pk=member.pk).update(is_active=False)
    member.is_active = False
    end_sessions(member)
    disconnect_member(member=member, code=4403)
    return write_audit(
        moderator=by,
        action=Action.DEACTIVATE,
        reason=reason or "Deactivated in the admin",
        member=member,
        description=f"member {member.username}",
    )
