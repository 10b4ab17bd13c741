"""Deleting an account: the person's data goes, what they wrote stays as "former member"."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from accounts.models import User
from forum.caching import invalidate_visitor_pages_on_commit


class WrongPassword(Exception):
    pass


@transaction.atomic
def delete_account(*, member: User, password: str) -> None:
    """Delete the member row and everything hanging off it (email, bio, clean date, journey).

    Content the member wrote is linked with ``on_delete=SET_NULL`` and so shows "former member";
    the pseudonym is free again as soon as the row is gone. Active mentorships end first, so the
    other member keeps their private room, read-only, with their own messages in it.
    """
    if not member.check_password(password):
        raise WrongPassword("That password is not right, so nothing was deleted.")
    from accounts.actions.mentoring import end_mentorship
    from accounts.models import Mentorship

    for mentorship in Mentorship.objects.filter(
        Q(mentor=member) | Q(mentee=member), status=Mentorship.Status.ACTIVE
    ):
        end_mentorship(member=member, mentorship=mentorship)
    User.objects.filter(pk=member.pk).delete()
    invalidate_visitor_pages_on_commit()  # their posts now show "former member"
