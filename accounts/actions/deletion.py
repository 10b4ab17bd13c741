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
    """Delete the member row and everything hanging off it (email, bio, clean date, journey,
    the whole step workbook).

    Content the member wrote is linked with ``on_delete=SET_NULL`` and so shows "former member";
    the pseudonym is free again as soon as the row is gone. Active mentorships end first, so the
    other member keeps their private room, read-only, with their own messages in it.
    """
    if not member.check_password(password):
        raise WrongPassword("That password is not right, so nothing was deleted.")
    from accounts.actions.mentoring import end_mentorship
    from accounts.models import Mentorship, WorkbookShare

    for mentorship in Mentorship.objects.filter(
        Q(mentor=member) | Q(mentee=member), status=Mentorship.Status.ACTIVE
    ):
        end_mentorship(member=member, mentorship=mentorship)
    # The workbook goes with the row (CASCADE); a shared step's row hangs off the mentorship,
    # which outlives the member, so it (and the mentor's note on it) is erased here.
    WorkbookShare.objects.filter(mentorship__mentee_id=member.pk).delete()
    User.objects.filter(pk=member.pk).delete()
    invalidate_visitor_pages_on_commit()  # their posts now show "former member"
