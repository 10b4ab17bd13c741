"""A meeting of hundreds over two ASGI processes sharing Redis (issue 13): how long a share
takes to reach the last attendee, and whether 100 hands raised at once all reach the queue in
the order the server accepted them.

All clients run in this process on one event loop, so figures include the client side too.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from contextlib import ExitStack
from datetime import timedelta

from bench.chat import TALLY, BenchSocket, asgi_process, load_average, prepare_members, summary

ROOM_SLUG = "bench-meeting"
CHAIR = "BenchChair"


def prepare_meeting(attendees: int) -> tuple[int, str, list[str]]:
    """A live meeting in the bench room with a fresh chair; (meeting id, chair's session key,
    attendees' session keys). Any meeting left live by an earlier run is ended first."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from forum.actions.meetings import do_end, start_meeting
    from forum.models import Meeting, MeetingShare, Room

    room, _ = Room.objects.get_or_create(
        slug=ROOM_SLUG, defaults={"title": "Bench meeting", "description": "benchmark room"}
    )
    for live in Meeting.objects.filter(room=room, status=Meeting.Status.LIVE):
        do_end(meeting=live)
    MeetingShare.objects.filter(meeting__room=room).delete()
    [chair_key] = prepare_members(1, prefix=CHAIR)
    chair = get_user_model().objects.get(username=f"{CHAIR}0000")
    type(chair).objects.filter(pk=chair.pk).update(
        current_step=12, date_joined=timezone.now() - timedelta(days=400)
    )
    chair.refresh_from_db()
    meeting = start_meeting(by=chair, room=room, title="Bench meeting")
    keys = prepare_members(attendees, prefix="BenchMeet")
    return meeting.pk, chair_key, keys


def database_queue(meeting_id: int) -> list[str]:
    from forum.actions.meetings import queue
    from forum.models import Meeting

    meeting = Meeting.objects.get(pk=meeting_id)
    return [a.member.username for a in queue(meeting).select_related("member")]


class Attendee(BenchSocket):
    """One member's meeting socket: keeps the last state and when each share body arrived."""

    ARRIVAL = "share"
    OPEN_TIMEOUT = 120

    def __init__(self, url: str, session_key: str, origin: str) -> None:
        super().__init__(url, session_key, origin)
        self.state: dict = {}
        self.changed = asyncio.Event()
        self.username: str | None = None

    def on_frame(self, frame: dict) -> None:
        if frame.get("type") == "meeting":
            self.state = frame
            self.changed.set()

    async def send(self, **frame) -> None:
        await self.socket.send(json.dumps(frame))

    async def wait_state(self, test, *, timeout: float) -> dict | None:
        deadline = time.perf_counter() + timeout
        while not (self.state and test(self.state)):
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), timeout=left)
            except TimeoutError:
                return None
        return self.state


def _attendee(port: int, meeting_id: int, key: str) -> Attendee:
    return Attendee(
        f"ws://127.0.0.1:{port}/ws/meetings/{meeting_id}/", key, f"http://127.0.0.1:{port}"
    )


async def _join(ports: list[int], meeting_id: int, keys: list[str], timing: dict) -> list:
    """Connect every attendee, 50 at a time, alternating processes. ``timing["join_s"]``: until
    every socket was sent its state; ``timing["settled_s"]``: until every socket was told all
    are in (the chair counts too)."""
    people = [_attendee(ports[i % len(ports)], meeting_id, k) for i, k in enumerate(keys)]
    started = time.perf_counter()
    for start in range(0, len(people), 50):
        await asyncio.gather(*(p.connect() for p in people[start : start + 50]))
    await asyncio.gather(*(p.wait_state(lambda s: True, timeout=120) for p in people))
    timing["join_s"] = round(time.perf_counter() - started, 2)
    everyone = len(people) + 1
    await asyncio.gather(
        *(p.wait_state(lambda s: s.get("attendees", 0) >= everyone, timeout=120) for p in people)
    )
    timing["settled_s"] = round(time.perf_counter() - started, 2)
    return people


async def _shares(chair: Attendee, everyone: list[Attendee], sharer: Attendee, count: int):
    await sharer.send(type="raise_hand")
    await chair.wait_state(lambda s: s.get("queue"), timeout=30)
    await chair.send(type="call_next")
    await sharer.wait_state(lambda s: s["me"]["sharing"], timeout=30)
    await chair.send(type="extend", seconds=600)
    latencies = []
    for i in range(count):
        body = f"share {i} {uuid.uuid4().hex}"
        sent = time.perf_counter()
        await sharer.send(type="share", body=body)
        await TALLY.wait(body, len(everyone), timeout=10)
        arrived = [p.arrivals[body] for p in everyone if body in p.arrivals]
        if len(arrived) == len(everyone):
            latencies.append((max(arrived) - sent) * 1000)
        await asyncio.sleep(0.05)
    await sharer.send(type="pass")
    return {
        "shares": count,
        "complete": len(latencies),
        **summary(latencies, prefix="last_attendee_"),
    }


async def _hands(chair: Attendee, hands: list[Attendee], meeting_id: int, timeout: float = 60):
    """Raise ``len(hands)`` hands at once; time until the chair's queue holds all of them."""
    from asgiref.sync import sync_to_async

    names = {p.username for p in hands}
    started = time.perf_counter()
    await asyncio.gather(*(p.send(type="raise_hand") for p in hands))
    state = await chair.wait_state(lambda s: names <= set(s.get("queue", [])), timeout=timeout)
    seconds = time.perf_counter() - started
    shown = (state or chair.state).get("queue", [])
    stored = await sync_to_async(database_queue)(meeting_id)
    return {
        "hands": len(hands),
        "in_queue": len(names & set(shown)),
        "lost": len(names - set(stored)),
        "queue_matches_database": shown == stored,
        "all_in_queue_ms": round(seconds * 1000, 1) if state else None,
    }


def measure_meeting(
    env: dict[str, str],
    *,
    attendees: int = 500,
    shares: int = 30,
    hands: int = 100,
    log=print,
) -> dict:
    meeting_id, chair_key, keys = prepare_meeting(attendees)
    result: dict = {"attendees": attendees, "load_before": load_average()}
    with ExitStack() as stack:
        ports = [stack.enter_context(asgi_process(env))[0] for _ in range(2)]

        async def run() -> None:
            chair = _attendee(ports[0], meeting_id, chair_key)
            await chair.connect()
            people = await _join(ports, meeting_id, keys, result)
            log(
                f"  meeting: {attendees} attendees in: {result['join_s']} s, settled {result['settled_s']} s"
            )
            await asyncio.sleep(1)
            everyone = [chair, *people]
            result["share"] = await _shares(chair, everyone, people[-1], shares)
            log(f"  meeting shares: {result['share']}")
            await chair.wait_state(lambda s: s.get("sharer") is None, timeout=30)
            raisers = people[:hands]
            for person, name in zip(raisers, await _names(keys[:hands]), strict=True):
                person.username = name
            result["hands"] = await _hands(chair, raisers, meeting_id)
            log(f"  meeting hands: {result['hands']}")
            await asyncio.gather(*(p.close() for p in everyone), return_exceptions=True)

        asyncio.run(run())
    result["load_after"] = load_average()
    return result


async def _names(keys: list[str]) -> list[str]:
    from asgiref.sync import sync_to_async

    def names() -> list[str]:
        from django.contrib.sessions.backends.db import SessionStore

        from accounts.models import User

        ids = [SessionStore(session_key=k).load()["_auth_user_id"] for k in keys]
        by_id = dict(User.objects.filter(pk__in=ids).values_list("pk", "username"))
        return [by_id[int(i)] for i in ids]

    return await sync_to_async(names)()
