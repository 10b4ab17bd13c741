"""Who may mentor: one rule, Step 12 plus account age, or a moderator's grant."""

import pytest
from django.urls import reverse

from accounts.actions.mentoring import MentoringRefused, grant_mentor_role, save_mentor_profile
from accounts.models import MentorProfile, MentorRole, User
from accounts.permissions import can_mentor, filter_eligible_mentors
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("step", "days", "eligible"),
    [(12, 30, True), (12, 365, True), (12, 29, False), (11, 365, False), (1, 365, False)],
)
def test_step_12_and_an_account_at_least_30_days_old_may_mentor(step, days, eligible):
    member = make_member(step=step, days=days)

    assert can_mentor(member) is eligible
    assert filter_eligible_mentors(User.objects.filter(pk=member.pk)).exists() is eligible


def test_the_minimum_account_age_is_a_setting(settings):
    member = make_member(step=12, days=10)
    settings.HOMEGROUP = {**settings.HOMEGROUP, "MENTOR_MIN_ACCOUNT_DAYS": 7}

    assert can_mentor(member)


def test_a_moderator_granted_member_may_mentor_below_step_12(moderator):
    member = make_member(step=5, days=3)

    grant_mentor_role(moderator=moderator, member=member)

    assert can_mentor(member)
    assert filter_eligible_mentors(User.objects.filter(pk=member.pk)).exists()


def test_a_member_cannot_grant_the_mentor_role(third):
    member = make_member(step=5)

    with pytest.raises(MentoringRefused):
        grant_mentor_role(moderator=third, member=member)
    assert not MentorRole.objects.exists()


def test_a_banned_member_may_not_mentor():
    member = make_member(step=12, is_active=False)

    assert not can_mentor(member)


def test_a_moderator_grants_and_revokes_the_role_from_the_profile_page(login, moderator):
    member = make_member(username="LateBloomer", step=6)
    client = login(moderator)

    assert "Grant the mentor role" in client.get("/u/LateBloomer/").content.decode()
    client.post(reverse("accounts:mentor_role", args=["LateBloomer"]), {"grant": "1"})
    assert MentorRole.objects.filter(member=member, granted_by=moderator).exists()
    assert "Revoke the mentor role" in client.get("/u/LateBloomer/").content.decode()
    client.post(reverse("accounts:mentor_role", args=["LateBloomer"]), {"grant": "0"})
    assert not MentorRole.objects.filter(member=member).exists()


def test_a_member_cannot_use_the_grant_button(login, third):
    make_member(username="LateBloomer", step=6)
    client = login(third)

    response = client.post(reverse("accounts:mentor_role", args=["LateBloomer"]), {"grant": "1"})

    assert response.status_code == 403
    assert "Grant the mentor role" not in client.get("/u/LateBloomer/").content.decode()
    assert not MentorRole.objects.exists()


def test_a_member_below_step_12_cannot_opt_in(login):
    member = make_member(step=11)
    client = login(member)

    page = client.get(reverse("accounts:mentoring")).content.decode()
    response = client.post(reverse("accounts:mentor_profile"), {"intro": "Hi", "capacity": "3"})

    assert "opens once you have worked all twelve steps" in page
    assert response.status_code == 400
    assert "opens once you have worked all twelve steps" in response.content.decode()
    assert not MentorProfile.objects.exists()


def test_nobody_mentors_themself_at_the_database_level(mentor):
    from django.db import IntegrityError

    from accounts.models import Mentorship

    with pytest.raises(IntegrityError):
        Mentorship.objects.create(mentor=mentor, mentee=mentor)


def test_profile_form_rejects_a_suspended_mentor(mentor):
    from django.utils import timezone

    mentor.suspended_until = timezone.now() + timezone.timedelta(days=1)
    mentor.save()

    with pytest.raises(MentoringRefused, match="suspended"):
        save_mentor_profile(member=mentor, intro="Hello", focus_steps=[], capacity=2)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/mentoring/"),
        ("post", "/mentoring/profile/"),
        ("post", "/mentoring/pause/"),
        ("get", "/mentoring/ask/SteadyOak/"),
        ("post", "/mentoring/open-request/"),
        ("post", "/mentoring/requests/1/accept/"),
        ("post", "/mentoring/requests/1/decline/"),
        ("post", "/mentoring/requests/1/withdraw/"),
        ("get", "/mentoring/1/"),
        ("post", "/mentoring/1/end/"),
        ("post", "/u/SteadyOak/block/"),
        ("post", "/u/SteadyOak/unblock/"),
        ("post", "/u/SteadyOak/mentor-role/"),
        ("get", "/notifications/"),
        ("post", "/notifications/1/read/"),
        ("post", "/notifications/read-all/"),
        ("post", "/me/notifications/"),
    ],
)
def test_visitors_are_sent_to_log_in(client, mentor, method, url):
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response.url.startswith("/account/login/")
