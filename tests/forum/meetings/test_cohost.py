"""Choosing a co-host when starting or scheduling a meeting: one rule, clear refusals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forum.models import Meeting

pytestmark = pytest.mark.django_db


def start(client, room, **data):
    return client.post(reverse("forum:meeting_start", args=[room.slug]), data, follow=True)


def test_the_chair_starts_a_meeting_with_a_co_host_who_may_chair(client, chair, cohost, room):
    client.force_login(chair)
    start(client, room, topic="Gratitude", cohost="cohost")
    meeting = Meeting.objects.get()
    assert (meeting.chair, meeting.cohost, meeting.topic) == (chair, cohost, "Gratitude")


def test_a_moderator_may_co_host(client, chair, moderator, room):
    client.force_login(chair)
    start(client, room, cohost=moderator.username)
    assert Meeting.objects.get().cohost == moderator


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("Chair", "You are chairing this meeting, so you cannot also be its co-host."),
        ("NoSuchPerson", "No member is called “NoSuchPerson”."),
        ("Newcomer", "Newcomer cannot co-host. A co-host is another member who may chair"),
    ],
)
def test_a_co_host_who_cannot_be_chosen_is_refused_clearly(
    client, chair, room, member_factory, name, error
):
    member_factory(username="Newcomer")
    client.force_login(chair)
    html = start(client, room, topic="Kept", cohost=name).content.decode()
    assert "Please check the meeting form" in html
    assert f'<p class="field-error" role="alert">{error}' in html
    assert 'name="topic" value="Kept"' in html and f'value="{name}"' in html
    assert '<details class="meeting-start card" id="meeting-forms" open>' in html
    assert not Meeting.objects.exists()


def test_scheduling_with_a_co_host_and_refusing_a_suspended_one(
    client, chair, cohost, room, chair_factory
):
    from datetime import timedelta

    from django.utils import timezone

    chair_factory(username="Away", suspended_until=timezone.now() + timedelta(days=1))
    client.force_login(chair)
    url = reverse("forum:meeting_schedule", args=[room.slug])
    data = {"title": "Weekly", "starts_at": "2030-01-07T08:00"}
    html = client.post(url, data | {"cohost": "Away"}, follow=True).content.decode()
    assert "Away cannot co-host" in html
    assert not Meeting.objects.exists()
    client.post(url, data | {"cohost": "Cohost"})
    assert Meeting.objects.get().cohost == cohost


def test_the_forms_suggest_members_who_may_co_host_but_not_the_chair(
    client, chair, cohost, room, member_factory
):
    member_factory(username="StepThree", step=3)
    client.force_login(chair)
    html = client.get(room.get_absolute_url()).content.decode()
    assert '<option value="Cohost">' in html
    assert '<option value="Chair">' not in html and "StepThree" not in html
    assert html.count("Co-host (optional)") == 2
