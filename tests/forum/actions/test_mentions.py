"""The @mention lookup's own rule: the rate limit lives in the action, not in the view."""

import pytest

from forum.actions.mentions import MENTION_LOOKUPS, suggest_mentions
from forum.errors import RateLimited

pytestmark = pytest.mark.django_db


def test_a_lookup_finds_members_by_the_start_of_their_pseudonym(member, member_factory):
    member_factory(username="GentleHarbor")

    assert suggest_mentions(member=member, prefix="gentle") == ["GentleHarbor"]


def test_looking_up_past_the_limit_raises_rate_limited(member):
    for _ in range(MENTION_LOOKUPS.count):
        suggest_mentions(member=member, prefix="ab")

    with pytest.raises(RateLimited, match="Too many lookups"):
        suggest_mentions(member=member, prefix="ab")
