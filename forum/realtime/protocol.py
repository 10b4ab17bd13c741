"""The chat WebSocket protocol: group names, event payloads, and parsing of client frames.

Client -> server frames::

    {"type": "message", "body": "...", "client_id": "..."}   # client_id optional, makes resends safe
    {"type": "ping"}

Server -> client frames::

    {"type": "room", "slug", "title", "locked", "slow_mode_seconds", "read_only", "muted_until",
     "moderator"}
    {"type": "message", "id", "seq", "author", "body", "created", "mine"[, "client_id"]
     [, "returning"]}   # returning: an older message a moderator approved or showed again
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

Meetings: a separate socket, ``/ws/meetings/<id>/`` (forum/realtime/meetings.py).

Client -> server frames (``member_id`` names an attendee; chair/co-host/moderator only marked *)::

    {"type": "raise_hand"} {"type": "lower_hand"} {"type": "thanks"} {"type": "pass"}
    {"type": "share", "body": "..."}      # refused unless you are the sharer (or open chat)
    {"type": "report", "share_id": n[, "reason": "spam"|..., "note": "..."]}
                                          # a moderators' queue item; the share is kept for
                                          # them (only) after the end
    {"type": "state"} {"type": "ping"}
    * {"type": "call_next"[, "member_id": n]}   * {"type": "extend"[, "seconds": 60]}
    * {"type": "phase"[, "phase": "..."]}       * {"type": "auto_advance", "on": bool}
    * {"type": "mute", "member_id": n, "on": bool}  * {"type": "remove", "member_id": n}
    * {"type": "lock", "on": bool}  * {"type": "lobby", "on": bool}
    * {"type": "admit", "member_id": n}  * {"type": "end"}

Server -> client frames::

    {"type": "meeting", "id", "version", "title", "status", "phase", "phase_label", "texts",
     "topic", "chair", "cohost", "locked", "lobby_on", "auto_advance", "open_chat",
     "me": {"status", "hand_raised", "muted", "runs", "can_write", "sharing"}
     [, "queue", "sharer", "share_ends_at", "remaining_seconds", "thanks", "attendees"]
     [, "lobby", "people"]}     # queue...: attendees in the meeting; lobby, people: who runs it
    {"type": "share", "id", "author", "body", "open_chat", "created", "mine"}
    {"type": "error", "code", "message"}   {"type": "pong"}
    {"type": "reported", "share_id"}      # to the reporter only: the report reached moderators
    {"type": "share_hidden", "id"}        # a moderator hid that share: take it off the view

Sent on connect and again after every change (any process), so a reconnecting member gets the
phase, queue, sharer and remaining time, then the shares so far. A removed member's socket
closes with 4403; a meeting that ends sends its last state and closes (1000).
Meeting error codes: invalid, too_long, not_live, not_in_meeting, suspended, muted,
not_your_share, no_cross_talk, locked, removed, forbidden, busy.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from accounts.permissions import block_applies
from forum.errors import ChatError
from forum.models.chat import BODY_MAX_LENGTH, CLIENT_ID_MAX_LENGTH

MAX_FRAME_BYTES = 16 * 1024
HISTORY_LIMIT = 50
CLIENT_ID_RE = re.compile(rf"^[A-Za-z0-9_.:-]{{1,{CLIENT_ID_MAX_LENGTH}}}$")


def room_group(room_id: int) -> str:
    return f"chat.room.{room_id}"


def meeting_group(meeting_id: int) -> str:
    return f"meeting.{meeting_id}"


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
    mine, blocked = _viewer_marks(payload, viewer_id, blocked_ids)
    return _frame(payload, mine=mine, blocked=blocked)


def message_text(payload: dict, *, viewer_id: int, blocked_ids=frozenset()) -> str:
    """``message_frame`` as the JSON text a socket sends.

    Every socket of a room is sent one of a few texts of a message (the author's own, folded
    for those who blocked the author, and the one everyone else gets), so each text is encoded
    once per process and shared by all the sockets sent it, not encoded per socket (issue 16).
    """
    mine, blocked = _viewer_marks(payload, viewer_id, blocked_ids)
    return _frame_text(
        payload["id"],
        payload["seq"],
        payload["author"],
        payload["body"],
        payload["created"],
        payload["client_id"] if mine else "",
        mine,
        blocked,
    )


def _viewer_marks(payload: dict, viewer_id: int, blocked_ids) -> tuple[bool, bool]:
    """Whether the viewer wrote the message, and whether their block folds it."""
    mine = payload["author_id"] is not None and payload["author_id"] == viewer_id
    blocked = block_applies(
        blocked_ids, author_id=payload["author_id"], anonymous=payload.get("anonymous", False)
    )
    return mine, blocked


def _frame(payload: dict, *, mine: bool, blocked: bool) -> dict:
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
    if blocked:
        frame["blocked"] = True
    return frame


@lru_cache(maxsize=256)
def _frame_text(
    message_id: int,
    seq: int,
    author: str | None,
    body: str,
    created: str,
    client_id: str,
    mine: bool,
    blocked: bool,
) -> str:
    payload = {
        "id": message_id,
        "seq": seq,
        "author": author,
        "body": body,
        "created": created,
        "client_id": client_id,
    }
    return json.dumps(_frame(payload, mine=mine, blocked=blocked))


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


LONE_SURROGATE = re.compile("[\ud800-\udfff]")
UNSTORABLE_TEXT = (
    "That message has characters that cannot be stored (perhaps part of an emoji was lost "
    "when the text was copied). Please retype it."
)


def check_body(body: str) -> str:
    """Plain text, 1 to BODY_MAX_LENGTH characters after trimming; escaped when shown.

    NUL characters are dropped; a lone surrogate (half of a UTF-16 pair, which JSON can carry
    as ``\\ud800`` but no database can store) refuses the message with ``bad_characters``.
    """
    body = body.replace("\r\n", "\n").replace("\x00", "").strip()
    if LONE_SURROGATE.search(body):
        raise ChatError("bad_characters", UNSTORABLE_TEXT)
    if not body:
        raise ChatError("invalid", "Write something before sending.")
    if len(body) > BODY_MAX_LENGTH:
        raise ChatError(
            "too_long",
            f"Messages can be up to {BODY_MAX_LENGTH:,} characters; this one has {len(body):,}.",
        )
    return body


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
    try:
        body = check_body(body)
    except ChatError as error:
        raise BadFrame(error.code, error.message, client_id=client_id) from None
    return SendMessage(body=body, client_id=client_id)


def _utf8_length(text: str) -> int:
    """UTF-8 size of the frame as sent; a lone surrogate (sent escaped) counts as 3 bytes."""
    return len(text.encode("utf-8", "surrogatepass"))


MEETING_FRAMES = {
    "raise_hand": (),
    "lower_hand": (),
    "thanks": (),
    "pass": (),
    "state": (),
    "ping": (),
    "share": ("body",),
    "report": ("share_id",),
    "call_next": (),
    "extend": (),
    "phase": (),
    "auto_advance": ("on",),
    "mute": ("member_id", "on"),
    "remove": ("member_id",),
    "lock": ("on",),
    "lobby": ("on",),
    "admit": ("member_id",),
    "end": (),
}
_FIELD_TYPES = {
    "body": str,
    "share_id": int,
    "member_id": int,
    "on": bool,
    "seconds": int,
    "phase": str,
    "reason": str,
    "note": str,
}


def parse_meeting_frame(text_data: str | None) -> dict:
    """One meeting frame as a dict with checked field types, or BadFrame."""
    if text_data is None or _utf8_length(text_data) > MAX_FRAME_BYTES:
        raise BadFrame("invalid", "Send text frames of JSON up to 16 KB.")
    try:
        data = json.loads(text_data)
    except (ValueError, RecursionError):
        raise BadFrame("invalid", "That was not valid JSON.") from None
    if not isinstance(data, dict) or data.get("type") not in MEETING_FRAMES:
        raise BadFrame("invalid", "Unknown or missing frame type.")
    for name in MEETING_FRAMES[data["type"]]:
        if name not in data:
            raise BadFrame("invalid", f'This frame needs "{name}".')
    for name, kind in _FIELD_TYPES.items():
        value = data.get(name)
        if value is None:
            continue
        if type(value) is not kind:
            raise BadFrame("invalid", f'"{name}" has the wrong type.')
    if isinstance(data.get("body"), str) and LONE_SURROGATE.search(data["body"]):
        raise BadFrame("bad_characters", UNSTORABLE_TEXT)
    return data
