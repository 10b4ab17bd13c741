"""Changes a member makes to their own profile and privacy settings."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Theme, User

BIO_MAX_LENGTH = 500


def update_profile(*, member: User, bio: str, show_step: bool) -> User:
    """What others may see of a member: a bio and, if they choose, their step. Never their
    clean date or clean time, which are private (``set_clean_date``)."""
    bio = bio.strip()
    if len(bio) > BIO_MAX_LENGTH:
        raise ValidationError(f"A bio is at most {BIO_MAX_LENGTH} characters.")
    User.objects.filter(pk=member.pk).update(bio=bio, show_step=show_step)
    member.bio, member.show_step = bio, show_step
    return member


def set_theme(*, member: User, theme: str) -> User:
    """Light, dark or the device's setting; base.html renders it, so no page flashes."""
    if theme not in Theme.values:
        raise ValidationError("Choose light, dark or the same as your device.")
    User.objects.filter(pk=member.pk).update(theme=theme)
    member.theme = theme
    return member


def set_clean_date(*, member: User, clean_date: datetime.date | None) -> User:
    """Set, change or clear the private clean date. After a relapse a new date is a fresh
    start: the journey and the workbook stay exactly as they are."""
    if clean_date and clean_date > timezone.localdate():
        raise ValidationError("A clean date cannot be in the future.")
    User.objects.filter(pk=member.pk).update(clean_date=clean_date)
    member.clean_date = clean_date
    return member
