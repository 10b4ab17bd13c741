"""Mentoring test data: eligible mentors, newcomers and seasoned members."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import MentorProfile, MentorRequest, Mentorship
from tests.factories import MemberFactory


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def make_member(*, days: int = 60, step: int = 3, **kwargs):
    """A member whose account is ``days`` old (not a newcomer by default)."""
    return MemberFactory(date_joined=days_ago(days), current_step=step, **kwargs)


def make_newcomer(**kwargs):
    return MemberFactory(date_joined=days_ago(1), **kwargs)


def make_mentor(*, capacity: int = 3, paused: bool = False, focus=(), **kwargs):
    """An eligible mentor (Step 12, account 60 days old) who has opted in."""
    member = make_member(step=12, **kwargs)
    MentorProfile.objects.create(
        member=member,
        intro="Ten years on the road. I like Step 4 questions.",
        focus_steps=list(focus),
        capacity=capacity,
        is_paused=paused,
    )
    return member


def make_mentorship(mentor, mentee, **kwargs) -> Mentorship:
    from forum.actions.chat import open_mentorship_room

    mentorship = Mentorship.objects.create(mentor=mentor, mentee=mentee, **kwargs)
    open_mentorship_room(mentorship=mentorship)
    return mentorship


def make_request(mentee, mentor=None, message="Could you guide me through the steps?"):
    return MentorRequest.objects.create(mentee=mentee, mentor=mentor, message=message)
