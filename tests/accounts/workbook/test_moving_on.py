"""Moving on has weight: a written reflection for every step forward, no skipping, going back
free, "ask my mentor first", coming in at one's step once; the carrying-the-message gate on top."""

import pytest
from django.urls import reverse

from accounts.actions.journey import (
    StepMoveRefused,
    ask_mentor_first,
    declare_prior_steps,
    move_to_step,
)
from accounts.models import EntryKind, StepChange, StepMoveRequest, WorkbookEntry
from accounts.step_rules import can_carry_message
from forum.models import Notification
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def move_on_url(step: int) -> str:
    return reverse("accounts:move_on", kwargs={"number": step})


@pytest.mark.parametrize("reflection", ["", "   \n  "])
def test_a_move_forward_without_a_reflection_is_refused_and_stores_nothing(
    login, writer, reflection
):
    response = login(writer).post(move_on_url(4), {"move": "1", "reflection": reflection})

    assert response.status_code == 400
    assert "a few words of your own" in response.content.decode()
    writer.refresh_from_db()
    assert writer.current_step == 4
    assert not StepChange.objects.exists()
    assert not WorkbookEntry.objects.exists()


def test_the_old_settings_form_cannot_click_through_either(login, writer):
    login(writer).post(reverse("accounts:change_step"), {"to_step": 5})

    writer.refresh_from_db()
    assert writer.current_step == 4
    assert not StepChange.objects.exists() and not WorkbookEntry.objects.exists()


def test_moving_on_with_a_reflection_keeps_it_in_the_workbook_and_the_journey(login, writer):
    client = login(writer)

    response = client.post(
        move_on_url(4), {"move": "1", "reflection": "I saw my part."}, follow=True
    )

    writer.refresh_from_db()
    assert writer.current_step == 5
    change = StepChange.objects.get()
    reflection = WorkbookEntry.objects.get()
    assert change.reflection == reflection
    assert (reflection.step, reflection.kind) == (4, EntryKind.STEP_REFLECTION)
    assert reflection.content == {"text": "I saw my part."}
    assert "Your step: Step 5" in response.content.decode()
    assert "I saw my part." in client.get(reverse("accounts:workbook", args=[4])).content.decode()


def test_the_move_on_page_shows_what_the_next_step_asks(login, writer):
    page = login(writer).get(move_on_url(4)).content.decode()

    assert "What Step 5 asks" in page


def test_skipping_is_refused_even_with_a_reflection(writer):
    with pytest.raises(StepMoveRefused, match="in order"):
        move_to_step(member=writer, to_step=6, reflection="I am ready for anything")

    writer.refresh_from_db()
    assert writer.current_step == 4
    assert not WorkbookEntry.objects.exists()


def test_another_steps_move_on_page_leads_to_the_members_own_step(login, writer):
    response = login(writer).post(move_on_url(9), {"move": "1", "reflection": "skip!"})

    assert response.status_code == 302 and response["Location"] == move_on_url(4)
    writer.refresh_from_db()
    assert writer.current_step == 4


def test_going_back_is_free(writer):
    move_to_step(member=writer, to_step=2)

    writer.refresh_from_db()
    assert writer.current_step == 2
    assert StepChange.objects.get().reflection is None


def test_ask_my_mentor_first_waits_for_the_note_then_moves(
    login, client, writer, guide, mentorship
):
    login(writer).post(move_on_url(4), {"ask": "1", "reflection": "The inventory is done."})

    writer.refresh_from_db()
    assert writer.current_step == 4
    request = StepMoveRequest.objects.get()
    assert request.status == "waiting"
    asked = Notification.objects.get(recipient=guide)
    assert asked.kind == "step_move_asked"
    assert "The inventory is done." not in asked.text
    page = client.get(move_on_url(4)).content.decode()
    assert "Waiting for your mentor" in page

    client.force_login(guide)
    shared = client.get(reverse("accounts:mentee_workbook", args=[mentorship.pk]))
    assert "The inventory is done." in shared.content.decode()
    client.post(
        reverse("accounts:step_move_note", args=[mentorship.pk, request.pk]),
        {"note": "You are ready. Go gently."},
    )
    answered = Notification.objects.get(recipient=writer)
    assert answered.kind == "step_move_answered" and "Go gently" not in answered.text

    client.force_login(writer)
    assert "You are ready. Go gently." in client.get(move_on_url(4)).content.decode()
    client.post(move_on_url(4), {"move_waiting": "1"})

    writer.refresh_from_db()
    assert writer.current_step == 5
    change = StepChange.objects.get()
    assert change.reflection == request.reflection
    request.refresh_from_db()
    assert request.status == "closed"


def test_the_member_can_still_move_on_alone_while_waiting(login, writer, mentorship):
    ask_mentor_first(member=writer, reflection="Enough for now.")

    login(writer).post(move_on_url(4), {"move_waiting": "1"})

    writer.refresh_from_db()
    assert writer.current_step == 5
    assert WorkbookEntry.objects.count() == 1  # the one reflection, not two


def test_asking_first_needs_a_reflection_and_a_mentor(writer):
    with pytest.raises(StepMoveRefused):
        ask_mentor_first(member=writer, reflection="")
    with pytest.raises(StepMoveRefused, match="needs a mentor"):
        ask_mentor_first(member=writer, reflection="Alone, then.")
    assert not StepMoveRequest.objects.exists() and not WorkbookEntry.objects.exists()


def test_only_the_mentor_can_answer_and_not_after_the_mentorship_ends(
    client, writer, guide, mentorship
):
    from accounts.actions.mentoring import end_mentorship

    request = ask_mentor_first(member=writer, reflection="Ready?")
    url = reverse("accounts:step_move_note", args=[mentorship.pk, request.pk])
    client.force_login(make_member())
    assert client.post(url, {"note": "Intruder"}).status_code == 404

    end_mentorship(member=writer, mentorship=mentorship)
    client.force_login(guide)
    assert client.post(url, {"note": "Late"}).status_code == 404
    request.refresh_from_db()
    assert request.mentor_note == ""


def test_members_who_worked_the_steps_before_come_in_at_their_step_once(member_factory):
    member = member_factory(step=1)

    with pytest.raises(StepMoveRefused):
        declare_prior_steps(member=member, to_step=7, reflection="")
    change = declare_prior_steps(member=member, to_step=7, reflection="Years of meetings.")

    member.refresh_from_db()
    assert member.current_step == 7
    assert change.came_in and change.reflection.content == {"text": "Years of meetings."}
    assert change.reflection.step == 6
    with pytest.raises(StepMoveRefused, match="once"):
        declare_prior_steps(member=member, to_step=9, reflection="And more.")
    assert member.step_changes.count() == 1


def test_the_onboarding_can_record_coming_in_at_a_step(client, member_factory):
    member = member_factory(step=1)
    client.force_login(member)

    client.post(
        reverse("accounts:onboarding"),
        {"where": "before", "to_step": "10", "reflection": "Worked them with my sponsor."},
    )

    member.refresh_from_db()
    assert member.current_step == 10
    progress = client.get(reverse("forum:step_list")).content.decode()
    assert "before you joined" in progress


def test_the_carrying_the_message_gate_follows_the_journey(member_factory, client):
    member = member_factory(step=11)
    board_url = reverse("forum:new_topic", args=["step-12"]) + "?kind=message"
    client.force_login(member)
    assert not can_carry_message(member)
    assert client.get(board_url).status_code == 403

    with pytest.raises(StepMoveRefused):
        move_to_step(member=member, to_step=12)
    assert not can_carry_message(member)

    move_to_step(member=member, to_step=12, reflection="Conscious contact, daily.")
    assert can_carry_message(member)
    assert client.get(board_url).status_code == 200

    move_to_step(member=member, to_step=4)
    assert not can_carry_message(member)
    assert client.get(board_url).status_code == 403
