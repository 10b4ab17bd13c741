"""The private clean date (milestones, a kind reset) and the skippable onboarding after signup."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.actions.journey import move_to_step
from accounts.actions.workbook import save_entry
from accounts.clean_time import milestone_today, milestones_reached, next_milestone
from accounts.models import EntryKind, StepChange, User, WorkbookEntry

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.mark.parametrize(
    ("days", "today", "reached"),
    [
        (0, None, []),
        (30, "30 days", ["one day", "one week", "30 days"]),
        (90, "90 days", ["one day", "one week", "30 days", "60 days", "90 days"]),
        (365, "one year", None),
        (730, "2 years", None),
    ],
)
def test_milestones(days, today, reached):
    assert milestone_today(days) == today
    if reached is not None:
        assert milestones_reached(days) == reached


def test_the_next_milestone_counts_down():
    assert next_milestone(25) == ("30 days", 5)
    assert next_milestone(400) == ("2 years", 330)


def test_the_clean_date_page_celebrates_privately(client, member_factory):
    member = member_factory(clean_date=days_ago(30))
    client.force_login(member)

    page = client.get(reverse("accounts:clean_date")).content.decode()

    assert "30 days" in page and "Today: 30 days" in page
    other = member_factory()
    client.force_login(other)
    assert "30 days" not in client.get(member.get_absolute_url()).content.decode()


def test_starting_again_keeps_the_journey_and_workbook_and_offers_help(client, member_factory):
    member = member_factory(step=3, clean_date=days_ago(200))
    save_entry(member=member, step=3, kind=EntryKind.WRITING, content={"text": "still mine"})
    move_to_step(member=member, to_step=4, reflection="what step 3 gave me")
    client.force_login(member)

    response = client.post(reverse("accounts:clean_date"), {"start_again": "1"}, follow=True)

    member.refresh_from_db()
    assert member.clean_date == timezone.localdate()
    assert member.current_step == 4
    assert WorkbookEntry.objects.filter(member=member).count() == 2
    assert StepChange.objects.filter(member=member).count() == 1
    page = response.content.decode()
    assert "Welcome back" in page
    assert reverse("forum:board", args=["starting-again"]) in page
    assert reverse("accounts:mentoring") in page
    assert reverse("forum:crisis") in page
    assert "shame" not in page.lower()


def test_a_clean_date_in_the_future_is_refused(client, member):
    client.force_login(member)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()

    response = client.post(reverse("accounts:clean_date"), {"clean_date": future})

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.clean_date is None


def test_the_starting_again_board_exists_for_members_only(client, member):
    from forum.models import Board

    board = Board.objects.get(slug="starting-again")
    assert not board.is_public


def test_signup_leads_to_the_onboarding_which_can_be_skipped(client):
    response = client.post(
        reverse("account_signup"),
        {
            "username": "NewLeaf",
            "password1": "a-long-quiet-passphrase",
            "password2": "a-long-quiet-passphrase",
        },
    )

    assert response["Location"] == reverse("accounts:onboarding")
    page = client.get(response["Location"]).content.decode()
    assert "Two kinds of service" in page and reverse("forum:crisis") in page
    assert f'href="{reverse("home")}">Skip this for now' in page
    assert client.get(reverse("home")).status_code == 200
    assert User.objects.get(username="NewLeaf").current_step == 1


def test_the_onboarding_can_set_a_private_clean_date(client, member):
    client.force_login(member)

    client.post(
        reverse("accounts:onboarding"), {"where": "new", "clean_date": days_ago(7).isoformat()}
    )

    member.refresh_from_db()
    assert member.clean_date == days_ago(7)
    assert member.current_step == 1
