"""/mentoring/ and /me/ take a constant number of queries, however much data there is."""

import pytest
from django.urls import reverse

from accounts.actions.blocking import block_member
from accounts.actions.mentoring import post_open_request, request_mentor
from tests.factories import make_member, make_mentor, make_mentorship

pytestmark = pytest.mark.django_db


def add_data(mentor, n: int) -> None:
    for _ in range(n):
        make_mentor()
        request_mentor(mentee=make_member(), mentor=mentor, message="Hello")
        post_open_request(mentee=make_member(), message="Anyone?")
        block_member(blocker=mentor, blocked=make_member())
    for _ in range(2):
        make_mentorship(mentor, make_member())


@pytest.mark.parametrize("url_name", ["accounts:mentoring", "accounts:me"])
def test_the_page_cost_does_not_grow_with_the_data(
    login, mentor, url_name, django_assert_max_num_queries
):
    from accounts.models import MentorProfile

    MentorProfile.objects.filter(member=mentor).update(capacity=10)
    client = login(mentor)
    add_data(mentor, 1)
    with django_assert_max_num_queries(40) as small:
        assert client.get(reverse(url_name)).status_code == 200

    add_data(mentor, 8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200
