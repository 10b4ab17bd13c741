"""Meeting actions: roles, queue, timer, no cross-talk, safety verbs audited, no transcript."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from forum.actions import meetings as act
from forum.actions.moderation import meetings as safety
from forum.errors import MeetingError
from forum.models import AuditLogEntry, Meeting, MeetingAttendee, MeetingShare
from forum.selectors.meetings import meeting_state

pytestmark = pytest.mark.django_db


def joined(meeting, *members):
    for member in members:
        act.join_meeting(member=member, meeting=meeting)


def test_a_new_member_cannot_chair_a_meeting(room, member):
    with pytest.raises(PermissionDenied):
        act.start_meeting(by=member, room=room)


def test_only_one_meeting_is_live_in_a_room_at_a_time(meeting, room, chair_factory):
    with pytest.raises(MeetingError) as error:
        act.start_meeting(by=chair_factory(), room=room)
    assert error.value.code == "busy"


def test_a_scheduled_weekly_meeting_goes_live_then_schedules_next_week(room, chair):
    starts = timezone.now() + timedelta(hours=2)
    meeting = act.schedule_meeting(
        by=chair, room=room, title="Weekly", starts_at=starts, repeats_weekly=True
    )
    act.start_meeting(by=chair, meeting=meeting)
    safety.end_meeting(by=chair, meeting=meeting)
    following = Meeting.objects.get(status=Meeting.Status.SCHEDULED, room=room)
    assert following.starts_at == starts + timedelta(days=7)
    assert following.chair == chair


def test_the_chair_calls_raised_hands_in_the_order_they_went_up(meeting, chair, member_factory):
    first, second = member_factory(), member_factory()
    joined(meeting, first, second)
    act.raise_hand(member=second, meeting=meeting)
    act.raise_hand(member=first, meeting=meeting)
    assert meeting_state(meeting.pk, chair)["queue"] == [second.username, first.username]
    assert act.call_next(by=chair, meeting=meeting) == second
    state = meeting_state(meeting.pk, first)
    assert state["sharer"] == second.username
    assert state["queue"] == [first.username]
    assert state["phase"] == "shares"
    assert 179 <= state["remaining_seconds"] <= 180


def test_a_listener_cannot_call_the_next_sharer(meeting, member):
    joined(meeting, member)
    with pytest.raises(PermissionDenied):
        act.call_next(by=member, meeting=meeting)


def test_only_the_sharer_can_write_while_someone_shares(meeting, chair, member_factory):
    sharer, listener = member_factory(), member_factory()
    joined(meeting, sharer, listener)
    act.raise_hand(member=sharer, meeting=meeting)
    act.call_next(by=chair, meeting=meeting)
    act.send_share(member=sharer, meeting=meeting, body="Today I stayed clean.")
    with pytest.raises(MeetingError) as error:
        act.send_share(member=listener, meeting=meeting, body="You should try...")
    assert error.value.code == "not_your_share"
    assert list(MeetingShare.objects.values_list("body", flat=True)) == ["Today I stayed clean."]


def test_nobody_writes_between_shares_unless_the_format_opens_the_chat(
    meeting, room, chair, member
):
    joined(meeting, member)
    act.set_phase(by=chair, meeting=meeting, phase="shares")
    with pytest.raises(MeetingError) as error:
        act.send_share(member=member, meeting=meeting, body="Hi all")
    assert error.value.code == "no_cross_talk"
    act.edit_format(by=chair, room=room, texts={}, open_chat_between_shares=True)
    share = act.send_share(member=member, meeting=meeting, body="Hi all")
    assert share.is_open_chat


def test_thank_yous_are_counted_once_per_listener_and_never_stored(meeting, chair, member_factory):
    sharer, listener = member_factory(), member_factory()
    joined(meeting, chair, sharer, listener)
    act.raise_hand(member=sharer, meeting=meeting)
    act.call_next(by=chair, meeting=meeting)
    act.say_thanks(member=listener, meeting=meeting)
    act.say_thanks(member=listener, meeting=meeting)
    act.say_thanks(member=chair, meeting=meeting)
    assert meeting_state(meeting.pk, sharer)["thanks"] == 2
    assert not MeetingShare.objects.exists()


def test_an_expired_timer_ends_the_share_and_auto_advance_calls_the_next(
    meeting, chair, member_factory
):
    first, second = member_factory(), member_factory()
    joined(meeting, first, second)
    act.set_auto_advance(by=chair, meeting=meeting, on=True)
    act.raise_hand(member=first, meeting=meeting)
    act.raise_hand(member=second, meeting=meeting)
    act.call_next(by=chair, meeting=meeting)
    later = timezone.now() + timedelta(seconds=181)
    assert act.advance_if_expired(meeting_id=meeting.pk, now=later)
    assert meeting_state(meeting.pk, chair)["sharer"] == second.username
    assert not act.advance_if_expired(meeting_id=meeting.pk)


def test_the_chair_extends_the_share_timer(meeting, chair, member):
    joined(meeting, member)
    act.raise_hand(member=member, meeting=meeting)
    act.call_next(by=chair, meeting=meeting)
    act.extend_share(by=chair, meeting=meeting, seconds=60)
    assert meeting_state(meeting.pk, member)["remaining_seconds"] >= 239


def test_the_chair_advances_the_format_and_everyone_sees_its_texts(meeting, room, chair, member):
    joined(meeting, member)
    act.edit_format(by=chair, room=room, texts={"reading": "Our own short reading."})
    assert "stays here" in " ".join(meeting_state(meeting.pk, member)["texts"])
    assert act.set_phase(by=chair, meeting=meeting) == "reading"
    assert meeting_state(meeting.pk, member)["texts"] == ["Our own short reading."]


def test_a_first_time_attendee_waits_in_the_lobby_until_admitted(meeting, chair, member_factory):
    regular, newcomer = member_factory(), member_factory()
    joined(meeting, regular)
    safety.set_meeting_lobby(by=chair, meeting=meeting, on=True)
    joined(meeting, newcomer)
    waiting = meeting_state(meeting.pk, newcomer)
    assert waiting["me"]["status"] == "lobby"
    assert "queue" not in waiting
    assert meeting_state(meeting.pk, chair)["lobby"] == [
        {"id": newcomer.pk, "name": newcomer.username}
    ]
    safety.admit_from_lobby(by=chair, meeting=meeting, member=newcomer)
    assert meeting_state(meeting.pk, newcomer)["me"]["status"] == "in"


def test_a_locked_meeting_takes_nobody_new(meeting, chair, member):
    safety.set_meeting_lock(by=chair, meeting=meeting, locked=True)
    with pytest.raises(MeetingError) as error:
        joined(meeting, member)
    assert error.value.code == "locked"


def test_a_removed_member_cannot_come_back_and_a_muted_one_cannot_raise_a_hand(
    meeting, chair, member_factory
):
    removed, muted = member_factory(), member_factory()
    joined(meeting, removed, muted)
    safety.remove_from_meeting(by=chair, meeting=meeting, member=removed)
    with pytest.raises(MeetingError):
        joined(meeting, removed)
    safety.mute_in_meeting(by=chair, meeting=meeting, member=muted)
    with pytest.raises(MeetingError) as error:
        act.raise_hand(member=muted, meeting=meeting)
    assert error.value.code == "muted"


def test_each_safety_verb_writes_one_audit_entry(meeting, cohost, member_factory):
    guest, newcomer = member_factory(), member_factory()
    joined(meeting, guest)
    safety.set_meeting_lobby(by=cohost, meeting=meeting, on=True)
    joined(meeting, newcomer)
    safety.admit_from_lobby(by=cohost, meeting=meeting, member=newcomer)
    safety.mute_in_meeting(by=cohost, meeting=meeting, member=guest)
    safety.remove_from_meeting(by=cohost, meeting=meeting, member=guest)
    safety.set_meeting_lock(by=cohost, meeting=meeting, locked=True)
    safety.end_meeting(by=cohost, meeting=meeting)
    actions = list(AuditLogEntry.objects.order_by("id").values_list("action", "moderator_name"))
    assert actions == [
        (name, cohost.username)
        for name in [
            "meeting_lobby",
            "meeting_admit",
            "meeting_mute",
            "meeting_remove",
            "meeting_lock",
            "meeting_end",
        ]
    ]


def test_a_listener_cannot_use_the_safety_verbs(meeting, member_factory):
    listener, other = member_factory(), member_factory()
    joined(meeting, listener, other)
    with pytest.raises(PermissionDenied):
        safety.remove_from_meeting(by=listener, meeting=meeting, member=other)
    assert not AuditLogEntry.objects.exists()


def test_ending_removes_the_shares_but_keeps_a_reported_one(meeting, chair, member_factory):
    sharer, listener = member_factory(), member_factory()
    joined(meeting, sharer, listener)
    act.raise_hand(member=sharer, meeting=meeting)
    act.call_next(by=chair, meeting=meeting)
    kept = act.send_share(member=sharer, meeting=meeting, body="Reported share")
    act.send_share(member=sharer, meeting=meeting, body="Ordinary share")
    safety.report_share(member=listener, share=kept)
    safety.end_meeting(by=chair, meeting=meeting)
    assert list(MeetingShare.objects.values_list("body", flat=True)) == ["Reported share"]


def test_the_cohost_takes_the_chair_when_the_chair_drops(meeting, chair, cohost):
    joined(meeting, chair, cohost)
    act.leave_meeting(member=chair, meeting=meeting)
    meeting.refresh_from_db()
    assert (meeting.chair, meeting.cohost) == (cohost, chair)


def test_the_chair_keeps_the_chair_while_another_of_their_sockets_is_open(meeting, chair, cohost):
    joined(meeting, chair, chair, cohost)
    act.leave_meeting(member=chair, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.chair == chair
    assert MeetingAttendee.objects.get(meeting=meeting, member=chair).connections == 1
