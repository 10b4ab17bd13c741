"""Asking for a mentor: direct and open requests, and every refusal."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.actions.blocking import block_member
from accounts.actions.mentoring import (
    NOT_AVAILABLE,
    MentoringRefused,
    decline_request,
    post_open_request,
    request_mentor,
)
from accounts.models import MentorRequest
from forum.models import Notification, NotificationKind
from tests.factories import make_member, make_mentor, make_mentorship

pytestmark = pytest.mark.django_db

MESSAGE = "I am on Step 2 and would like a guide."


def ask(client, mentor, message=MESSAGE):
    return client.post(reverse("accounts:mentor_ask", args=[mentor.username]), {"message": message})


def test_a_member_sees_available_mentors_with_intro_focus_and_room(login, mentee):
    make_mentor(username="SteadyOak", focus=[4, 5], capacity=2)
    full = make_mentor(username="BusyBee", capacity=1)
    make_mentorship(full, make_member())

    page = login(mentee).get(reverse("accounts:mentoring")).content.decode()

    assert "SteadyOak" in page
    assert "Ten years on the road" in page
    assert "Step 4, Step 5" in page
    assert "Has room" in page
    assert "BusyBee" in page
    assert "Full for now" in page
    assert reverse("accounts:mentor_ask", args=["BusyBee"]) not in page


def test_a_member_sends_a_request_and_the_mentor_is_notified(login, mentor, mentee):
    response = ask(login(mentee), mentor)

    assert response.status_code == 302
    request = MentorRequest.objects.get()
    assert (request.mentee, request.mentor, request.message) == (mentee, mentor, MESSAGE)
    assert request.status == MentorRequest.Status.PENDING
    note = Notification.objects.get(recipient=mentor)
    assert note.kind == NotificationKind.MENTOR_REQUEST_RECEIVED
    assert "NewDawn asks you to be their mentor" in note.text
    mentor_page = login(mentor).get(reverse("accounts:mentoring")).content.decode()
    assert "Requests waiting for your answer" in mentor_page
    assert MESSAGE in mentor_page


def test_one_pending_request_per_pair(login, mentor, mentee):
    client = login(mentee)
    ask(client, mentor)

    response = ask(client, mentor)

    assert response.status_code == 400
    assert "You already asked this mentor" in response.content.decode()
    assert MentorRequest.objects.count() == 1


def test_nobody_can_ask_themself(login, mentor):
    response = ask(login(mentor), mentor)

    assert response.status_code == 400
    assert "Nobody can mentor themself" in response.content.decode()
    assert not MentorRequest.objects.exists()


def test_a_paused_mentor_cannot_be_asked(login, mentee):
    paused = make_mentor(username="Resting", paused=True)

    response = ask(login(mentee), paused)

    assert response.status_code == 400
    assert NOT_AVAILABLE in response.content.decode()
    assert not MentorRequest.objects.exists()


def test_a_full_mentor_cannot_be_asked(login, mentee):
    full = make_mentor(username="BusyBee", capacity=2)
    make_mentorship(full, make_member())
    make_mentorship(full, make_member())

    response = ask(login(mentee), full)

    assert response.status_code == 400
    assert "no room for another mentee" in response.content.decode()
    assert not MentorRequest.objects.exists()


def test_a_member_who_has_not_opted_in_cannot_be_asked(login, mentee):
    eligible_but_silent = make_member(username="QuietOne", step=12)

    with pytest.raises(MentoringRefused, match=NOT_AVAILABLE):
        request_mentor(mentee=mentee, mentor=eligible_but_silent, message=MESSAGE)


def test_a_mentor_who_moved_back_from_step_12_cannot_be_asked(mentor, mentee):
    mentor.current_step = 9
    mentor.save()

    with pytest.raises(MentoringRefused, match=NOT_AVAILABLE):
        request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE)


def test_a_blocked_member_cannot_request_and_is_not_told_why(login, mentor, mentee):
    block_member(blocker=mentor, blocked=mentee)
    client = login(mentee)

    response = ask(client, mentor)
    page = client.get(reverse("accounts:mentoring")).content.decode()

    assert response.status_code == 400
    body = response.content.decode()
    assert NOT_AVAILABLE in body
    assert "block" not in body.lower().replace("blockquote", "")
    assert not MentorRequest.objects.exists()
    assert "SteadyOak" not in page
    assert not Notification.objects.filter(recipient=mentor).exists()


def test_a_member_cannot_ask_someone_they_blocked(mentor, mentee):
    block_member(blocker=mentee, blocked=mentor)

    with pytest.raises(MentoringRefused):
        request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE)


def test_a_suspended_member_cannot_ask_for_a_mentor(login, mentor, mentee):
    mentee.suspended_until = timezone.now() + timezone.timedelta(days=2)
    mentee.save()
    client = login(mentee)

    response = ask(client, mentor)
    open_response = client.post(reverse("accounts:mentor_open_request"), {"message": MESSAGE})

    assert response.status_code == 400
    assert "suspended" in response.content.decode()
    assert open_response.status_code == 400
    assert (
        "While your account is suspended"
        in client.get(reverse("accounts:mentoring")).content.decode()
    )
    assert not MentorRequest.objects.exists()


def test_a_member_with_a_mentor_cannot_ask_another(mentor, mentee):
    make_mentorship(mentor, mentee)
    other = make_mentor(username="SecondOpinion")

    with pytest.raises(MentoringRefused, match="already have a mentor"):
        request_mentor(mentee=mentee, mentor=other, message=MESSAGE)


@pytest.mark.parametrize(
    ("message", "error"),
    [("", "This field is required"), ("x" * 601, "at most 600 characters")],
)
def test_a_request_needs_a_short_message(login, mentor, mentee, message, error):
    response = ask(login(mentee), mentor, message)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not MentorRequest.objects.exists()


def test_asking_an_unknown_pseudonym_is_404(login, mentee):
    assert login(mentee).get("/mentoring/ask/NoSuchMember/").status_code == 404


def test_a_member_withdraws_a_pending_request(login, mentor, mentee):
    request = request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE)

    login(mentee).post(reverse("accounts:mentor_withdraw", args=[request.pk]))

    request.refresh_from_db()
    assert request.status == MentorRequest.Status.WITHDRAWN
    assert (
        "Requests waiting" not in login(mentor).get(reverse("accounts:mentoring")).content.decode()
    )


def test_only_the_asker_can_withdraw(login, mentor, mentee):
    request = request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE)

    login(mentor).post(reverse("accounts:mentor_withdraw", args=[request.pk]))

    request.refresh_from_db()
    assert request.is_pending


def test_an_open_request_is_visible_to_mentors_not_to_other_members(login, mentor, mentee, third):
    login(mentee).post(reverse("accounts:mentor_open_request"), {"message": MESSAGE})

    assert MentorRequest.objects.get().mentor is None
    assert MESSAGE in login(mentor).get(reverse("accounts:mentoring")).content.decode()
    assert MESSAGE not in login(third).get(reverse("accounts:mentoring")).content.decode()


def test_one_open_request_at_a_time(mentee):
    post_open_request(mentee=mentee, message=MESSAGE)

    with pytest.raises(MentoringRefused, match="already have an open request"):
        post_open_request(mentee=mentee, message="again")
    assert MentorRequest.objects.count() == 1


def test_an_open_request_is_hidden_from_a_mentor_with_a_block(login, mentor, mentee):
    post_open_request(mentee=mentee, message=MESSAGE)
    block_member(blocker=mentee, blocked=mentor)

    assert MESSAGE not in login(mentor).get(reverse("accounts:mentoring")).content.decode()


def test_after_a_decline_the_same_mentor_cannot_be_asked_again_for_a_week(mentor, mentee):
    decline_request(
        mentor=mentor, request=request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE)
    )

    with pytest.raises(MentoringRefused, match="answered you recently"):
        request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE)
    MentorRequest.objects.update(decided_at=timezone.now() - datetime.timedelta(days=8))
    assert request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE).is_pending


def test_the_page_shows_who_was_asked_and_hides_asking_once_a_member_has_a_mentor(
    login, mentor, mentee
):
    other = make_mentor(username="OtherGuide")
    request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE)

    page = login(mentee).get(reverse("accounts:mentoring")).content.decode()
    assert "You asked SteadyOak; waiting for an answer." in page
    assert reverse("accounts:mentor_ask", args=["OtherGuide"]) in page

    make_mentorship(other, mentee)
    page = login(mentee).get(reverse("accounts:mentoring")).content.decode()
    assert "You have a mentor." in page
    assert reverse("accounts:mentor_ask", args=["OtherGuide"]) not in page
    assert "Post open request" not in page


def test_suspended_banned_and_no_longer_eligible_mentors_are_not_listed(login, mentee):
    make_mentor(username="Suspended", suspended_until=timezone.now() + datetime.timedelta(days=1))
    make_mentor(username="Banned", is_active=False)
    moved_back = make_mentor(username="MovedBack")
    moved_back.current_step = 10
    moved_back.save()
    make_mentor(username="StillHere")

    page = login(mentee).get(reverse("accounts:mentoring")).content.decode()

    assert "StillHere" in page
    for name in ("Suspended", "Banned", "MovedBack"):
        assert name not in page


# A mentor younger than NEWCOMER_DAYS (issue 11, item 15) --------------------------------------


def make_young_mentor(moderator, username="FreshGuide"):
    """A member a moderator granted the mentor role two days after they joined."""
    from accounts.actions.mentoring import grant_mentor_role, save_mentor_profile
    from tests.factories import make_newcomer

    young = make_newcomer(username=username)
    grant_mentor_role(moderator=moderator, member=young)
    save_mentor_profile(member=young, intro="New here, long sober.", focus_steps=[], capacity=2)
    return young


@pytest.mark.parametrize("asker", ["newcomer", "mentee"])
def test_a_mentor_with_a_young_account_is_offered_and_can_be_asked(
    request, login, moderator, asker
):
    young = make_young_mentor(moderator)
    client = login(request.getfixturevalue(asker))
    ask_url = reverse("accounts:mentor_ask", args=[young.username])

    listed = client.get(reverse("accounts:mentoring")).content.decode()
    profile = client.get(reverse("accounts:profile", args=[young.username])).content.decode()
    response = ask(client, young)

    assert ask_url in listed
    assert ask_url in profile
    assert response.status_code == 302
    assert MentorRequest.objects.get().mentor == young


def test_the_list_and_the_profile_offer_ask_exactly_where_the_request_would_be_taken(
    login, moderator, mentee
):
    """One rule for the offer and the request: every mentor is either offered and taken, or
    neither; none is offered and then refused."""
    offered_and_taken = [make_young_mentor(moderator, "YoungOne"), make_mentor(username="OldOak")]
    blocked_the_asker = make_mentor(username="Shield")
    block_member(blocker=blocked_the_asker, blocked=mentee)
    blocked_by_asker = make_mentor(username="Avoided")
    block_member(blocker=mentee, blocked=blocked_by_asker)
    paused = make_mentor(username="Resting", paused=True)
    suspended = make_mentor(username="TimeOut")
    suspended.suspended_until = timezone.now() + datetime.timedelta(days=1)
    suspended.save()
    client = login(mentee)
    listed = client.get(reverse("accounts:mentoring")).content.decode()

    for mentor in [*offered_and_taken, blocked_the_asker, blocked_by_asker, paused, suspended]:
        ask_url = reverse("accounts:mentor_ask", args=[mentor.username])
        profile = client.get(reverse("accounts:profile", args=[mentor.username])).content.decode()
        offered = (ask_url in listed, ask_url in profile)
        taken = ask(client, mentor).status_code == 302
        assert offered == (taken, taken), mentor.username
        assert taken == (mentor in offered_and_taken), mentor.username
