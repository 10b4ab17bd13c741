"""Opting in with an intro, focus steps and a capacity; pausing and resuming."""

import pytest
from django.urls import reverse

from accounts.models import MentorProfile
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def eligible(db):
    return make_member(username="OldHand", step=12, days=90)


def test_an_eligible_member_opts_in_with_intro_focus_and_capacity(login, eligible):
    client = login(eligible)

    response = client.post(
        reverse("accounts:mentor_profile"),
        {"intro": "Sober since 2015.", "focus_steps": ["4", "5"], "capacity": "2"},
    )

    assert response.status_code == 302
    profile = MentorProfile.objects.get(member=eligible)
    assert (profile.intro, profile.focus_steps, profile.capacity) == (
        "Sober since 2015.",
        [4, 5],
        2,
    )
    assert profile.is_paused is False
    page = client.get(reverse("accounts:mentoring")).content.decode()
    assert "You mentor 0 of at most 2 mentees" in page


def test_the_default_capacity_is_three(login, eligible):
    page = login(eligible).get(reverse("accounts:mentoring")).content.decode()

    assert 'name="capacity" value="3"' in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"intro": "", "capacity": "3"}, "This field is required"),
        ({"intro": "   ", "capacity": "3"}, "This field is required"),
        ({"intro": "x" * 601, "capacity": "3"}, "at most 600 characters"),
        ({"intro": "Hi", "capacity": "0"}, "greater than or equal to 1"),
        ({"intro": "Hi", "capacity": "11"}, "less than or equal to 10"),
        ({"intro": "Hi", "capacity": "lots"}, "Enter a whole number"),
        ({"intro": "Hi", "capacity": "3", "focus_steps": ["13"]}, "Select a valid choice"),
    ],
)
def test_bad_mentor_profiles_are_refused_with_a_clear_error(login, eligible, data, error):
    response = login(eligible).post(reverse("accounts:mentor_profile"), data)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not MentorProfile.objects.exists()


def test_a_mentor_pauses_and_resumes(login, mentor, mentee):
    client = login(mentor)

    client.post(reverse("accounts:mentor_pause"), {"paused": "1"})
    assert MentorProfile.objects.get(member=mentor).is_paused
    assert "You are paused" in client.get(reverse("accounts:mentoring")).content.decode()
    assert "SteadyOak" not in login(mentee).get(reverse("accounts:mentoring")).content.decode()

    login(mentor).post(reverse("accounts:mentor_pause"), {"paused": "0"})
    assert not MentorProfile.objects.get(member=mentor).is_paused
    assert "SteadyOak" in login(mentee).get(reverse("accounts:mentoring")).content.decode()


def test_pausing_without_a_profile_says_so(login, mentee):
    response = login(mentee).post(reverse("accounts:mentor_pause"), {"paused": "1"}, follow=True)

    assert "You have not offered to mentor yet" in response.content.decode()


def test_mentor_intro_is_escaped(login, mentee):
    from tests.factories import make_mentor

    bad = make_mentor(username="Sneaky")
    MentorProfile.objects.filter(member=bad).update(intro="<script>alert(1)</script>")

    page = login(mentee).get(reverse("accounts:mentoring")).content.decode()

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
