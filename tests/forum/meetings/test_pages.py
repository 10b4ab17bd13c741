"""Meeting pages: /meetings/, the room page during a meeting, and "I need a meeting now"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.actions.chat import send_message
from forum.actions.meetings import schedule_meeting
from forum.actions.notifications import set_preferences
from forum.errors import ChatError
from forum.models import Notification, Room

pytestmark = pytest.mark.django_db


def test_meetings_page_lists_the_live_meeting_and_the_next_in_local_time(
    client, meeting, room, chair, django_assert_max_num_queries
):
    later = timezone.now() + timedelta(days=2)
    schedule_meeting(
        by=chair, room=room, title="Weekly <b>steps</b>", starts_at=later, repeats_weekly=True
    )
    with django_assert_max_num_queries(8):
        html = client.get(reverse("forum:meeting_list")).content.decode()
    assert "Tuesday night" in html and "chaired by Chair" in html
    assert "Weekly &lt;b&gt;steps&lt;/b&gt;" in html
    assert f'datetime="{later.isoformat()[:19]}' in html
    assert "data-local-time" in html and "Weekly</span>" in html


def test_a_meeting_now_takes_a_member_to_the_live_meeting(member_client, meeting, room):
    response = member_client.post(reverse("forum:meeting_now"))
    assert response.url == room.get_absolute_url()


def test_with_no_live_meeting_it_takes_them_to_the_always_open_room(member_client, member):
    response = member_client.post(reverse("forum:meeting_now"))
    assert response.url == Room.objects.get(slug="open").get_absolute_url()


def test_members_who_opted_in_hear_someone_is_looking_without_a_name(client, member_factory):
    seeker = member_factory(username="Seeker")
    listening, quiet = member_factory(), member_factory()
    set_preferences(member=listening, enabled_kinds=["meeting_wanted"])
    client.force_login(seeker)
    client.post(reverse("forum:meeting_now"))
    client.post(reverse("forum:meeting_now"))
    notice = Notification.objects.get()
    assert notice.recipient == listening
    assert notice.text == "Someone is looking for a meeting."
    assert notice.actor is None and "Seeker" not in notice.text + notice.url
    assert not Notification.objects.filter(recipient=quiet).exists()


def test_the_home_and_crisis_pages_offer_a_meeting_now(member_client):
    for name in ("home", "forum:crisis"):
        html = member_client.get(reverse(name)).content.decode()
        assert "I need a meeting now" in html
        assert f'action="{reverse("forum:meeting_now")}"' in html


def test_the_room_page_shows_the_meeting_and_says_nothing_is_recorded(member_client, meeting, room):
    html = member_client.get(room.get_absolute_url()).content.decode()
    assert f'data-ws-path="/ws/meetings/{meeting.pk}/"' in html
    assert "shares are removed when the meeting ends" in html
    assert "js/meeting.js" in html and "<script>" not in html


def test_the_rooms_chat_waits_while_a_meeting_is_on(member, meeting, room):
    with pytest.raises(ChatError) as error:
        send_message(member=member, room=room, body="Anyone here?")
    assert error.value.code == "meeting"


def test_a_member_who_may_chair_can_start_a_meeting_from_the_room(client, chair, room):
    client.force_login(chair)
    html = client.get(room.get_absolute_url()).content.decode()
    assert "Start a meeting now" in html
    client.post(reverse("forum:meeting_start", args=[room.slug]), {"topic": "Acceptance"})
    assert room.meetings.get().topic == "Acceptance"


def test_a_scheduled_time_is_read_in_the_members_own_time_zone(client, chair, room):
    client.force_login(chair)
    client.post(
        reverse("forum:meeting_schedule", args=[room.slug]),
        {"title": "Morning", "starts_at": "2030-01-07T08:00", "tz_offset": "-60"},
    )
    meeting = room.meetings.get()
    assert meeting.starts_at.isoformat() == "2030-01-07T07:00:00+00:00"
