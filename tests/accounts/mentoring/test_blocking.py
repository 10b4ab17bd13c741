"""Blocking from a profile, unblocking from /me/; the blocked member is never told."""

import json

import pytest
from django.urls import reverse

from accounts.actions.blocking import BlockRefused, block_member
from accounts.actions.mentoring import request_mentor
from accounts.models import Block, Mentorship
from accounts.templatetags.blocking import blocked_by
from tests.factories import make_mentor, make_mentorship

pytestmark = pytest.mark.django_db


def test_a_member_blocks_another_from_their_profile(login, mentee, third):
    client = login(mentee)

    assert "Block Bystander" in client.get("/u/Bystander/").content.decode()
    response = client.post(reverse("accounts:block", args=["Bystander"]), follow=True)

    assert Block.objects.filter(blocker=mentee, blocked=third).exists()
    assert "They are not told" in response.content.decode()
    assert "Unblock Bystander" in response.content.decode()


def test_the_blocked_member_sees_nothing_on_the_blockers_profile(login, mentee, third):
    block_member(blocker=mentee, blocked=third)

    page = login(third).get("/u/NewDawn/").content.decode()

    assert "You blocked" not in page
    assert "blocked you" not in page
    assert "Block NewDawn" in page


def test_blocking_twice_is_harmless(mentee, third):
    block_member(blocker=mentee, blocked=third)
    block_member(blocker=mentee, blocked=third)

    assert Block.objects.count() == 1


def test_nobody_can_block_themself(login, mentee):
    with pytest.raises(BlockRefused):
        block_member(blocker=mentee, blocked=mentee)
    login(mentee).post(reverse("accounts:block", args=["NewDawn"]))
    assert not Block.objects.exists()


def test_blocking_needs_a_post_and_a_login(client, login, mentee, third):
    assert client.post(reverse("accounts:block", args=["Bystander"])).status_code == 302
    assert login(mentee).get(reverse("accounts:block", args=["Bystander"])).status_code == 405
    assert not Block.objects.exists()


def test_blocked_members_are_listed_on_me_and_can_be_unblocked(login, mentee, third):
    block_member(blocker=mentee, blocked=third)
    client = login(mentee)

    page = client.get(reverse("accounts:me")).content.decode()
    assert "Members you blocked" in page
    assert "Bystander" in page

    response = client.post(
        reverse("accounts:unblock", args=["Bystander"]), {"next": reverse("accounts:me")}
    )
    assert response.url == reverse("accounts:me")
    assert not Block.objects.exists()
    assert "You have not blocked anyone" in client.get(reverse("accounts:me")).content.decode()


def test_unblock_does_not_redirect_off_site(login, mentee, third):
    block_member(blocker=mentee, blocked=third)

    response = login(mentee).post(
        reverse("accounts:unblock", args=["Bystander"]), {"next": "https://evil.example/"}
    )

    assert response.url == third.get_absolute_url()


def test_blocking_a_mentor_ends_the_mentorship(mentor, mentee):
    mentorship = make_mentorship(mentor, mentee)

    block_member(blocker=mentee, blocked=mentor)

    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ENDED


def test_the_template_filter_folds_only_blocked_authors(mentee, third, mentor):
    block_member(blocker=mentee, blocked=third)

    assert blocked_by(third.pk, mentee) is True
    assert blocked_by(mentor.pk, mentee) is False
    assert blocked_by(mentee.pk, third) is False
    assert blocked_by(None, mentee) is False


def test_the_export_holds_mentoring_blocks_and_notifications(login, mentor, mentee, third):
    request_mentor(mentee=mentee, mentor=mentor, message="Hello there")
    block_member(blocker=mentee, blocked=third)
    make_mentorship(make_mentor(username="ExportMentor"), mentee)

    data = json.loads(login(mentee).get(reverse("accounts:export")).content)

    assert data["mentor_requests_sent"][0]["message"] == "Hello there"
    assert data["blocked_members"] == ["Bystander"]
    assert data["mentorships"][0]["role"] == "mentee"
    assert data["mentor_profile"] is None
