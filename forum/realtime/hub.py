"""One timer per server process for every open socket: heartbeats and coalesced presence.

A task per socket costs memory and wakes the loop once per socket; a 500-member room also used
to send every member the full presence list on every join (N joins, N² frames). Instead each
process (each event loop) runs one ``Hub`` task while it holds sockets:

* **Heartbeats.** A socket registers with ``add(socket, every=seconds)``. Each tick the sockets
  whose heartbeat is due are handed, grouped by class, to ``type(socket).beat_many(sockets)``,
  which does their work in batches (one Redis pipeline, one database query per tick).
* **Presence.** A chat socket registers its room with ``join_room``. At most once per
  ``CHAT_PRESENCE_SECONDS`` (1 s) the hub reads the presence of every room it holds sockets of
  from Redis (one pipeline; the same for joins and departures on every process) and sends each
  socket only what changed since it was last told: ``{"type": "presence", "count", "joined",
  "left"}``. A socket's baseline is the set of pseudonyms it was last sent; sockets told the
  same thing share one set (the room's ``shown``), so memory does not grow with members x
  sockets.

The task ends when the process holds no socket any more, and starts again with the next one.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import defaultdict

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from forum.realtime import presence
from forum.realtime.protocol import room_group

logger = logging.getLogger(__name__)
CATCH_UP_SHARED_SECONDS = 0.5


def presence_seconds() -> float:
    return float(settings.HOMEGROUP.get("CHAT_PRESENCE_SECONDS", 1))


def presence_diff(before: frozenset, after: frozenset) -> dict:
    """The presence frame that turns what a socket was told (``before``) into ``after``."""
    return {
        "type": "presence",
        "count": len(after),
        "joined": sorted(after - before, key=str.casefold),
        "left": sorted(before - after, key=str.casefold),
    }


class Hub:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.due: dict = {}  # socket -> (next heartbeat, seconds between heartbeats)
        self.rooms: dict[int, set] = defaultdict(set)  # room id -> its chat sockets here
        self.shown: dict[int, frozenset] = {}  # room id -> the presence last sent to its sockets
        self.task: asyncio.Task | None = None
        self.next_presence = 0.0
        # Room events: one channel per room and process joins the room's group, and this
        # process hands each event to its sockets of that room (channels_redis wakes every
        # receiving socket in turn for each event, which grows with the room).
        self.receivers: dict[int, set] = defaultdict(set)  # room id -> sockets given its events
        self.channels: dict[int, str] = {}
        self.joining: dict[int, asyncio.Task] = {}
        self.listeners: dict[int, asyncio.Task] = {}
        self.catch_ups: dict[tuple, asyncio.Task] = {}

    # -- registration ------------------------------------------------------------------------

    def add(self, socket, *, every: float) -> None:
        """Beat ``socket`` every ``every`` seconds from a random first beat within the first
        period: sockets that open together (a room filling up, a server restart's reconnects)
        would otherwise all be due on the same tick, every period, and their heartbeats
        (a group re-join each, a catch-up read) stall the room's messages behind them."""
        first = every * random.uniform(0.2, 1.0)
        self.due[socket] = (time.monotonic() + first, every)
        if self.task is None or self.task.done():
            self.task = self.loop.create_task(self._run(), name="homegroup-socket-hub")

    def join_room(self, socket, room_id: int, *, shown: frozenset) -> None:
        """Register a chat socket that was just sent the full presence list ``shown``."""
        known = self.shown.get(room_id)
        socket.presence_baseline = known if known == shown else shown
        self.rooms[room_id].add(socket)

    async def listen(self, socket, room_id: int) -> None:
        """Hand ``room_id``'s group events to ``socket`` (``socket.room_event``) from now on;
        the first socket of a room makes this process join the room's group."""
        self.receivers[room_id].add(socket)
        task = self.joining.get(room_id)
        if task is None or (task.done() and (task.cancelled() or task.exception())):
            task = self.joining[room_id] = self.loop.create_task(self._join_room_group(room_id))
        await asyncio.shield(task)

    async def _join_room_group(self, room_id: int) -> None:
        layer = get_channel_layer()
        channel = self.channels.get(room_id) or await layer.new_channel()
        self.channels[room_id] = channel
        await layer.group_add(room_group(room_id), channel)
        if room_id not in self.listeners:
            self.listeners[room_id] = self.loop.create_task(
                self._listen(room_id, channel, layer), name="homegroup-room-events"
            )

    async def catch_up(self, key: tuple, read):
        """Rows a socket behind must read (``read()``), shared for a moment by the other
        sockets of the process that are behind in the same way: two processes' messages can
        arrive out of order, and then every socket of the room sees the same gap at once."""
        task = self.catch_ups.get(key)
        if task is None:
            task = self.catch_ups[key] = self.loop.create_task(read())
            self.loop.call_later(CATCH_UP_SHARED_SECONDS, self.catch_ups.pop, key, None)
        return await asyncio.shield(task)

    async def rejoin_rooms(self, room_ids) -> None:
        """Join the rooms' groups again: channels_redis forgets them (Redis restarted, expiry)."""
        layer = get_channel_layer()
        for room_id in room_ids:
            channel = self.channels.get(room_id)
            if channel is not None:
                await layer.group_add(room_group(room_id), channel)

    async def _listen(self, room_id: int, channel: str, layer) -> None:
        order = InOrder()
        receiving: asyncio.Task | None = None
        try:
            while True:
                if receiving is None:
                    receiving = self.loop.create_task(layer.receive(channel))
                done, _ = await asyncio.wait({receiving}, timeout=order.wait_seconds())
                if not done:
                    await self._hand_out(room_id, order.release_all())
                    continue
                task, receiving = receiving, None
                try:
                    event = task.result()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    logger.warning("room events could not be received; trying again", exc_info=True)
                    await asyncio.sleep(1)
                    continue
                await self._hand_out(room_id, order.arrived(event))
        finally:
            if receiving is not None:
                receiving.cancel()

    async def _hand_out(self, room_id: int, events: list[dict]) -> None:
        for event in events:
            for socket in list(self.receivers.get(room_id, ())):
                try:
                    await socket.room_event(event)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    logger.warning("a socket could not take a room event", exc_info=True)

    def _stop_listening(self, room_id: int) -> None:
        for tasks in (self.joining, self.listeners):
            task = tasks.pop(room_id, None)
            if task is not None:
                task.cancel()
        channel = self.channels.pop(room_id, None)
        if channel is not None:
            self.loop.create_task(self._leave_room_group(room_id, channel))

    async def _leave_room_group(self, room_id: int, channel: str) -> None:
        try:
            await get_channel_layer().group_discard(room_group(room_id), channel)
        except Exception:
            logger.warning("could not leave a room's group", exc_info=True)

    def remove(self, socket) -> None:
        self.due.pop(socket, None)
        for room_id in [r for r, sockets in self.receivers.items() if socket in sockets]:
            self.receivers[room_id].discard(socket)
            if not self.receivers[room_id]:
                del self.receivers[room_id]
                self._stop_listening(room_id)
        for room_id in [r for r, sockets in self.rooms.items() if socket in sockets]:
            self.rooms[room_id].discard(socket)
            if not self.rooms[room_id]:
                del self.rooms[room_id]
                self.shown.pop(room_id, None)

    # -- the timer ---------------------------------------------------------------------------

    def _tick_seconds(self) -> float:
        every = [seconds for _, seconds in self.due.values()]
        return max(0.05, min([presence_seconds(), *every]))

    async def _run(self) -> None:
        while self.due:
            await asyncio.sleep(self._tick_seconds())
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("socket hub tick failed; trying again", exc_info=True)

    async def tick(self) -> None:
        now = time.monotonic()
        if self.rooms and now >= self.next_presence:
            self.next_presence = now + presence_seconds()
            await self.send_presence()
        due_by_class: dict[type, list] = defaultdict(list)
        for socket, (at, every) in list(self.due.items()):
            if at <= now:
                self.due[socket] = (now + every, every)
                due_by_class[type(socket)].append(socket)
        for kind, sockets in due_by_class.items():
            try:
                await kind.beat_many(sockets)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("%s heartbeat failed; trying again", kind.__name__, exc_info=True)

    async def send_presence(self) -> None:
        """Tell each socket what changed in its room's presence since it was last told."""
        room_ids = list(self.rooms)
        current = await sync_to_async(presence.read_rooms, thread_sensitive=False)(room_ids)
        if current is None:  # Redis unavailable: keep what members were told
            return
        for room_id in room_ids:
            if room_id not in self.rooms:
                continue
            names = frozenset(current[room_id].pseudonyms)
            if self.shown.get(room_id) == names:
                names = self.shown[room_id]
            self.shown[room_id] = names
            by_baseline: dict[int, tuple[frozenset, list]] = {}
            for socket in list(self.rooms[room_id]):
                baseline = socket.presence_baseline
                if baseline is not names:
                    by_baseline.setdefault(id(baseline), (baseline, []))[1].append(socket)
            for baseline, sockets in by_baseline.values():
                frame = None if baseline == names else presence_diff(baseline, names)
                for socket in sockets:
                    socket.presence_baseline = names
                    if frame is not None:
                        await socket.send_json(frame)


def reorder_seconds() -> float:
    return float(settings.HOMEGROUP.get("CHAT_REORDER_MS", 100)) / 1000


class InOrder:
    """A room's new messages, handed to its sockets in ``seq`` order.

    Two processes send their messages' events as each commits, and Redis may take them in
    either order: a socket seeing seq 7 before 6 must read the gap from the database first,
    on the process's one database thread, behind the sends (every socket of the process sees
    the same gap). Under load that was several reads a second. A message that arrives ahead
    of a gap is held instead, up to ``CHAT_REORDER_MS``, for the missing ones to arrive; past
    that (a message held for review or removed took the number, an event was lost) what is
    held goes on and the sockets read the gap as before. Other events first release what is
    held, so they keep their place after the messages that arrived before them.
    """

    def __init__(self) -> None:
        self.last: int | None = None  # the highest seq handed on
        self.held: dict[int, dict] = {}
        self.deadline = 0.0

    def wait_seconds(self) -> float | None:
        """How long the next event may be waited for before what is held must go on."""
        if not self.held:
            return None
        return max(0.0, self.deadline - time.monotonic())

    def arrived(self, event: dict) -> list[dict]:
        """The events to hand on now, in order."""
        seq = event.get("message", {}).get("seq") if event.get("type") == "chat.message" else None
        overdue = self.held and time.monotonic() >= self.deadline
        out = self.release_all() if seq is None or overdue else []
        if seq is None:
            return [*out, event]
        if self.last is not None and seq > self.last + 1:
            if not self.held:
                self.deadline = time.monotonic() + reorder_seconds()
            self.held[seq] = event
            return out
        self.last = seq if self.last is None else max(self.last, seq)
        return [*out, event, *self._release_next()]

    def _release_next(self) -> list[dict]:
        out = []
        while self.last is not None and self.last + 1 in self.held:
            self.last += 1
            out.append(self.held.pop(self.last))
        return out

    def release_all(self) -> list[dict]:
        out = [self.held.pop(seq) for seq in sorted(self.held)]
        if out:
            self.last = max(self.last or 0, out[-1]["message"]["seq"])
        return out


_hub: Hub | None = None


def hub() -> Hub:
    """The running event loop's hub (one per server process; tests run a loop each)."""
    global _hub
    loop = asyncio.get_running_loop()
    if _hub is None or _hub.loop is not loop:
        _hub = Hub(loop)
    return _hub
