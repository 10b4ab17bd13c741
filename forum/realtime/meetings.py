"""The meeting socket, ``/ws/meetings/<id>/``: thin; every rule and write is in actions.

The database holds the meeting's state; the channel layer only rings ``meeting.changed``, on
which each socket reads the state again for its member and sends it when the version moved.
Each socket also watches the share timer it last saw: once it runs out it asks
``advance_if_expired``, whose row lock lets exactly one process (of however many) end the share.
Every ``CHAT_HEARTBEAT_SECONDS`` it re-joins its groups and re-reads the state, so a missed
doorbell costs at most one heartbeat.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from forum.errors import ItemNotFound, MeetingError, ModerationError
from forum.realtime.events import member_group
from forum.realtime.protocol import BadFrame, error_frame, meeting_group, parse_meeting_frame

logger = logging.getLogger(__name__)
TICK_SECONDS = 0.5


@database_sync_to_async
def _open(member, meeting_id: int):
    """Join the meeting (once more); None when it does not exist for ``member``."""
    from forum.actions.meetings import join_meeting
    from forum.permissions.chat import can_see_room
    from forum.selectors.meetings import get_meeting

    meeting = get_meeting(meeting_id)
    if meeting is None or not can_see_room(member, meeting.room):
        return None
    join_meeting(member=member, meeting=meeting)
    return meeting


@database_sync_to_async
def _leave(member, meeting) -> None:
    from forum.actions.meetings import leave_meeting

    leave_meeting(member=member, meeting=meeting)


@database_sync_to_async
def _state(meeting_id: int, member) -> dict:
    from forum.selectors.meetings import meeting_state

    return meeting_state(meeting_id, member)


@database_sync_to_async
def _shares(meeting_id: int) -> list[dict]:
    from forum.actions.meetings import share_payload
    from forum.selectors.meetings import resume_shares

    return [share_payload(share) for share in resume_shares(meeting_id)]


@database_sync_to_async
def _expire(meeting_id: int) -> bool:
    from forum.actions.meetings import advance_if_expired

    return advance_if_expired(meeting_id=meeting_id)


@database_sync_to_async
def _act(member, meeting, frame: dict) -> None:
    from forum.actions.meeting_commands import perform

    perform(member=member, meeting=meeting, command=frame)


class MeetingConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        from forum.permissions.chat import may_connect

        self.member = self.scope.get("user")
        self.meeting = None
        self.state: dict = {}
        self.last_share_id = 0
        self.ticker = None
        self.lock = asyncio.Lock()
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
        self.groups_joined = [meeting_group(self.meeting.pk), member_group(self.member.pk)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self._refresh(force=True)
        self.ticker = asyncio.ensure_future(self._tick())

    async def disconnect(self, code):
        if self.ticker is not None:
            self.ticker.cancel()
        if self.meeting is None:
            return
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
            await self._refresh(force=True)
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

    async def meeting_changed(self, event):
        await self._refresh()

    async def meeting_share(self, event):
        if self._inside():
            await self._send_share(event["share"])

    async def meeting_share_hidden(self, event):
        if self._inside():
            await self.send_json({"type": "share_hidden", "id": event["id"]})

    async def member_disconnect(self, event):
        await self.close(code=event.get("code", 4403))

    # -- helpers ---------------------------------------------------------------------------

    def _inside(self) -> bool:
        me = self.state.get("me", {})
        return me.get("status") == "in" or bool(me.get("runs"))

    async def _send_share(self, share: dict) -> None:
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

    async def _refresh(self, *, force: bool = False) -> None:
        async with self.lock:
            was_inside = self._inside()
            state = await _state(self.meeting.pk, self.member)
            if not force and state["version"] == self.state.get("version"):
                return
            self.state = state
            await self.send_json(state)
            if self._inside() and (force or not was_inside):
                for share in await _shares(self.meeting.pk):
                    await self._send_share(share)
        if state["me"]["status"] == "removed":
            await self.close(code=4403)
        elif state["status"] == "ended":
            await self.close(code=1000)

    async def _tick(self) -> None:
        beats = 0
        heartbeat = float(settings.HOMEGROUP.get("CHAT_HEARTBEAT_SECONDS", 10))
        while True:
            await asyncio.sleep(TICK_SECONDS)
            beats += TICK_SECONDS
            try:
                ends = self.state.get("share_ends_at")
                if ends and datetime.fromisoformat(ends) <= timezone.now():
                    await _expire(self.meeting.pk)
                if beats >= heartbeat:
                    beats = 0
                    for group in self.groups_joined:
                        await self.channel_layer.group_add(group, self.channel_name)
                    await self._refresh()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("meeting tick failed; trying again", exc_info=True)

    async def send_json(self, content: dict) -> None:
        await self.send(text_data=DjangoJSONEncoder().encode(content))
