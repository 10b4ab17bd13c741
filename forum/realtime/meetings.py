"""The meeting socket, ``/ws/meetings/<id>/``: thin; every rule and write is in actions.

The database holds the meeting's state; the channel layer only rings ``meeting.changed``. Each
server process keeps one ``MeetingRoom`` per meeting it holds sockets of, which alone listens to
the meeting's group (one channel per process, not one per socket): on a doorbell it reads
the state once (``read_meeting``; doorbells that arrive meanwhile cost one more read, not one
each) and sends each of its sockets that member's frame, built from that one read (members told
the same thing share one encoded frame). A share (``meeting.share``) is encoded once per process
and sent to every socket inside. The room also watches the share timer: once it runs out it asks
``advance_if_expired``, whose row lock lets exactly one process (of however many) end the share.
Every ``CHAT_HEARTBEAT_SECONDS`` the process-wide hub (``forum/realtime/hub.py``) re-joins the
groups and re-reads each room, so a missed doorbell costs at most one heartbeat.
"""

from __future__ import annotations

import asyncio
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from forum.errors import ItemNotFound, MeetingError, ModerationError
from forum.realtime.events import database_action, member_group
from forum.realtime.hub import hub
from forum.realtime.protocol import BadFrame, error_frame, meeting_group, parse_meeting_frame

logger = logging.getLogger(__name__)


@database_action
def _open(member, meeting_id: int):
    """Join the meeting (once more); None when it does not exist for ``member``."""
    from accounts.roles import capabilities
    from forum.actions.meetings import join_meeting
    from forum.permissions.chat import can_see_room
    from forum.selectors.meetings import get_meeting

    meeting = get_meeting(meeting_id)
    if meeting is None or not can_see_room(member, meeting.room):
        return None
    # Read once here: the member's frames are built on the event loop, without the database.
    capabilities(member).moderate_content  # noqa: B018
    join_meeting(member=member, meeting=meeting)
    return meeting


@database_action
def _leave(member, meeting) -> None:
    from forum.actions.meetings import leave_meeting

    leave_meeting(member=member, meeting=meeting)


@database_sync_to_async
def _read(meeting_id: int):
    from forum.selectors.meetings import read_meeting

    return read_meeting(meeting_id)


@database_sync_to_async
def _shares(meeting_id: int) -> list[dict]:
    from forum.actions.meetings import share_payload
    from forum.selectors.meetings import resume_shares

    return [share_payload(share) for share in resume_shares(meeting_id)]


@database_action
def _expire(meeting_id: int) -> bool:
    from forum.actions.meetings import advance_if_expired

    return advance_if_expired(meeting_id=meeting_id)


@database_action
def _act(member, meeting, frame: dict) -> None:
    from forum.actions.meeting_commands import perform

    perform(member=member, meeting=meeting, command=frame)


def state_seconds() -> float:
    return settings.HOMEGROUP.get("MEETING_STATE_MS", 250) / 1000


class MeetingRoom:
    """One meeting's sockets in this process; reads the state once per change for all of them."""

    RINGS_KEPT = 256

    def __init__(self, meeting_id: int) -> None:
        self.meeting_id = meeting_id
        self.sockets: set[MeetingConsumer] = set()
        self.dirty = False
        self.worker: asyncio.Task | None = None
        self.rings: dict[str, None] = {}
        self.last_share_id = 0
        self.timer: asyncio.TimerHandle | None = None
        self.timer_at: str | None = None
        self.read_at = float("-inf")
        self.channel: str | None = None
        self.joining: asyncio.Task | None = None
        self.listener: asyncio.Task | None = None

    async def join(self, socket: MeetingConsumer) -> None:
        """Add a socket; the first makes this process listen to the meeting's group."""
        self.sockets.add(socket)
        if self.joining is None:
            self.joining = asyncio.get_running_loop().create_task(self._join_group())
        await asyncio.shield(self.joining)

    async def _join_group(self) -> None:
        layer = get_channel_layer()
        self.channel = await layer.new_channel()
        await self.rejoin()
        self.listener = asyncio.get_running_loop().create_task(self._listen(layer))

    async def rejoin(self) -> None:
        """(Re-)join the meeting's group: channels_redis forgets groups after its expiry."""
        if self.channel is not None:
            await get_channel_layer().group_add(meeting_group(self.meeting_id), self.channel)

    async def _listen(self, layer) -> None:
        """One channel per process and meeting: an event wakes this task, not every socket
        (channels_redis wakes each receiving socket in turn, which grows with the room)."""
        while True:
            try:
                event = await layer.receive(self.channel)
                if event.get("type") == "meeting.changed":
                    self.ring(event.get("ring"))
                elif event.get("type") == "meeting.share":
                    await self.share(event["share"])
                elif event.get("type") == "meeting.share_hidden":
                    await self.share_hidden(event["id"])
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("meeting events could not be received; trying again", exc_info=True)
                await asyncio.sleep(1)

    def ring(self, ring: str | None = None) -> None:
        """A doorbell (``ring``: its name, seen once per socket) or a socket asking afresh."""
        if ring is not None:
            if ring in self.rings:
                return
            self.rings[ring] = None
            if len(self.rings) > self.RINGS_KEPT:
                del self.rings[next(iter(self.rings))]
        self.dirty = True
        if self.worker is None or self.worker.done():
            self.worker = asyncio.get_running_loop().create_task(self._work())

    async def _work(self) -> None:
        loop = asyncio.get_running_loop()
        while self.dirty and self.sockets:
            # At most one read and fan-out per MEETING_STATE_MS: 500 members joining do
            # not make 500 fan-outs of 500 frames each. Shares do not wait for this.
            wait = self.read_at + state_seconds() - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self.dirty = False
            self.read_at = loop.time()
            try:
                snapshot = await _read(self.meeting_id)
                await self._fan_out(snapshot)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning(
                    "meeting state could not be read or sent; trying again", exc_info=True
                )
                self.dirty = True
                await asyncio.sleep(1)

    async def _fan_out(self, snapshot) -> None:
        from forum.selectors.meetings import state_for

        self._watch_timer(snapshot)
        now = timezone.now()
        encoded: dict[str, str] = {}
        shares: list[dict] | None = None
        for socket in list(self.sockets):
            if socket.version == snapshot.version:
                continue
            was_inside = socket.inside()
            state = state_for(snapshot, socket.member, now=now)
            key = repr(sorted(state["me"].items())) + repr(sorted(state))
            text = encoded.get(key)
            if text is None:
                text = encoded[key] = DjangoJSONEncoder().encode(state)
            socket.state, socket.version = state, snapshot.version
            await socket.send_text(text)
            if socket.inside() and not was_inside:
                if shares is None:
                    shares = await _shares(self.meeting_id)
                for share in shares:
                    await socket.send_share(share)
            if state["me"]["status"] == "removed":
                await socket.close(code=4403)
            elif state["status"] == "ended":
                await socket.close(code=1000)

    async def share(self, share: dict) -> None:
        """Encode a share once (as the author's and as everyone else's) and send it to every
        socket inside."""
        if share["id"] <= self.last_share_id:
            return
        self.last_share_id = share["id"]
        frame = {"type": "share", **{k: v for k, v in share.items() if k != "author_id"}}
        texts = {
            mine: DjangoJSONEncoder().encode({**frame, "mine": mine}) for mine in (False, True)
        }
        for socket in list(self.sockets):
            if socket.inside() and share["id"] > socket.last_share_id:
                socket.last_share_id = share["id"]
                await socket.send_text(texts[share["author_id"] == socket.member.pk])

    async def share_hidden(self, share_id: int) -> None:
        """A moderator hid a share: every socket inside takes it off its view."""
        text = DjangoJSONEncoder().encode({"type": "share_hidden", "id": share_id})
        for socket in list(self.sockets):
            if socket.inside():
                await socket.send_text(text)

    def _watch_timer(self, snapshot) -> None:
        """Ask to end the share when its time is up (one call per process; the row lock lets
        one of them through)."""
        ends = snapshot.meeting.share_ends_at
        at = ends.isoformat() if ends else None
        if at == self.timer_at:
            return
        if self.timer is not None:
            self.timer.cancel()
        self.timer, self.timer_at = None, at
        if ends is not None:
            delay = max(0.0, (ends - timezone.now()).total_seconds())
            self.timer = asyncio.get_running_loop().call_later(delay, self._expire_soon)

    def _expire_soon(self) -> None:
        self.timer_at = None
        asyncio.get_running_loop().create_task(self._expire())

    async def _expire(self) -> None:
        try:
            await _expire(self.meeting_id)
        except Exception:
            logger.warning("meeting timer could not end the share", exc_info=True)
        self.ring()

    def close(self) -> None:
        for pending in (self.timer, self.worker, self.joining, self.listener):
            if pending is not None:
                pending.cancel()
        if self.channel is not None:
            asyncio.get_running_loop().create_task(self._leave_group(self.channel))

    async def _leave_group(self, channel: str) -> None:
        try:
            await get_channel_layer().group_discard(meeting_group(self.meeting_id), channel)
        except Exception:
            logger.warning("could not leave the meeting's group", exc_info=True)


_rooms: dict[int, MeetingRoom] = {}
_rooms_loop: asyncio.AbstractEventLoop | None = None


def meeting_room(meeting_id: int) -> MeetingRoom:
    """This process's (this event loop's) room for ``meeting_id``."""
    global _rooms_loop
    loop = asyncio.get_running_loop()
    if _rooms_loop is not loop:
        _rooms.clear()
        _rooms_loop = loop
    room = _rooms.get(meeting_id)
    if room is None:
        room = _rooms[meeting_id] = MeetingRoom(meeting_id)
    return room


def _leave_room(socket: MeetingConsumer) -> None:
    room = socket.room
    if room is None:
        return
    room.sockets.discard(socket)
    if not room.sockets and _rooms.get(room.meeting_id) is room:
        room.close()
        del _rooms[room.meeting_id]


class MeetingConsumer(AsyncWebsocketConsumer):
    room: MeetingRoom | None = None
    version: int | None = None
    last_share_id = 0
    closing = False

    async def connect(self):
        from forum.permissions.chat import may_connect

        self.member = self.scope.get("user")
        self.meeting = None
        self.state: dict = {}
        # Accept first: a close code can only reach the browser on an open socket.
        await self.accept()
        if not getattr(self.member, "is_authenticated", False):
            await self.close(code=4401)
            return
        if not await database_sync_to_async(may_connect)(self.member):
            await self.close(code=4403)
            return
        try:
            self.meeting = await _open(self.member, int(self.scope["url_route"]["kwargs"]["id"]))
        except MeetingError as error:
            await self.send_json(error_frame(error.code, error.message))
            await self.close(code=4403)
            return
        if self.meeting is None:
            await self.close(code=4404)
            return
        self.groups_joined = [member_group(self.member.pk)]
        await self._join_groups()
        self.room = meeting_room(self.meeting.pk)
        await self.room.join(self)
        self.room.ring()
        hub().add(self, every=float(settings.HOMEGROUP.get("CHAT_HEARTBEAT_SECONDS", 10)))

    async def disconnect(self, code):
        self.closing = True
        if self.meeting is None:
            return
        hub().remove(self)
        _leave_room(self)
        for group in getattr(self, "groups_joined", []):
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:
                logger.warning("could not leave %s", group, exc_info=True)
        try:
            await _leave(self.member, self.meeting)
        except Exception:
            logger.warning("could not record leaving a meeting", exc_info=True)

    async def dispatch(self, message):
        """Ignore events meant for other kinds of sockets sharing the member group."""
        if getattr(self, message.get("type", "").replace(".", "_"), None) is None:
            return
        await super().dispatch(message)

    async def receive(self, text_data=None, bytes_data=None):
        if self.meeting is None:
            return
        try:
            frame = parse_meeting_frame(text_data)
        except BadFrame as bad:
            await self.send_json(error_frame(bad.code, bad.message))
            return
        if frame["type"] == "ping":
            await self.send_json({"type": "pong"})
            return
        if frame["type"] == "state":
            self.version = None
            self.room.ring()
            return
        try:
            await _act(self.member, self.meeting, frame)
        except MeetingError as error:
            await self.send_json(error_frame(error.code, error.message))
        except (PermissionDenied, ModerationError) as error:
            await self.send_json(error_frame("forbidden", str(error)))
        except ItemNotFound as error:
            await self.send_json(error_frame("invalid", str(error)))
        else:
            if frame["type"] == "report":
                await self.send_json({"type": "reported", "share_id": frame["share_id"]})

    # -- group events ----------------------------------------------------------------------

    async def member_disconnect(self, event):
        await self.close(code=event.get("code", 4403))

    # -- helpers ---------------------------------------------------------------------------

    def inside(self) -> bool:
        me = self.state.get("me", {})
        return me.get("status") == "in" or bool(me.get("runs"))

    async def send_share(self, share: dict) -> None:
        if share["id"] <= self.last_share_id:
            return
        self.last_share_id = share["id"]
        await self.send_json(
            {
                "type": "share",
                **{k: v for k, v in share.items() if k != "author_id"},
                "mine": share["author_id"] == self.member.pk,
            }
        )

    async def _join_groups(self) -> None:
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)

    @classmethod
    async def beat_many(cls, sockets: list[MeetingConsumer]) -> None:
        """The heartbeat of every socket due, from the process-wide hub: re-join the groups
        (channels_redis forgets them after its expiry) and read each room once afresh."""
        sockets = [s for s in sockets if s.room is not None and not s.closing]
        joined = await asyncio.gather(*(s._join_groups() for s in sockets), return_exceptions=True)
        if any(isinstance(r, Exception) for r in joined):
            logger.warning("meeting sockets could not re-join their groups; trying again")
        for room in {s.room for s in sockets}:
            try:
                await room.rejoin()
            except Exception:
                logger.warning("a meeting could not re-join its group; trying again")
            room.ring()

    async def send_text(self, text: str) -> None:
        """Send an encoded frame while the socket is open (a client may close meanwhile)."""
        if self.closing:
            return
        try:
            await self.send(text_data=text)
        except OSError:
            self.closing = True

    async def send_json(self, content: dict) -> None:
        await self.send_text(DjangoJSONEncoder().encode(content))
