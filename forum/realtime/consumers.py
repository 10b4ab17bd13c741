"""The chat socket, ``/ws/chat/<slug>/``: thin, every rule and write lives in actions/selectors.

Delivery guarantees. The database is the source of truth and the channel layer only the
doorbell. Each socket remembers ``last_seq``, the per-room sequence number of the last message
it passed on. Events with a ``seq`` it already passed on are dropped (no duplicates); an event
that skips numbers makes it read the gap from the database first (no holes, in order). Every
``CHAT_HEARTBEAT_SECONDS`` the process-wide timer (``forum/realtime/hub.py``, one task for all
sockets) re-joins its groups (channels_redis forgets them when Redis restarts without
persistence, or after its group expiry), refreshes its presence entry, and reads the room's
``last_seq``: if it is ahead, the missing messages are read from the database and sent. A
client that loses its socket reconnects with ``?after=<last id>``.

Presence. On connect the joining socket alone is sent the full list; nobody else is told
anything then. The same timer tells every socket, at most once a second, what changed in its
room (a diff), read from Redis, so joins and departures on every process arrive the same way.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404

from forum.permissions.chat import may_connect
from forum.realtime import presence, socket_limit
from forum.realtime.events import database_action, member_group
from forum.realtime.hub import Hub, hub, reorder_seconds
from forum.realtime.protocol import (
    BadFrame,
    Ping,
    error_frame,
    message_frame,
    message_payload,
    message_text,
    parse_frame,
)
from forum.realtime.socket_limit import CLOSE_TOO_MANY, CountedSocket

logger = logging.getLogger(__name__)


class Close:
    """Close codes; documented in ``forum/realtime/protocol.py``."""

    VISITOR = 4401
    FORBIDDEN = 4403
    NOT_FOUND = 4404
    TOO_MANY = CLOSE_TOO_MANY


def _heartbeat_seconds() -> float:
    return float(settings.HOMEGROUP.get("CHAT_HEARTBEAT_SECONDS", 10))


@database_sync_to_async
def _open_room(member, slug: str):
    """The room as the member may see it; None when it does not exist for them."""
    from forum.permissions.chat import get_room_for

    try:
        return get_room_for(member, slug)
    except Http404:
        return None


@database_sync_to_async
def _blocked_ids(member) -> frozenset:
    """Members this one blocked: their messages arrive folded (issue 5)."""
    from accounts.permissions import blocked_ids

    member.__dict__.pop("_blocked_ids", None)
    return blocked_ids(member)


@database_sync_to_async
def _snapshot(room, member, after):
    from forum.selectors.chat import connect_snapshot

    return connect_snapshot(room, member, after=after)


@database_sync_to_async
def _catch_up_rows(room_id: int, after_seq: int, upto_seq: int | None):
    from forum.selectors.chat import messages_between

    return messages_between(room_id, after_seq=after_seq, upto_seq=upto_seq)


@database_sync_to_async
def _last_seqs(room_ids) -> dict[int, int]:
    from forum.selectors.chat import rooms_last_seq

    return rooms_last_seq(room_ids=room_ids)


def _refresh_entries(sockets: list[ChatConsumer]) -> None:
    """Runs whole in a worker thread: one Redis round trip refreshes the presence and socket
    limit entries of every socket due; a socket that closed meanwhile removes its own entry
    again instead of leaving a ghost."""
    entries = [socket.presence_entry() for socket in sockets]
    presence.touch_many(entries)
    socket_limit.refresh_many((s.socket_member_id, s.socket_entry) for s in sockets)
    for socket, entry in zip(sockets, entries, strict=True):
        if socket.closing:
            presence.leave(*entry)


@database_action
def _send(member_id: int, room_id: int, body: str, client_id: str):
    """A fresh member row (a suspension may have started since connect), then the action, which
    reads the room afresh itself (``check_send``: a lock may have started too)."""
    from accounts.models import User
    from forum.actions.chat import send_message
    from forum.models import Room

    member = User.objects.get(pk=member_id)
    result = send_message(member=member, room=Room(pk=room_id), body=body, client_id=client_id)
    return message_payload(result.message), result.created


def _is_transient(error: Exception) -> bool:
    """The database or Redis could not be reached just now: resending later may work. Any
    other failure would repeat on every resend, so the client is told it is permanent."""
    from django.db import InterfaceError, OperationalError

    if isinstance(error, (OperationalError, InterfaceError, OSError, TimeoutError)):
        return True
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is installed wherever REDIS_URL is set
        return False
    return isinstance(error, (RedisConnectionError, RedisTimeoutError))


class ChatConsumer(CountedSocket, AsyncWebsocketConsumer):
    blocked_ids: frozenset = frozenset()
    room_id: int | None = None
    hub: Hub | None = None
    presence_baseline: frozenset = frozenset()
    closing = False
    pending: list | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    async def connect(self):
        self.joined: list[str] = []
        self.last_seq = 0
        self.room_state: dict = {}
        self.deliver_lock = asyncio.Lock()
        self.later: set[asyncio.Task] = set()
        self.connection_id = secrets.token_hex(8)
        # Accept first: a close code can only reach the browser on an open socket.
        await self.accept()
        member = self.scope.get("user")
        if member is None or not member.is_authenticated:
            await self.close(code=Close.VISITOR)
            return
        self.member = member
        if not may_connect(member):  # standing is on the member row: no room is looked up
            await self.close(code=Close.FORBIDDEN)
            return
        room = await _open_room(member, self.scope["url_route"]["kwargs"]["slug"])
        if room is None:
            await self.close(code=Close.NOT_FOUND)
            return
        self.room_id = room.pk
        self.blocked_ids = await _blocked_ids(member)
        self.hub = hub()
        self.pending = []  # room events that arrive before the snapshot is sent
        try:
            await self._join_groups()
            await self.hub.listen(self, self.room_id)
        except Exception:
            # Redis is unreachable (restarting?): 1013 asks the client to try again later,
            # and it resumes with ?after= once the layer is back.
            logger.warning("chat socket could not join its groups; closing with 1013")
            self.room_id = None
            await self.close(code=1013)
            return
        await self.count_socket(member.pk)
        snapshot = await _snapshot(room, member, self._after())
        self.last_seq = snapshot.last_seq
        self.room_state = snapshot.room_frame
        await self.send_json(self.room_state)
        for payload in snapshot.payloads:
            await self._send_message_frame(payload)
        for hidden_id in snapshot.hidden_ids:
            await self.send_json({"type": "message_hidden", "id": hidden_id})
        pending, self.pending = self.pending, None
        for event in pending:
            await self.dispatch(event)
        await self._touch_presence()
        current = await sync_to_async(presence.room_presence, thread_sensitive=False)(self.room_id)
        await self.send_json(current.as_frame())
        self.hub.join_room(self, self.room_id, shown=frozenset(current.pseudonyms))
        self.hub.add(self, every=_heartbeat_seconds())

    async def disconnect(self, code):
        """The socket is closed: leave the groups first, then tell the others who is left.

        Nothing is sent to this socket any more (under uvicorn a send raises
        ``ClientDisconnected``). The others hear of the departure from the hub's next presence
        read, on every process.
        """
        self.closing = True
        if self.hub is not None:
            self.hub.remove(self)
        await self.uncount_socket()
        for group in self.joined:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:
                logger.warning("could not leave %s", group, exc_info=True)
        if self.room_id is not None:
            await sync_to_async(presence.leave, thread_sensitive=False)(*self.presence_entry())

    async def room_event(self, event: dict) -> None:
        """An event of the room's group, from the process's one listener (``hub.listen``):
        held until the connect snapshot is sent, so it is passed on after it, in order."""
        if self.pending is not None:
            self.pending.append(event)
        elif not self.closing:
            await self.dispatch(event)

    async def dispatch(self, message):
        """Run the handler of ``message``; ignore events meant for other kinds of sockets
        sharing the member group.

        Channels' own ``dispatch`` first closes stale database connections on the process's one
        database thread: a thread round trip per event and socket, which a room's fan-out
        awaited socket after socket, in line behind every send. Nothing here reaches the ORM
        but through ``database_sync_to_async``, which does that cleanup around each call.
        """
        kind = message.get("type", "")
        handler = getattr(self, kind.replace(".", "_"), None)
        if handler is None or kind.startswith("_"):
            logger.debug("chat socket ignores %s", kind)
            return
        await handler(message)

    # -- client frames -----------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if self.room_id is None:
            return
        try:
            frame = parse_frame(text_data, bytes_data)
        except BadFrame as bad:
            await self.send_json(error_frame(bad.code, bad.message, client_id=bad.client_id))
            return
        if isinstance(frame, Ping):
            await self.send_json({"type": "pong"})
            return
        await self._send_message(frame.body, frame.client_id)

    async def _send_message(self, body: str, client_id: str) -> None:
        from forum.actions.chat import ChatError

        try:
            payload, created = await _send(self.member.pk, self.room_id, body, client_id)
        except ChatError as error:
            await self.send_json(
                error_frame(
                    error.code, error.message, retry_after=error.retry_after, client_id=client_id
                )
            )
            return
        except Exception as error:
            logger.warning("chat message could not be stored", exc_info=True)
            if _is_transient(error):
                frame = error_frame(
                    "unavailable",
                    "The message could not be sent just now; it will be tried again.",
                    client_id=client_id,
                )
            else:
                frame = error_frame(
                    "not_stored",
                    "This message could not be stored, so it will not be sent again. "
                    "Please change it and try once more.",
                    client_id=client_id,
                )
            await self.send_json(frame)
            return
        if not created and payload["seq"] <= self.last_seq:
            # A resend of a message this socket already passed on: acknowledge it again.
            await self._send_message_frame(payload)
        elif payload["seq"] > self.last_seq + 1:
            # Messages committed before it are still on their way through the room's group (a
            # busy room, another process): they and this one arrive from there, in order (the
            # hub's ``InOrder``). Passed on from here, reading the gap from the database, only
            # if they have not arrived by then; a read per sender per message under load.
            self.hub.loop.call_later(reorder_seconds(), self._deliver_later, payload)
        else:
            # A new message may already have come back through the room's group (the event is
            # sent on commit, before the send returns): then there is nothing left to pass on.
            await self._deliver(payload)

    # -- group events --------------------------------------------------------------------------

    async def chat_message(self, event):
        await self._deliver(event["message"])

    async def chat_shown(self, event):
        """Moderation brought back an older message (approved or unhidden): pass it on whatever
        its seq, marked so the client places it in order."""
        frame = message_frame(
            event["message"], viewer_id=self.member.pk, blocked_ids=self.blocked_ids
        )
        await self.send_json({**frame, "returning": True})

    async def chat_hidden(self, event):
        await self.send_json({"type": "message_hidden", "id": event["id"]})

    async def chat_room(self, event):
        self.room_state = {
            **self.room_state,
            "locked": event["locked"],
            "slow_mode_seconds": event["slow_mode_seconds"],
            "read_only": event.get("read_only", self.room_state.get("read_only", False)),
        }
        await self.send_json(self.room_state)

    async def chat_muted(self, event):
        if event.get("room_id") == self.room_id:
            self.room_state = {**self.room_state, "muted_until": event.get("until")}
            await self.send_json(self.room_state)

    async def member_blocks(self, event):
        """The member blocked or unblocked someone: fold their messages from now on (issue 5)."""
        self.blocked_ids = await _blocked_ids(self.member)

    async def member_disconnect(self, event):
        await self.close(code=event.get("code", Close.FORBIDDEN))

    async def safety_crisis(self, event):
        """Moderation (issue 6): the author's message matched a crisis phrase; only their own
        sockets get this frame, with the crisis resources."""
        await self.send_json({"type": "crisis", "resources": event.get("resources", [])})

    # -- helpers -----------------------------------------------------------------------------

    async def send_json(self, content: dict) -> None:
        """Send a frame while the socket is open.

        A client can close between an event arriving and its frame being sent; uvicorn then
        raises ``ClientDisconnected`` (an ``OSError``). The frame has nowhere to go, and the
        ``websocket.disconnect`` that follows runs ``disconnect`` as usual.
        """
        await self.send_text(DjangoJSONEncoder().encode(content))

    async def send_text(self, text: str) -> None:
        """Send a frame already encoded (``send_json`` says why a closed socket is skipped)."""
        if self.closing:
            return
        try:
            await self.send(text_data=text)
        except OSError:
            self.closing = True

    async def _send_message_frame(self, payload: dict) -> None:
        await self.send_text(
            message_text(payload, viewer_id=self.member.pk, blocked_ids=self.blocked_ids)
        )

    def _after(self) -> int | None:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        value = (query.get("after") or [""])[-1]
        return int(value) if value.isdigit() and len(value) < 19 else None

    async def _join_groups(self) -> None:
        self.joined = [member_group(self.member.pk)]
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)

    async def _deliver(self, payload: dict) -> None:
        async with self.deliver_lock:
            if payload["seq"] <= self.last_seq:
                return
            if payload["seq"] > self.last_seq + 1:
                await self._catch_up_locked(upto=payload["seq"] - 1)
            await self._send_message_frame(payload)
            self.last_seq = payload["seq"]

    def _deliver_later(self, payload: dict) -> None:
        if self.closing or payload["seq"] <= self.last_seq:
            return
        task = self.hub.loop.create_task(self._deliver(payload))
        self.later.add(task)
        task.add_done_callback(self.later.discard)

    async def _catch_up_locked(self, upto: int | None = None) -> None:
        while True:
            rows = await self.hub.catch_up(
                (self.room_id, self.last_seq, upto),
                lambda: _catch_up_rows(self.room_id, self.last_seq, upto),
            )
            for row in rows:
                if not row.get("hidden"):
                    await self._send_message_frame(row)
                self.last_seq = row["seq"]
            if not rows or (upto is not None and self.last_seq >= upto):
                return

    def presence_entry(self) -> tuple[int, str, int, str]:
        return (self.room_id, self.connection_id, self.member.pk, self.member.username)

    async def _touch_presence(self) -> None:
        await sync_to_async(self._touch_unless_closing, thread_sensitive=False)()

    def _touch_unless_closing(self) -> None:
        """Runs whole in a worker thread: a touch still running when the socket closes (its
        awaiting task cancelled) removes its own entry again instead of leaving a ghost."""
        presence.touch(*self.presence_entry())
        if self.closing:
            presence.leave(*self.presence_entry())

    async def _catch_up(self) -> None:
        async with self.deliver_lock:
            await self._catch_up_locked()

    @classmethod
    async def beat_many(cls, sockets: list[ChatConsumer]) -> None:
        """The heartbeat of every socket due, called by the process-wide hub: re-join groups,
        refresh presence and socket-limit entries (one Redis round trip), read each room's
        ``last_seq`` (one query) and catch up the sockets that are behind."""
        sockets = [s for s in sockets if s.room_id is not None and not s.closing]
        if not sockets:
            return
        joined = await asyncio.gather(*(s._join_groups() for s in sockets), return_exceptions=True)
        failed = [r for r in joined if isinstance(r, Exception)]
        if failed:
            logger.warning(
                "%d chat sockets could not re-join their groups (%s); trying again",
                len(failed),
                type(failed[0]).__name__,
            )
        try:
            await hub().rejoin_rooms({s.room_id for s in sockets})
        except Exception:
            logger.warning("chat rooms could not re-join their groups; trying again")
        await sync_to_async(_refresh_entries, thread_sensitive=False)(sockets)
        last = await _last_seqs({s.room_id for s in sockets})
        behind = [s for s in sockets if last.get(s.room_id, 0) > s.last_seq]
        results = await asyncio.gather(*(s._catch_up() for s in behind), return_exceptions=True)
        for result in results:
            if isinstance(result, Exception):
                logger.warning("chat catch-up failed; trying again", exc_info=result)
