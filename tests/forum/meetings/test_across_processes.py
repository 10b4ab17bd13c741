"""A meeting across two real server processes sharing PostgreSQL and Redis: the state lives in
the database, so a member on either process sees the same queue, sharer, timer and chair."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import timezone

from forum.actions.meetings import start_meeting
from forum.models import Meeting, MeetingShare
from tests.processes import ChatClient, session_cookie

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(
        not (
            os.environ.get("REDIS_URL")
            and os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
        ),
        reason="needs REDIS_URL and a PostgreSQL DATABASE_URL (CI's PostgreSQL + Redis pass)",
    ),
    pytest.mark.django_db(transaction=True),
]


class MeetingClient(ChatClient):
    """The chat test client, pointed at a meeting socket; ``state`` is the last meeting frame."""

    def url(self) -> str:
        return f"ws://{self.host}/ws/meetings/{self.slug}/"

    @property
    def state(self) -> dict:
        frames = self.frames_of("meeting")
        return frames[-1] if frames else {}

    def shares(self) -> list[str]:
        return [frame["body"] for frame in self.frames_of("share")]

    def errors(self) -> list[str]:
        return [frame["code"] for frame in self.frames_of("error")]


async def test_a_meeting_runs_across_two_processes(procs, room, chair, cohost, member_factory):
    sharer, listener = await sync_to_async(
        lambda: (member_factory(username="Sharer"), member_factory(username="Listener"))
    )()
    meeting = await sync_to_async(start_meeting)(by=chair, room=room, cohost=cohost)
    one, _ = procs.daphne(redis_url=settings.REDIS_URL)
    two, _ = procs.daphne(redis_url=settings.REDIS_URL)

    async def client(name, host, member):
        cookie = await sync_to_async(session_cookie)(member)
        made = MeetingClient(name, host, str(meeting.pk), cookie)
        made.keep_reconnecting = False
        made.start()
        await made.wait_for(lambda: made.state, what="the first state")
        return made

    c = await client("chair@1", one, chair)
    h = await client("cohost@2", two, cohost)
    s = await client("sharer@2", two, sharer)
    listen = await client("listener@1", one, listener)
    try:
        await s.send_raw({"type": "raise_hand"})
        await c.wait_for(lambda: c.state.get("queue") == ["Sharer"], what="the raised hand")
        await c.send_raw({"type": "call_next"})
        await s.wait_for(lambda: s.state["me"]["sharing"], what="the call")
        await s.send_raw({"type": "share", "body": "Across two processes"})
        await listen.wait_for(lambda: listen.shares() == ["Across two processes"], what="share")
        await listen.send_raw({"type": "share", "body": "cross-talk"})
        await listen.wait_for(lambda: "not_your_share" in listen.errors(), what="refusal")

        # The timer runs out: some process ends the share, and both see it.
        await sync_to_async(Meeting.objects.filter(pk=meeting.pk).update)(
            share_ends_at=timezone.now() + timedelta(seconds=1)
        )
        await c.send_raw({"type": "extend", "seconds": 1})
        for each in (c, s, listen):
            await each.wait_for(lambda each=each: each.state.get("sharer") is None, what="end")

        # The chair drops on process one; the co-host on process two takes the chair.
        await c.close()
        await listen.wait_for(lambda: listen.state.get("chair") == "Cohost", what="takeover")
        await h.send_raw({"type": "end"})
        await listen.wait_for(lambda: listen.state.get("status") == "ended", what="the end")
        assert await sync_to_async(MeetingShare.objects.count)() == 0
    finally:
        for each in (c, h, s, listen):
            await each.close()
        await asyncio.sleep(0)
