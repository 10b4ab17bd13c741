"""The one way real-time events leave the server: after the database transaction commits.

No client may ever see something the database does not hold, so actions call
``send_event_on_commit`` instead of ``group_send`` directly. The database is the source of
truth; the channel layer is only the doorbell.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def member_group(member_id: int) -> str:
    """Every socket a member has open joins this group (chat, notifications, ...)."""
    return f"member.{member_id}"


def send_event(group: str, event: dict[str, Any]) -> None:
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
