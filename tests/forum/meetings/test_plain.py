"""Attending a meeting without JavaScript: plain forms calling the socket's actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.actions import meetings as act
from forum.models import AuditLogEntry, MeetingAttendee, MeetingShare

pytestmark = pytest.mark.django_db


def do(client, meeting, verb, **data):
    return client.post(reverse("forum:meeting_plain", args=[meeting.pk, verb]), data, follow=True)


def page(client, room) -> str:
    return client.get(room.get_absolute_url()).content.decode()


def test_a_member_without_javascript_joins_raises_a_hand_is_called_and_shares(
    client, meeting, room, chair, member_factory
):
    sharer = member_factory(username="Sharer")
    client.force_login(sharer)
    html = page(client, room)
    assert "Opening" in html and "we are glad you came" in html
    assert "Join the meeting" in html and "Raise hand" not in html.split("data-meeting-hand")[0]

    html = do(client, meeting, "join").content.decode()
    assert MeetingAttendee.objects.get(member=sharer).status == "in"
    assert "Hands raised: none" in html
    assert f'action="/meetings/{meeting.pk}/raise_hand/"' in html

    html = do(client, meeting, "raise_hand").content.decode()
    assert "Hands raised: Sharer" in html and "Lower my hand" in html
    act.call_next(by=chair, meeting=meeting)

    html = page(client, room)
    assert "You are sharing. Only you can write now." in html
    html = do(client, meeting, "share", body="One day at a time, <i>honestly</i>.").content.decode()
    assert MeetingShare.objects.get().body == "One day at a time, <i>honestly</i>."
    assert "One day at a time, &lt;i&gt;honestly&lt;/i&gt;." in html
    do(client, meeting, "pass")
    meeting.refresh_from_db()
    assert meeting.sharer is None


def test_a_listener_without_javascript_sees_the_sharer_and_cannot_cross_talk(
    client, meeting, room, chair, member_factory
):
    sharer, listener = member_factory(username="Sharer"), member_factory(username="Listener")
    for member in (sharer, listener):
        act.join_meeting(member=member, meeting=meeting, socket=False)
    act.raise_hand(member=sharer, meeting=meeting)
    act.call_next(by=chair, meeting=meeting)
    act.send_share(member=sharer, meeting=meeting, body="Today was hard.")
    client.force_login(listener)
    html = page(client, room)
    assert "Sharer is sharing." in html and "Today was hard." in html
    assert "seconds were left when the page loaded" in html
    assert "Your share" not in html.split("data-meeting-status")[0]
    assert "/report/meeting_share/" in html

    html = do(client, meeting, "share", body="You should try...").content.decode()
    assert "Someone is sharing: only they can write now." in html
    assert "You should try..." not in html.split("data-meeting-status")[0]
    assert MeetingShare.objects.count() == 1
    do(client, meeting, "thanks")
    meeting.refresh_from_db()
    assert meeting.thanks == 1


def test_a_refused_share_keeps_its_text_in_the_form(client, meeting, room, chair, member):
    act.join_meeting(member=member, meeting=meeting, socket=False)
    act.raise_hand(member=member, meeting=meeting)
    act.call_next(by=chair, meeting=meeting)
    client.force_login(member)
    html = do(client, meeting, "share", body="x" * 2001).content.decode()
    assert "A share can be up to 2,000 characters." in html
    assert "x" * 2001 in html


def test_the_plain_page_offers_a_refresh_link_and_no_inline_script_or_meta_refresh(
    client, meeting, room, member
):
    client.force_login(member)
    html = page(client, room)
    assert f'href="{room.get_absolute_url()}">Refresh</a>' in html
    assert "http-equiv" not in html and "<script>" not in html


def test_an_unknown_verb_or_a_private_meeting_is_not_found(client, meeting, member):
    client.force_login(member)
    assert do(client, meeting, "dance").status_code == 404
    assert do(client, meeting, "ping").status_code == 404
    assert client.post(reverse("forum:meeting_plain", args=[99999, "join"])).status_code == 404


def test_a_member_posting_a_chairs_command_is_refused_and_nothing_changes(
    client, meeting, room, member
):
    act.join_meeting(member=member, meeting=meeting, socket=False)
    client.force_login(member)
    html = do(client, meeting, "end").content.decode()
    assert "Running the meeting" not in html
    assert "Only the chair" in html or "Only those who run the meeting" in html
    meeting.refresh_from_db()
    assert meeting.status == "live"


def test_a_chair_without_javascript_runs_the_whole_meeting(
    client, meeting, room, chair, member_factory
):
    sharer, newcomer = member_factory(username="Sharer"), member_factory(username="Newcomer")
    act.join_meeting(member=sharer, meeting=meeting, socket=False)
    act.raise_hand(member=sharer, meeting=meeting)
    client.force_login(chair)
    html = page(client, room)
    assert "Running the meeting" in html and "Call Sharer to share" in html

    html = do(client, meeting, "call_next").content.decode()
    meeting.refresh_from_db()
    assert meeting.sharer == sharer and "Give Sharer one more minute" in html
    ends_at = meeting.share_ends_at
    do(client, meeting, "extend", seconds="60")
    meeting.refresh_from_db()
    assert (meeting.share_ends_at - ends_at).total_seconds() == 60
    do(client, meeting, "pass")
    meeting.refresh_from_db()
    assert meeting.sharer is None

    phase = meeting.phase
    do(client, meeting, "phase")
    meeting.refresh_from_db()
    assert meeting.phase != phase

    do(client, meeting, "lobby", on="1")
    act.join_meeting(member=newcomer, meeting=meeting, socket=False)
    html = page(client, room)
    assert "Let Newcomer in" in html
    do(client, meeting, "admit", member_id=str(newcomer.pk))
    assert MeetingAttendee.objects.get(member=newcomer).status == "in"

    html = do(client, meeting, "mute", member_id=str(sharer.pk), on="1").content.decode()
    assert MeetingAttendee.objects.get(member=sharer).is_muted and "Unmute Sharer" in html
    do(client, meeting, "remove", member_id=str(newcomer.pk))
    assert MeetingAttendee.objects.get(member=newcomer).status == "removed"
    html = do(client, meeting, "lock", on="1").content.decode()
    meeting.refresh_from_db()
    assert meeting.is_locked and "Unlock the meeting" in html

    do(client, meeting, "end")
    meeting.refresh_from_db()
    assert meeting.status == "ended"
    assert AuditLogEntry.objects.filter(moderator=chair).count() >= 5


def test_a_chairs_form_with_a_malformed_member_is_refused_clearly(client, meeting, chair):
    client.force_login(chair)
    html = do(client, meeting, "admit", member_id="not-a-number").content.decode()
    assert "That form was not filled in as expected." in html
    html = do(client, meeting, "mute", member_id="424242", on="1").content.decode()
    assert "No such member in this meeting." in html


def test_a_removed_member_cannot_come_back_through_the_plain_form(
    client, meeting, room, chair, member
):
    from forum.actions.moderation.meetings import remove_from_meeting

    act.join_meeting(member=member, meeting=meeting, socket=False)
    remove_from_meeting(by=chair, meeting=meeting, member=member)
    client.force_login(member)
    html = do(client, meeting, "join").content.decode()
    assert "The chair has removed you from this meeting." in html
    assert MeetingAttendee.objects.get(member=member).status == "removed"


def test_a_suspended_member_is_refused_at_the_plain_join_as_at_the_socket(
    client, meeting, room, member_factory
):
    away = member_factory(username="Away", suspended_until=timezone.now() + timedelta(days=1))
    client.force_login(away)
    html = do(client, meeting, "join").content.decode()
    assert "Your account is suspended for now, so you cannot join or write in meetings." in html
    assert not MeetingAttendee.objects.filter(member=away).exists()
