"""Read-side queries about members."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import StepChange, User


def active_members() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def get_member_by_pseudonym(pseudonym: str) -> User:
    member = active_members().filter(username__iexact=pseudonym).first()
    if member is None:
        raise Http404("No member has that pseudonym.")
    return member


def pseudonym_is_taken(pseudonym: str) -> bool:
    return User.objects.filter(username__iexact=pseudonym).exists()


def recovery_address_is_held(email: str) -> bool:
    """Whether a member already recovers their account with this address."""
    return User.objects.filter(email__iexact=email).exists()


def recovery_address(member: User) -> str | None:
    """The address the member gave, as they see it (an address another member already held is
    kept unverified on the member's EmailAddress row, never in ``User.email``)."""
    if member.email:
        return member.email
    from allauth.account.models import EmailAddress

    row = EmailAddress.objects.filter(user=member, primary=True).first()
    return row.email if row else None


def step_history(member: User) -> QuerySet[StepChange]:
    return member.step_changes.all()


def export_member_data(member: User) -> dict[str, Any]:
    """Everything Homegroup stores about a member, for the JSON download at /me/export/."""
    from accounts.selectors_mentoring import mentoring_export
    from accounts.selectors_workbook import workbook_export
    from forum.selectors.export import member_contributions

    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "pseudonym": member.username,
            "email": recovery_address(member),
            "date_joined": member.date_joined.isoformat(),
            "bio": member.bio,
            "current_step": member.current_step,
            "show_step": member.show_step,
            "clean_date": member.clean_date.isoformat() if member.clean_date else None,
            "last_login": member.last_login.isoformat() if member.last_login else None,
        },
        "step_journey": [
            {
                "from_step": change.from_step,
                "to_step": change.to_step,
                "changed_at": change.changed_at.isoformat(),
                "came_in": change.came_in,
                "reflection": change.reflection.content.get("text") if change.reflection else None,
            }
            for change in step_history(member).select_related("reflection")
        ],
        "sessions": [
            {
                "started_at": session.created_at.isoformat(),
                "browser": session.user_agent,
            }
            for session in member.usersession_set.all()
        ],
        **member_contributions(member),
        **mentoring_export(member),
        **workbook_export(member),
    }
