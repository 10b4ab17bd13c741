"""The chat WebSocket protocol: group names, event payloads, and parsing of client frames.

Client -> server frames::

    {"type": "message", "body": "...", "client_id": "..."}   # client_id optional, makes resends safe
    {"type": "ping"}

Server -> client frames::

    {"type": "room", "slug", "title", "locked", "slow_mode_seconds", "read_only", "muted_until",
     "moderator"}
    {"type": "message", "id", "seq", "author", "body", "created", "mine"[, "client_id"]}
    {"type": "presence", "count", "members"}                 # on connect: the full list
    {"type": "presence", "count", "joined", "left"}          # then: what changed, at most 1/s
    {"type": "message_hidden", "id"}
    {"type": "error", "code", "message", "permanent"[, "client_id", "retry_after"]}
    {"type": "pong"}

Error codes: invalid, too_long, bad_characters, rate_limited, slow_mode, locked, muted,
read_only, suspended, held_for_review, not_stored, unavailable.

Close codes (the server closes a socket with them; clients do not reconnect after a 44xx):
4401 not logged in, 4403 may not join (suspended, banned, or disconnected by a moderator),
4404 no such room for this member, 4429 the member opened more than SOCKETS_PER_MEMBER sockets
(across every server process) and this was one of the oldest; 1013 try again later (Redis is
unreachable).

Presence: the joining socket is sent the full, sorted list of pseudonyms once; afterwards every
socket of the room is sent, at most once per ``CHAT_PRESENCE_SECONDS`` (1 s), only the
pseudonyms that joined and left since, with the new count (members, not tabs). A client keeps
the list and applies each diff; it gets a full list again when it reconnects.

An error about a message carries its ``client_id`` whenever the frame had a readable one (also
when the frame itself could not be read). ``permanent`` says whether resending the same frame
can help: it is false only for ``unavailable`` (the server could not reach its database or
Redis just now; the client keeps the message and resends it on its next connection). For every
other code the client stops resending, gives the text back to the member and shows the message.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from accounts.permissions import block_applies
from forum.models.chat import CLIENT_ID_MAX_LENGTH

MAX_FRAME_BYTES = 16 * 1024
HISTORY_LIMIT = 50
CLIENT_ID_RE = re.compile(rf"^[A-Za-z0-9_.:-]{{1,{CLIENT_ID_MAX_LENGTH}}}$")


def room_group(room_id: int) -> str:
    return f"chat.room.{room_id}"


def message_payload(message) -> dict:
    """What travels through the channel layer for one message (never sent to clients as is)."""
    return {
        "id": message.pk,
        "seq": message.seq,
        "author_id": message.author_id,
        "author": message.author.username if message.author_id else None,
        "body": message.body,
        "client_id": message.client_id,
        "created": message.created.isoformat(),
    }


def message_frame(payload: dict, *, viewer_id: int, blocked_ids=frozenset()) -> dict:
    """The message as one member's socket shows it; the client id only goes back to its author.

    ``blocked``: the author is someone the viewer blocked, so the client folds it (issue 5).
    """
    mine = payload["author_id"] is not None and payload["author_id"] == viewer_id
    frame = {
        "type": "message",
        "id": payload["id"],
        "seq": payload["seq"],
        "author": payload["author"] or "former member",
        "body": payload["body"],
        "created": payload["created"],
        "mine": mine,
    }
    if mine and payload["client_id"]:
        frame["client_id"] = payload["client_id"]
    if block_applies(
        blocked_ids, author_id=payload["author_id"], anonymous=payload.get("anonymous", False)
    ):
        frame["blocked"] = True
    return frame


TRANSIENT_ERRORS = frozenset({"unavailable"})


def error_frame(
    code: str,
    message: str,
    *,
    retry_after: int | None = None,
    client_id: str = "",
    **extra,
) -> dict:
    frame = {
        "type": "error",
        "code": code,
        "message": message,
        "permanent": code not in TRANSIENT_ERRORS,
        **extra,
    }
    if client_id:
        frame["client_id"] = client_id
    if retry_after is not None:
        frame["retry_after"] = retry_after
    return frame


class BadFrame(Exception):
    """A client frame that cannot be taken; ``client_id`` when the frame had a readable one."""

    def __init__(self, code: str, message: str, *, client_id: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.client_id = client_id


# For frames too large to parse: the client id is still read, so the client learns which
# message was refused. Bounded, so it stays linear on any input.
_CLIENT_ID_IN_TEXT = re.compile(
    rf'"client_id"\s{{0,8}}:\s{{0,8}}"([A-Za-z0-9_.:-]{{1,{CLIENT_ID_MAX_LENGTH}}})"'
)


def _readable_client_id(value) -> str:
    return value if isinstance(value, str) and CLIENT_ID_RE.match(value) else ""


@dataclass(frozen=True)
class SendMessage:
    body: str
    client_id: str


@dataclass(frozen=True)
class Ping:
    pass


def parse_frame(text_data: str | None, bytes_data: bytes | None = None):
    """Turn one client frame into SendMessage or Ping, or raise BadFrame with an error code."""
    if text_data is None:
        raise BadFrame("invalid", "Send text frames with JSON in them.")
    if len(text_data) > MAX_FRAME_BYTES or _utf8_length(text_data) > MAX_FRAME_BYTES:
        found = _CLIENT_ID_IN_TEXT.search(text_data)
        raise BadFrame(
            "too_long",
            "That message is over 16 KB, so it was not read. Please shorten it.",
            client_id=found.group(1) if found else "",
        )
    try:
        data = json.loads(text_data)
    except (ValueError, RecursionError):
        raise BadFrame("invalid", "That was not valid JSON.") from None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise BadFrame("invalid", 'Each frame must be a JSON object with a "type".')
    kind = data["type"]
    client_id = _readable_client_id(data.get("client_id"))
    if kind == "ping":
        return Ping()
    if kind != "message":
        raise BadFrame("invalid", f"Unknown frame type {kind[:40]!r}.", client_id=client_id)
    body = data.get("body")
    if not isinstance(body, str):
        raise BadFrame("invalid", 'A message needs a "body" string.', client_id=client_id)
    if data.get("client_id") not in (None, "") and not client_id:
        raise BadFrame(
            "invalid",
            f'"client_id" must be up to {CLIENT_ID_MAX_LENGTH} letters, digits, "-", "_", "." or ":".',
        )
    from forum.actions.chat import ChatError, check_body  # actions import this module

    try:
        body = check_body(body)
    except ChatError as error:
        raise BadFrame(error.code, error.message, client_id=client_id) from None
    return SendMessage(body=body, client_id=client_id)


def _utf8_length(text: str) -> int:
    """UTF-8 size of the frame as sent; a lone surrogate (sent escaped) counts as 3 bytes."""
    return len(text.encode("utf-8", "surrogatepass"))
