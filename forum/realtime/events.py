"""The one way real-time events leave the server: after the database transaction commits.

No client may ever see something the database does not hold, so actions call
``send_event_on_commit`` instead of ``group_send`` directly. The database is the source of
truth; the channel layer is only the doorbell.

A socket runs an action with ``database_action`` (not ``database_sync_to_async``): the events
its transactions commit are then sent from the event loop once the action returns, in commit
order, instead of from inside the process's one database thread. There ``async_to_sync``
parked the thread until the event loop got round to the send, behind whatever the loop was
busy with (a room's fan-out), and every other action of the process waited with it.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
import weakref
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


def member_group(member_id: int) -> str:
    """Every socket a member has open joins this group (chat, notifications, ...)."""
    return f"member.{member_id}"


class _Outbox:
    """Events committed inside one ``database_action``, waiting for the event loop."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.open = True
        self.lock = threading.Lock()

    def add(self, group: str, event: dict[str, Any]) -> bool:
        with self.lock:
            if self.open:
                self.events.append((group, event))
            return self.open

    def close(self) -> list[tuple[str, dict[str, Any]]]:
        with self.lock:
            self.open = False
            events, self.events = self.events, []
        return events


_outbox: ContextVar[_Outbox | None] = ContextVar("homegroup_event_outbox", default=None)
_send_locks: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def send_event(group: str, event: dict[str, Any]) -> None:
    outbox = _outbox.get()
    if outbox is not None and outbox.add(group, event):
        return
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:
        # Delivery is best effort: clients backfill from the database on reconnect.
        logger.warning("could not send %s to %s", event.get("type"), group, exc_info=True)


def send_event_on_commit(group: str, event: dict[str, Any]) -> None:
    transaction.on_commit(lambda: send_event(group, event))


async def _send_all(events: list[tuple[str, dict[str, Any]]]) -> None:
    """Send in order; one lock per event loop keeps the process's events in commit order (two
    concurrent ``group_send`` calls may reach Redis either way round)."""
    layer = get_channel_layer()
    if layer is None or not events:
        return
    loop = asyncio.get_running_loop()
    lock = _send_locks.get(loop)
    if lock is None:
        lock = _send_locks[loop] = asyncio.Lock()
    async with lock:
        for group, event in events:
            try:
                await layer.group_send(group, event)
            except Exception:
                logger.warning("could not send %s to %s", event.get("type"), group, exc_info=True)


def database_action(func: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """``database_sync_to_async(func)``, with the events ``func`` commits sent from the event
    loop when it returns (or raises), before the caller resumes."""
    run = database_sync_to_async(func)

    @functools.wraps(func)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        outbox = _Outbox()
        token = _outbox.set(outbox)
        try:
            return await run(*args, **kwargs)
        finally:
            _outbox.reset(token)
            await _send_all(outbox.close())

    return wrapper
