"""@mention suggestions: pseudonyms by prefix for members, and nothing else."""

import pytest
from django.urls import reverse

from accounts.actions.blocking import block_member
from forum.actions.mentions import MENTION_LOOKUPS

pytestmark = pytest.mark.django_db


def suggest(client, q):
    return client.get(reverse("forum:mentions"), {"q": q})


def test_members_are_offered_by_the_start_of_their_pseudonym_in_any_case(
    client, member, member_factory
):
    member_factory(username="SerenitySeeker")
    member_factory(username="serene_sky")
    member_factory(username="QuietSerene")
    client.force_login(member)

    response = suggest(client, "@sere")

    assert response.json() == {"pseudonyms": ["serene_sky", "SerenitySeeker"]}
    assert response["Cache-Control"] == "private, no-store"


def test_blocked_blocking_deactivated_members_and_oneself_are_never_offered(client, member_factory):
    viewer = member_factory(username="HopeViewer")
    blocked = member_factory(username="HopeBlocked")
    blocker = member_factory(username="HopeBlocker")
    member_factory(username="HopeGone", is_active=False)
    member_factory(username="HopeFriend")
    block_member(blocker=viewer, blocked=blocked)
    block_member(blocker=blocker, blocked=viewer)
    client.force_login(viewer)

    assert suggest(client, "hope").json() == {"pseudonyms": ["HopeFriend"]}


def test_visitors_get_nothing(client, member_factory):
    member_factory(username="VisibleName")

    response = suggest(client, "vis")

    assert response.status_code == 401 and "VisibleName" not in response.content.decode()


@pytest.mark.parametrize("q", ["", "@", "x" * 31, "%", "_"])
def test_odd_prefixes_offer_nothing_and_never_fail(client, member, member_factory, q):
    member_factory(username="Percent_Person")
    client.force_login(member)

    response = suggest(client, q)

    assert response.status_code == 200 and response.json() == {"pseudonyms": []}


def test_a_nul_in_the_prefix_is_a_clear_400(client, member):
    client.force_login(member)

    response = suggest(client, "\x00")

    assert response.status_code == 400 and b"NUL" in response.content


def test_lookups_are_rate_limited(client, member):
    client.force_login(member)

    statuses = [suggest(client, "ab").status_code for _ in range(MENTION_LOOKUPS.count + 1)]

    assert statuses[-2] == 200 and statuses[-1] == 429
