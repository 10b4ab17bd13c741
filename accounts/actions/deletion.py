"""Deleting an account: the person's data goes, what they wrote stays as "former member"."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from forum.caching import invalidate_visitor_pages_on_commit


class WrongPassword(Exception):
    pass


@transaction.atomic
def delete_account(*, member: User, password: str) -> None:
    """Delete the member row and everything hanging off it (email, bio, clean date, journey).

    Content the member wrote is linked with ``on_delete=SET_NULL`` and so shows "former member";
    the pseudonym is free again as soon as the row is gone.
    """
    if not member.check_password(password):
        raise WrongPassword("That password is not right, so nothing was deleted.")
    User.objects.filter(pk=member.pk).delete()
    invalidate_visitor_pages_on_commit()  # their posts now show "former member"
