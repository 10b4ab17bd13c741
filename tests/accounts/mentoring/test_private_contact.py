"""``can_contact_privately``: blocks and the newcomer's first weeks (no cold contact)."""

import datetime

import pytest
from django.utils import timezone

from accounts.actions.blocking import block_member
from accounts.actions.mentoring import (
    MentoringRefused,
    accept_request,
    post_open_request,
    request_mentor,
)
from accounts.models import MentorRequest
from accounts.permissions import can_contact_privately, is_newcomer
from tests.factories import make_member, make_mentor, make_newcomer

pytestmark = pytest.mark.django_db


def test_accounts_under_7_days_are_newcomers(settings):
    assert is_newcomer(make_newcomer())
    assert not is_newcomer(make_member(days=8))
    settings.HOMEGROUP = {**settings.HOMEGROUP, "NEWCOMER_DAYS": 10}
    assert is_newcomer(make_member(days=8))


def test_nobody_cold_contacts_a_newcomer(newcomer, mentor, third):
    assert not can_contact_privately(mentor, newcomer)
    assert not can_contact_privately(third, newcomer)


def test_a_mentor_the_newcomer_asked_may_contact_them(newcomer, mentor):
    request_mentor(mentee=newcomer, mentor=mentor, message="Hello")

    assert can_contact_privately(mentor, newcomer)
    assert not can_contact_privately(make_mentor(username="NotAsked"), newcomer)


def test_an_open_request_invites_any_mentor_but_not_other_members(newcomer, mentor, third):
    post_open_request(mentee=newcomer, message="Anyone?")

    assert can_contact_privately(mentor, newcomer)
    assert not can_contact_privately(third, newcomer)


def test_a_withdrawn_request_no_longer_invites_contact(newcomer, mentor):
    request_mentor(mentee=newcomer, mentor=mentor, message="Hello")
    MentorRequest.objects.update(status=MentorRequest.Status.WITHDRAWN)

    assert not can_contact_privately(mentor, newcomer)


def test_after_the_first_week_members_may_contact_each_other(mentee, third):
    assert can_contact_privately(third, mentee)
    assert can_contact_privately(mentee, third)


def test_the_newcomer_window_ends_after_newcomer_days(newcomer, mentor):
    later = timezone.now() + datetime.timedelta(days=8)

    assert can_contact_privately(mentor, newcomer, now=later)


@pytest.mark.parametrize("direction", ["blocker_to_blocked", "blocked_to_blocker"])
def test_a_block_stops_private_contact_both_ways(mentee, third, direction):
    block_member(blocker=mentee, blocked=third)
    sender, recipient = (mentee, third) if direction == "blocker_to_blocked" else (third, mentee)

    assert not can_contact_privately(sender, recipient)


def test_nobody_contacts_themself_or_a_banned_member(mentee, third):
    banned = make_member(is_active=False)

    assert not can_contact_privately(mentee, mentee)
    assert not can_contact_privately(mentee, banned)


def test_a_suspended_member_cannot_contact_anyone(mentee, third):
    mentee.suspended_until = timezone.now() + datetime.timedelta(hours=1)

    assert not can_contact_privately(mentee, third)


def test_a_newcomer_can_still_ask_a_mentor(newcomer, mentor):
    request = request_mentor(mentee=newcomer, mentor=mentor, message="Hello")

    assert request.is_pending


def test_a_blocked_newcomers_open_request_cannot_be_taken(newcomer, mentor):
    request = post_open_request(mentee=newcomer, message="Anyone?")
    block_member(blocker=newcomer, blocked=mentor)

    with pytest.raises(MentoringRefused):
        accept_request(mentor=mentor, request=request)
