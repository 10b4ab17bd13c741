"""The meeting socket with several members at once, through the real ASGI stack."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from forum.models import Meeting, MeetingShare
from tests.forum.meetings.conftest import open_meeting
from tests.sockets import closed_with, next_frame

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def state_where(socket, test, *, timeout: float = 3) -> dict:
    """The first ``meeting`` frame for which ``test(frame)`` holds."""
    while True:
        frame = await next_frame(socket, "meeting", timeout=timeout)
        if test(frame):
            return frame


async def send(socket, **frame) -> None:
    await socket.send_to(text_data=json.dumps(frame))


async def given_the_floor(chair_socket, sharer_socket) -> None:
    """The member called "Sharer" raises a hand and the chair calls them."""
    await send(sharer_socket, type="raise_hand")
    await state_where(chair_socket, lambda f: f["queue"] == ["Sharer"])
    await send(chair_socket, type="call_next")
    await state_where(sharer_socket, lambda f: f["me"]["sharing"])


async def test_raise_call_share_and_no_cross_talk(meeting, chair, member_factory):
    sharer = await database_sync_to_async(member_factory)(username="Sharer")
    listener = await database_sync_to_async(member_factory)(username="Listener")
    chair_socket = await open_meeting(chair, meeting.pk)
    sharer_socket = await open_meeting(sharer, meeting.pk)
    listener_socket = await open_meeting(listener, meeting.pk)

    await send(sharer_socket, type="raise_hand")
    state = await state_where(chair_socket, lambda f: f["queue"] == ["Sharer"])
    assert state["me"]["runs"]
    await send(chair_socket, type="call_next")
    state = await state_where(listener_socket, lambda f: f["sharer"] == "Sharer")
    assert 170 <= state["remaining_seconds"] <= 180
    assert not state["me"]["can_write"]

    await send(sharer_socket, type="share", body="I am grateful today.")
    share = await next_frame(listener_socket, "share")
    assert (share["author"], share["body"], share["mine"]) == (
        "Sharer",
        "I am grateful today.",
        False,
    )

    await send(listener_socket, type="share", body="You should just...")
    error = await next_frame(listener_socket, "error")
    assert error["code"] == "not_your_share"
    await send(listener_socket, type="thanks")
    state = await state_where(sharer_socket, lambda f: f["thanks"] == 1)
    assert state["me"]["sharing"]
    assert await database_sync_to_async(MeetingShare.objects.count)() == 1
    for socket in (chair_socket, sharer_socket, listener_socket):
        await socket.disconnect(timeout=5)


async def test_a_forged_chair_frame_from_a_listener_is_refused(meeting, chair, member_factory):
    listener = await database_sync_to_async(member_factory)()
    socket = await open_meeting(listener, meeting.pk)
    for frame in ({"type": "call_next"}, {"type": "end"}, {"type": "lock", "on": True}):
        await send(socket, **frame)
        assert (await next_frame(socket, "error"))["code"] == "forbidden"
    await send(socket, type="nonsense")
    assert (await next_frame(socket, "error"))["code"] == "invalid"
    await database_sync_to_async(meeting.refresh_from_db)()
    assert meeting.is_live and not meeting.is_locked
    await socket.disconnect(timeout=5)


async def test_the_timer_runs_out_and_the_share_ends_by_itself(meeting, chair, member_factory):
    sharer = await database_sync_to_async(member_factory)(username="Sharer")
    chair_socket = await open_meeting(chair, meeting.pk)
    sharer_socket = await open_meeting(sharer, meeting.pk)
    await send(sharer_socket, type="raise_hand")
    await state_where(chair_socket, lambda f: f["queue"] == ["Sharer"])
    await send(chair_socket, type="call_next")
    await state_where(chair_socket, lambda f: f["sharer"] == "Sharer")
    soon = timezone.now() + timedelta(seconds=1)
    await database_sync_to_async(Meeting.objects.filter(pk=meeting.pk).update)(share_ends_at=soon)
    await send(chair_socket, type="extend", seconds=1)
    await state_where(chair_socket, lambda f: f["sharer"] == "Sharer")
    state = await state_where(sharer_socket, lambda f: f["sharer"] is None, timeout=6)
    assert state["remaining_seconds"] is None
    for socket in (chair_socket, sharer_socket):
        await socket.disconnect(timeout=5)


async def test_a_reconnecting_member_gets_phase_queue_sharer_time_and_shares(
    meeting, chair, member_factory
):
    sharer = await database_sync_to_async(member_factory)(username="Sharer")
    waiting = await database_sync_to_async(member_factory)(username="Waiting")
    chair_socket = await open_meeting(chair, meeting.pk)
    sharer_socket = await open_meeting(sharer, meeting.pk)
    waiting_socket = await open_meeting(waiting, meeting.pk)
    await given_the_floor(chair_socket, sharer_socket)
    await send(sharer_socket, type="share", body="First part")
    await next_frame(waiting_socket, "share")
    await send(waiting_socket, type="raise_hand")
    await state_where(chair_socket, lambda f: f["queue"] == ["Waiting"])
    await waiting_socket.disconnect(timeout=5)

    again = await open_meeting(waiting, meeting.pk)
    state = await next_frame(again, "meeting")
    assert state["phase"] == "shares"
    assert state["queue"] == ["Waiting"]
    assert state["sharer"] == "Sharer"
    assert 0 < state["remaining_seconds"] <= 180
    assert state["me"]["hand_raised"]
    assert (await next_frame(again, "share"))["body"] == "First part"
    for socket in (chair_socket, sharer_socket, again):
        await socket.disconnect(timeout=5)


async def test_a_first_timer_waits_in_the_lobby_and_sees_shares_once_admitted(
    meeting, chair, member_factory
):
    newcomer = await database_sync_to_async(member_factory)(username="Newcomer")
    chair_socket = await open_meeting(chair, meeting.pk)
    await send(chair_socket, type="lobby", on=True)
    await state_where(chair_socket, lambda f: f["lobby_on"])
    newcomer_socket = await open_meeting(newcomer, meeting.pk)
    state = await next_frame(newcomer_socket, "meeting")
    assert state["me"]["status"] == "lobby" and "queue" not in state
    lobby = await state_where(chair_socket, lambda f: f["lobby"])
    assert lobby["lobby"] == [{"id": newcomer.pk, "name": "Newcomer"}]
    await send(newcomer_socket, type="raise_hand")
    assert (await next_frame(newcomer_socket, "error"))["code"] == "not_in_meeting"
    await send(chair_socket, type="admit", member_id=newcomer.pk)
    state = await state_where(newcomer_socket, lambda f: f["me"]["status"] == "in")
    assert "queue" in state
    for socket in (chair_socket, newcomer_socket):
        await socket.disconnect(timeout=5)


async def test_the_cohost_takes_over_when_the_chair_drops(meeting, chair, cohost, member):
    chair_socket = await open_meeting(chair, meeting.pk)
    cohost_socket = await open_meeting(cohost, meeting.pk)
    listener_socket = await open_meeting(member, meeting.pk)
    await chair_socket.disconnect(timeout=5)
    state = await state_where(listener_socket, lambda f: f["chair"] == "Cohost")
    assert state["cohost"] == "Chair"
    await send(cohost_socket, type="phase")
    state = await state_where(listener_socket, lambda f: f["phase"] == "reading")
    for socket in (cohost_socket, listener_socket):
        await socket.disconnect(timeout=5)


async def test_a_removed_member_is_closed_out_and_cannot_return(meeting, chair, member):
    chair_socket = await open_meeting(chair, meeting.pk)
    socket = await open_meeting(member, meeting.pk)
    await send(chair_socket, type="remove", member_id=member.pk)
    assert await closed_with(socket) == 4403
    again = await open_meeting(member, meeting.pk)
    assert (await next_frame(again, "error"))["code"] == "removed"
    await chair_socket.disconnect(timeout=5)


async def test_ending_the_meeting_closes_sockets_and_removes_the_shares(
    meeting, chair, member_factory
):
    sharer = await database_sync_to_async(member_factory)(username="Sharer")
    chair_socket = await open_meeting(chair, meeting.pk)
    sharer_socket = await open_meeting(sharer, meeting.pk)
    await given_the_floor(chair_socket, sharer_socket)
    await send(sharer_socket, type="share", body="Not kept")
    await next_frame(chair_socket, "share")
    await send(chair_socket, type="end")
    state = await state_where(sharer_socket, lambda f: f["status"] == "ended")
    assert state["sharer"] is None
    assert await closed_with(sharer_socket) == 1000
    assert await database_sync_to_async(MeetingShare.objects.count)() == 0


async def test_a_meeting_in_a_private_room_does_not_exist_for_others(meeting, member):
    from tests.sockets import close_code, socket_for

    assert await close_code(await socket_for(member, "/ws/meetings/999999/")) == 4404
    assert await close_code(await socket_for(None, f"/ws/meetings/{meeting.pk}/")) == 4401


async def test_a_listener_reports_a_share_from_the_socket_and_it_outlives_the_end(
    meeting, chair, member_factory
):
    from forum.models import Report

    sharer = await database_sync_to_async(member_factory)(username="Sharer")
    listener = await database_sync_to_async(member_factory)(username="Listener")
    chair_socket = await open_meeting(chair, meeting.pk)
    sharer_socket = await open_meeting(sharer, meeting.pk)
    listener_socket = await open_meeting(listener, meeting.pk)
    await given_the_floor(chair_socket, sharer_socket)
    await send(sharer_socket, type="share", body="Here is my number")
    await send(sharer_socket, type="share", body="Thanks for listening")
    first = await next_frame(listener_socket, "share")
    await next_frame(listener_socket, "share")

    await send(listener_socket, type="report", share_id=first["id"], reason="personal_info")
    assert (await next_frame(listener_socket, "reported"))["share_id"] == first["id"]
    await send(listener_socket, type="report", share_id=first["id"])
    assert (await next_frame(listener_socket, "error"))["code"] == "forbidden"
    await send(chair_socket, type="end")
    await state_where(listener_socket, lambda f: f["status"] == "ended")

    report = await database_sync_to_async(Report.objects.get)()
    assert (report.target_kind, report.reason) == ("meeting_share", "personal_info")
    bodies = await database_sync_to_async(
        lambda: list(MeetingShare.objects.values_list("body", flat=True))
    )()
    assert bodies == ["Here is my number"]
    for socket in (chair_socket, sharer_socket, listener_socket):
        await socket.disconnect(timeout=5)


async def test_a_share_a_moderator_hides_leaves_every_open_view(
    meeting, chair, member_factory, moderator
):
    from forum.actions.moderation import hide_item
    from forum.actions.moderation import meetings as safety

    sharer = await database_sync_to_async(member_factory)(username="Sharer")
    listener = await database_sync_to_async(member_factory)(username="Listener")
    chair_socket = await open_meeting(chair, meeting.pk)
    sharer_socket = await open_meeting(sharer, meeting.pk)
    listener_socket = await open_meeting(listener, meeting.pk)
    await given_the_floor(chair_socket, sharer_socket)
    await send(sharer_socket, type="share", body="Something that must go")
    share = await next_frame(listener_socket, "share")

    def report_and_hide():
        found = MeetingShare.objects.get(pk=share["id"])
        safety.report_share(member=listener, share=found, reason="personal_info")
        hide_item(moderator=moderator, kind="meeting_share", target_id=found.pk, reason="Phone")

    await database_sync_to_async(report_and_hide)()
    assert (await next_frame(listener_socket, "share_hidden"))["id"] == share["id"]
    assert (await next_frame(chair_socket, "share_hidden"))["id"] == share["id"]
    for socket in (chair_socket, sharer_socket, listener_socket):
        await socket.disconnect(timeout=5)
