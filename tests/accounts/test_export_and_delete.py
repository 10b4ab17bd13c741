"""A member can take their data with them, and delete their account."""

import json

import pytest
from django.urls import reverse

from accounts.actions.journey import move_to_step
from accounts.models import StepChange, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_export_is_a_json_download_of_everything_about_the_member(client, member_factory):
    member = member_factory(username="Exporter", email="me@example.org", bio="my bio")
    move_to_step(member=member, to_step=2, reflection="Honesty, at last.")
    client.force_login(member)

    response = client.get(reverse("accounts:export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["pseudonym"] == "Exporter"
    assert data["account"]["email"] == "me@example.org"
    assert data["account"]["bio"] == "my bio"
    assert data["account"]["current_step"] == 2
    assert data["step_journey"][0]["from_step"] == 1
    assert data["step_journey"][0]["to_step"] == 2
    assert data["step_journey"][0]["reflection"] == "Honesty, at last."
    assert data["workbook"][0]["content"] == {"text": "Honesty, at last."}


def test_export_needs_login(client):
    response = client.get(reverse("accounts:export"))

    assert response.status_code == 302


def test_delete_with_the_right_password_removes_the_member_and_frees_the_pseudonym(
    client, member_factory
):
    member = member_factory(username="Leaving", email="leaving@example.org", bio="bye", step=3)
    move_to_step(member=member, to_step=4, reflection="I came to believe.")
    client.force_login(member)

    response = client.post(reverse("accounts:delete"), {"password": PASSWORD}, follow=True)

    assert "Your account is deleted" in response.content.decode()
    assert not User.objects.filter(username__iexact="leaving").exists()
    assert not User.objects.filter(email="leaving@example.org").exists()
    assert not StepChange.objects.exists()
    assert client.get(reverse("accounts:me")).status_code == 302
    signup = client.post(
        reverse("account_signup"),
        {"username": "Leaving", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert signup.status_code == 302
    assert User.objects.filter(username="Leaving").exists()


def test_delete_with_a_wrong_password_deletes_nothing(member_client, member):
    response = member_client.post(reverse("accounts:delete"), {"password": "wrong"})

    assert response.status_code == 400
    assert "nothing was deleted" in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()


def test_delete_needs_a_password(member_client, member):
    response = member_client.post(reverse("accounts:delete"), {})

    assert response.status_code == 400
    assert User.objects.filter(pk=member.pk).exists()


def test_deleting_an_account_ends_a_mentorship_but_keeps_the_room_for_the_other(
    client, member_factory
):
    from accounts.models import Mentorship
    from forum.actions.chat import open_mentorship_room, send_message

    mentor = member_factory(username="SteadyMentor", step=12)
    mentee = member_factory(username="LeavingMentee")
    mentorship = Mentorship.objects.create(mentor=mentor, mentee=mentee)
    room = open_mentorship_room(mentorship=mentorship)
    send_message(member=mentor, room=room, body="I am here for you", client_id="m1")
    client.force_login(mentee)

    client.post(reverse("accounts:delete"), {"password": PASSWORD})

    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ENDED
    assert mentorship.mentee is None
    assert room.messages.filter(author=mentor, body="I am here for you").exists()
    client.force_login(mentor)
    assert "former member" in client.get(mentorship.get_absolute_url()).content.decode()
    assert "I am here for you" in client.get(room.get_absolute_url()).content.decode()


def test_export_includes_the_members_chat_messages_and_their_mentorship_conversations(
    client, member_factory
):
    from forum.actions.chat import send_message
    from forum.models import ChatMessage, Room
    from tests.factories import make_member, make_mentor, make_mentorship

    mentor = make_mentor(username="GuideTree")
    mentee = make_member(username="Sprout")
    stranger = member_factory(username="Stranger")
    open_room = Room.objects.get(slug="open")
    send_message(member=mentee, room=open_room, body="Hello, open room")
    send_message(member=stranger, room=open_room, body="Not mine")
    private = make_mentorship(mentor, mentee).room
    send_message(member=mentor, room=private, body="How was the meeting?")
    send_message(member=mentee, room=private, body="Hard, but I went")
    hidden = send_message(member=mentor, room=private, body="hidden by a moderator").message
    ChatMessage.objects.filter(pk=hidden.pk).update(state="hidden")
    client.force_login(mentee)

    data = json.loads(client.get(reverse("accounts:export")).content)

    assert [m["body"] for m in data["chat_messages"]] == ["Hello, open room"]
    assert data["chat_messages"][0]["room"] == open_room.title
    assert [(m["author"], m["body"]) for m in data["mentorship_room_messages"]] == [
        ("GuideTree", "How was the meeting?"),
        ("you", "Hard, but I went"),
    ]
