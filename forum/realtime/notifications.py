"""The per-member notification socket at /ws/notifications/.

It joins the member's group (``member_group``), which other sockets of the same member share,
so it only acts on the events it knows and ignores the rest. Frames sent to the browser:

    {"type": "count", "unread": 3}
    {"type": "notification", "id", "kind", "text", "url", "unread"}
"""

from __future__ import annotations

import asyncio
import logging

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from forum.realtime import socket_limit
from forum.realtime.events import member_group
from forum.realtime.hub import Hub, hub
from forum.realtime.socket_limit import CountedSocket

CLOSE_NOT_LOGGED_IN = 4401
REJOIN_SECONDS = 20

logger = logging.getLogger(__name__)


@database_sync_to_async
def _count(member) -> int:
    from forum.selectors.notifications import unread_count

    return unread_count(member)


@database_sync_to_async
def _frame(member, notification_id: int) -> dict | None:
    from forum.selectors.notifications import (
        get_notification_for,
        notification_payload,
        unread_count,
    )

    notification = get_notification_for(member, notification_id)
    if notification is None:
        return None
    return notification_payload(notification, unread=unread_count(member))


class NotificationConsumer(CountedSocket, AsyncJsonWebsocketConsumer):
    HANDLED = frozenset({"notification.created", "notification.read", "member.disconnect"})
    group: str | None = None
    hub: Hub | None = None

    async def connect(self) -> None:
        # Accept first: a close code only reaches the browser on an open socket.
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_LOGGED_IN)
            return
        self.member = user
        self.group = member_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.count_socket(user.pk)
        await self.send_json({"type": "count", "unread": await _count(user)})
        self.hub = hub()
        self.hub.add(self, every=REJOIN_SECONDS)

    async def disconnect(self, code) -> None:
        if self.hub is not None:
            self.hub.remove(self)
        await self.uncount_socket()
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    @classmethod
    async def beat_many(cls, sockets: list[NotificationConsumer]) -> None:
        """Called by the process-wide hub every ``REJOIN_SECONDS``: channels_redis forgets group
        members after its expiry or a Redis restart."""
        rejoined = await asyncio.gather(
            *(s.channel_layer.group_add(s.group, s.channel_name) for s in sockets),
            return_exceptions=True,
        )
        if any(isinstance(result, Exception) for result in rejoined):
            logger.warning("notification sockets could not rejoin their groups; trying again")
        await sync_to_async(socket_limit.refresh_many, thread_sensitive=False)(
            [(s.socket_member_id, s.socket_entry) for s in sockets]
        )

    async def dispatch(self, message) -> None:
        """Events for the member's other sockets (chat, ...) share the group: skip them."""
        kind = message.get("type", "")
        if "." in kind and not kind.startswith("websocket.") and kind not in self.HANDLED:
            return
        await super().dispatch(message)

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None

    async def receive_json(self, content, **kwargs) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def notification_created(self, event) -> None:
        frame = await _frame(self.member, event["notification_id"])
        if frame is not None:
            await self.send_json(frame)

    async def notification_read(self, event) -> None:
        await self.send_json({"type": "count", "unread": await _count(self.member)})

    async def member_disconnect(self, event) -> None:
        await self.close(code=event.get("code", 4403))
