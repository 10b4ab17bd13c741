"""Accepting (with a room), declining with a kind note, taking open requests, and ending."""

import pytest
from django.urls import reverse

from accounts.actions.mentoring import (
    MentoringRefused,
    accept_request,
    end_mentorship,
    post_open_request,
    request_mentor,
)
from accounts.models import MentorRequest, Mentorship
from forum.models import Notification, NotificationKind
from forum.models.chat import Room
from tests.factories import make_member, make_mentor, make_mentorship

pytestmark = pytest.mark.django_db

MESSAGE = "Would you guide me?"


def test_accepting_opens_a_mentorship_with_a_private_room_and_tells_the_mentee(
    login, mentor, mentee
):
    request = request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE)

    response = login(mentor).post(
        reverse("accounts:mentor_accept", args=[request.pk]), {"note": "Glad to walk with you."}
    )

    mentorship = Mentorship.objects.get()
    assert (mentorship.mentor, mentorship.mentee, mentorship.is_active) == (mentor, mentee, True)
    assert response.status_code == 302
    assert response.url == mentorship.get_absolute_url()
    room = Room.objects.get(mentorship=mentorship)
    request.refresh_from_db()
    assert request.status == MentorRequest.Status.ACCEPTED
    assert request.mentorship == mentorship
    note = Notification.objects.get(recipient=mentee)
    assert note.kind == NotificationKind.MENTOR_REQUEST_ACCEPTED
    assert "Glad to walk with you." in note.text
    page = login(mentee).get(mentorship.get_absolute_url()).content.decode()
    assert "SteadyOak is your mentor" in page
    assert room.get_absolute_url() in page


def test_declining_with_a_kind_note_tells_the_mentee(login, mentor, mentee):
    request = request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE)

    login(mentor).post(
        reverse("accounts:mentor_decline", args=[request.pk]), {"note": "I am stretched thin."}
    )

    request.refresh_from_db()
    assert request.status == MentorRequest.Status.DECLINED
    assert not Mentorship.objects.exists()
    note = Notification.objects.get(recipient=mentee)
    assert note.kind == NotificationKind.MENTOR_REQUEST_DECLINED
    assert "I am stretched thin." in note.text
    page = login(mentee).get(reverse("accounts:mentoring")).content.decode()
    assert "Declined" in page
    assert "Their note: I am stretched thin." in page


def test_declining_without_a_note_is_fine(mentor, mentee):
    from accounts.actions.mentoring import decline_request

    request = request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE)

    decline_request(mentor=mentor, request=request)

    assert (
        Notification.objects.get(recipient=mentee).text
        == "SteadyOak cannot be your mentor right now."
    )


def test_a_note_longer_than_400_characters_is_refused(login, mentor, mentee):
    request = request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE)

    response = login(mentor).post(
        reverse("accounts:mentor_accept", args=[request.pk]), {"note": "x" * 401}, follow=True
    )

    assert "at most 400 characters" in response.content.decode()
    assert not Mentorship.objects.exists()


def test_another_mentor_cannot_answer_a_request_sent_to_someone_else(login, mentor, mentee):
    request = request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE)
    other = make_mentor(username="Meddler")

    response = login(other).post(reverse("accounts:mentor_accept", args=[request.pk]))

    assert response.status_code == 404
    with pytest.raises(MentoringRefused):
        accept_request(mentor=other, request=request)
    assert not Mentorship.objects.exists()


def test_accepting_over_capacity_is_refused(mentee):
    mentor = make_mentor(username="Full", capacity=1)
    request = request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE)
    make_mentorship(mentor, make_member())

    with pytest.raises(MentoringRefused, match="at your capacity"):
        accept_request(mentor=mentor, request=request)
    assert Mentorship.objects.filter(mentee=mentee).count() == 0


def test_a_request_cannot_be_accepted_twice(mentor, mentee):
    request = request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE)
    accept_request(mentor=mentor, request=request)

    with pytest.raises(MentoringRefused, match="no longer waiting"):
        accept_request(mentor=mentor, request=request)
    assert Mentorship.objects.count() == 1


def test_once_accepted_the_mentees_other_requests_are_withdrawn(mentor, mentee):
    other = make_mentor(username="SecondChoice")
    first = request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE)
    second = request_mentor(mentee=mentee, mentor=other, message=MESSAGE)

    accept_request(mentor=mentor, request=first)

    second.refresh_from_db()
    assert second.status == MentorRequest.Status.WITHDRAWN
    with pytest.raises(MentoringRefused):
        accept_request(mentor=other, request=second)


def test_a_mentor_takes_an_open_request(login, mentor, mentee):
    request = post_open_request(mentee=mentee, message=MESSAGE)

    login(mentor).post(reverse("accounts:mentor_accept", args=[request.pk]))

    mentorship = Mentorship.objects.get()
    assert (mentorship.mentor, mentorship.mentee) == (mentor, mentee)
    request.refresh_from_db()
    assert request.mentor == mentor
    assert Room.objects.filter(mentorship=mentorship).exists()


def test_nobody_takes_their_own_open_request(mentor):
    request = post_open_request(mentee=mentor, message=MESSAGE)

    with pytest.raises(MentoringRefused, match="themself"):
        accept_request(mentor=mentor, request=request)


def test_a_member_who_cannot_mentor_cannot_take_an_open_request(mentee, third):
    request = post_open_request(mentee=mentee, message=MESSAGE)

    with pytest.raises(MentoringRefused):
        accept_request(mentor=third, request=request)
    assert not Mentorship.objects.exists()


def test_a_full_mentor_cannot_take_an_open_request(mentee):
    mentor = make_mentor(username="Full", capacity=1)
    make_mentorship(mentor, make_member())
    request = post_open_request(mentee=mentee, message=MESSAGE)

    with pytest.raises(MentoringRefused, match="capacity"):
        accept_request(mentor=mentor, request=request)


def test_an_open_request_cannot_be_declined(login, mentor, mentee):
    request = post_open_request(mentee=mentee, message=MESSAGE)

    login(mentor).post(reverse("accounts:mentor_decline", args=[request.pk]))

    request.refresh_from_db()
    assert request.is_pending


@pytest.mark.parametrize("who", ["mentor", "mentee"])
def test_either_side_ends_the_mentorship_and_the_other_is_told(login, mentor, mentee, who):
    mentorship = make_mentorship(mentor, mentee)
    ender, other = (mentor, mentee) if who == "mentor" else (mentee, mentor)

    login(ender).post(reverse("accounts:mentorship_end", args=[mentorship.pk]))

    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ENDED
    assert mentorship.ended_by == ender
    assert mentorship.ended_at is not None
    note = Notification.objects.get(recipient=other)
    assert note.kind == NotificationKind.MENTORSHIP_ENDED
    assert not Notification.objects.filter(recipient=ender).exists()


def test_past_mentorships_stay_listed_for_both(login, mentor, mentee, third):
    mentorship = make_mentorship(mentor, mentee)
    end_mentorship(member=mentee, mentorship=mentorship)

    for member, text in [(mentor, "You mentored NewDawn"), (mentee, "SteadyOak mentored you")]:
        page = login(member).get(reverse("accounts:mentoring")).content.decode()
        assert "Past" in page
        assert text in page
        assert login(member).get(mentorship.get_absolute_url()).status_code == 200
    assert "NewDawn" not in login(third).get(reverse("accounts:mentoring")).content.decode()


def test_a_mentorship_cannot_end_twice(mentor, mentee):
    mentorship = make_mentorship(mentor, mentee)
    end_mentorship(member=mentor, mentorship=mentorship)

    with pytest.raises(MentoringRefused, match="already ended"):
        end_mentorship(member=mentee, mentorship=mentorship)


def test_ending_frees_a_place_in_the_mentors_capacity(mentee):
    mentor = make_mentor(username="Full", capacity=1)
    previous = make_mentorship(mentor, make_member())
    end_mentorship(member=mentor, mentorship=previous)

    request = request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE)
    accept_request(mentor=mentor, request=request)

    assert Mentorship.objects.filter(mentor=mentor, status="active").count() == 1


def test_a_newcomer_who_asked_can_be_accepted(newcomer, mentor):
    request = request_mentor(mentee=newcomer, mentor=mentor, message=MESSAGE)

    mentorship = accept_request(mentor=mentor, request=request)

    assert mentorship.mentee == newcomer


def test_a_mentor_sees_accept_and_decline_for_a_direct_request_and_take_for_an_open_one(client):
    from accounts.actions.mentoring import post_open_request, request_mentor
    from tests.factories import make_member, make_mentor

    mentor = make_mentor(username="KindCedar")
    request_mentor(mentee=make_member(username="AskingWillow"), mentor=mentor, message="Hello")
    post_open_request(mentee=make_member(username="OpenMeadow"), message="Anyone?")
    client.force_login(mentor)

    html = client.get("/mentoring/").content.decode()

    direct, open_part = html.split("Open requests any mentor can take")
    assert (
        "AskingWillow" in direct and ">Accept</button>" in direct and ">Decline</button>" in direct
    )
    assert "OpenMeadow" in open_part and ">Take this request</button>" in open_part
    assert ">Decline</button>" not in open_part


def test_ending_asks_to_confirm_first_and_nothing_ends_until_confirmed(login, mentor, mentee):
    mentorship = make_mentorship(mentor, mentee)
    client = login(mentee)

    page = client.get(mentorship.get_absolute_url()).content.decode()
    confirm = client.get(reverse("accounts:mentorship_end", args=[mentorship.pk]))

    assert f'href="{reverse("accounts:mentorship_end", args=[mentorship.pk])}"' in page
    assert "End the mentorship with SteadyOak?" in confirm.content.decode()
    assert "read-only for you both" in confirm.content.decode()
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ACTIVE


def test_after_the_end_headings_speak_in_the_past_and_the_request_no_longer_asks(
    login, mentor, mentee
):
    request = request_mentor(mentee=mentee, mentor=mentor, message=MESSAGE)
    mentorship = accept_request(mentor=mentor, request=request)
    asks = Notification.objects.get(kind=NotificationKind.MENTOR_REQUEST_RECEIVED)
    assert asks.read_at is None

    login(mentee).post(reverse("accounts:mentorship_end", args=[mentorship.pk]))

    asks.refresh_from_db()
    assert asks.read_at is not None
    assert (
        "<h1>SteadyOak was your mentor</h1>"
        in login(mentee).get(mentorship.get_absolute_url()).content.decode()
    )
    mentor_page = login(mentor).get(mentorship.get_absolute_url()).content.decode()
    assert "<h1>You mentored NewDawn</h1>" in mentor_page
    assert "End the mentorship" not in mentor_page
