"""The checks every verb shares (forum/actions/moderation/common.py), one test per branch."""

from datetime import timedelta

import pytest

from forum.actions.moderation import ModerationError, clean_reason, resolve_target
from forum.actions.moderation.common import (
    MAX_DURATION,
    REASON_MAX_LENGTH,
    clean_duration,
    tell_author,
)
from forum.models import Notification

pytestmark = pytest.mark.django_db


def test_a_reason_is_kept_with_its_spaces_made_single():
    assert clean_reason("  Spam \n link  ") == "Spam link"


def test_an_empty_reason_is_refused():
    with pytest.raises(ModerationError, match="Please give a reason"):
        clean_reason(" \x00 ")


def test_a_reason_longer_than_the_limit_is_refused():
    with pytest.raises(ModerationError, match=f"{REASON_MAX_LENGTH} characters"):
        clean_reason("x" * (REASON_MAX_LENGTH + 1))


def test_a_duration_of_zero_is_refused():
    with pytest.raises(ModerationError, match="longer than zero"):
        clean_duration(timedelta(0))


def test_a_duration_past_the_longest_is_refused():
    with pytest.raises(ModerationError, match="consider a ban"):
        clean_duration(MAX_DURATION + timedelta(days=1))


def test_a_duration_within_the_limits_is_kept():
    assert clean_duration(timedelta(days=3)) == timedelta(days=3)


def test_the_author_of_a_post_is_told_privately(reported_reply):
    tell_author(resolve_target("post", reported_reply.pk), "A note for you")

    assert Notification.objects.filter(recipient=reported_reply.author).count() == 1


def test_a_member_as_the_target_is_not_told_through_the_author_notice(member):
    tell_author(resolve_target("member", member.pk), "A note for you")

    assert not Notification.objects.filter(recipient=member).exists()


def test_a_member_target_is_described_by_pseudonym(member):
    assert resolve_target("member", member.pk).description == f"member {member.username}"
