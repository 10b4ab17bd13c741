"""Steps are worked in order: forward one at a time, back by any number, every change kept."""

import pytest
from django.urls import reverse

from accounts.actions.journey import StepMoveRefused, move_to_step
from accounts.models import StepChange

pytestmark = pytest.mark.django_db


def test_a_new_member_starts_on_step_1(member):
    assert member.current_step == 1


def test_moving_forward_one_step_with_a_reflection_is_allowed_and_recorded(member_client, member):
    response = member_client.post(
        reverse("accounts:change_step"),
        {"to_step": 2, "reflection": "I stopped pretending."},
        follow=True,
    )

    member.refresh_from_db()
    assert member.current_step == 2
    assert "You are now on Step 2" in response.content.decode()
    change = StepChange.objects.get(member=member)
    assert (change.from_step, change.to_step) == (1, 2)
    assert change.reflection.content == {"text": "I stopped pretending."}


def test_a_jump_is_refused_with_an_explanation_and_nothing_changes(member_factory, client):
    member = member_factory(step=2)
    client.force_login(member)

    response = client.post(
        reverse("accounts:change_step"), {"to_step": 5, "reflection": "Ready!"}, follow=True
    )

    member.refresh_from_db()
    assert member.current_step == 2
    assert "worked in order" in response.content.decode()
    assert not StepChange.objects.exists()


def test_going_back_any_number_of_steps_is_allowed(member_factory):
    member = member_factory(step=9)

    move_to_step(member=member, to_step=3)

    member.refresh_from_db()
    assert member.current_step == 3


@pytest.mark.parametrize("to_step", [0, 13, -1])
def test_a_step_outside_one_to_twelve_is_refused(member_factory, to_step):
    member = member_factory(step=12)

    with pytest.raises(StepMoveRefused):
        move_to_step(member=member, to_step=to_step)
    member.refresh_from_db()
    assert member.current_step == 12


def test_a_malformed_step_is_refused_kindly(member_client, member):
    response = member_client.post(reverse("accounts:change_step"), {"to_step": "five"}, follow=True)

    member.refresh_from_db()
    assert member.current_step == 1
    assert "Choose a step from 1 to 12" in response.content.decode()


def test_the_whole_history_is_kept_and_shown_only_to_the_member(member, client, member_factory):
    move_to_step(member=member, to_step=2, reflection="one")
    move_to_step(member=member, to_step=3, reflection="two")
    move_to_step(member=member, to_step=1)

    assert list(member.step_changes.values_list("from_step", "to_step")) == [(3, 1), (2, 3), (1, 2)]
    client.force_login(member)
    assert "Step 2 → Step 3" in client.get(reverse("accounts:me")).content.decode()

    other = member_factory()
    client.force_login(other)
    profile = client.get(member.get_absolute_url()).content.decode()
    assert "Step 2 → Step 3" not in profile
    assert "Working Step" not in profile


def test_the_current_step_shows_on_the_profile_only_when_the_member_chooses(member_factory, client):
    member = member_factory(step=4, show_step=True)

    assert "Working Step 4" in client.get(member.get_absolute_url()).content.decode()


def test_visitors_cannot_change_a_step(client):
    response = client.post(reverse("accounts:change_step"), {"to_step": 2})

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
