"""Read side of chat: rooms, history windows, and what a socket needs on connect.

Every function returns hidden messages only where the caller must account for them (the
socket's catch-up, which needs every ``seq`` to keep its place); pages never show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Mentorship, User
from forum.models import ChatMessage, Meeting, Room, RoomMute
from forum.models.chat import ContentState
from forum.permissions.chat import (
    SendFacts,
    active_mute,
    can_moderate_chat,
    filter_listed_rooms,
    is_read_only,
)
from forum.realtime.protocol import HISTORY_LIMIT, message_payload
from forum.selectors.prepared import PreparedQuery

PAGE_SIZE = 50
BACKFILL_CHUNK = 500


def listed_rooms() -> QuerySet[Room]:
    return filter_listed_rooms(Room.objects.select_related("step"))


def mentorship_rooms_of(member: User) -> QuerySet[Room]:
    """The member's own private rooms (as mentor or mentee), newest first."""
    if not member.is_authenticated:
        return Room.objects.none()
    return (
        Room.objects.filter(Q(mentorship__mentor=member) | Q(mentorship__mentee=member))
        .select_related("mentorship")
        .order_by("-created")
    )


def _visible(room: Room) -> QuerySet[ChatMessage]:
    return ChatMessage.objects.published().filter(room=room).select_related("author")


def recent_messages(room: Room, *, limit: int = HISTORY_LIMIT) -> list[ChatMessage]:
    """The last ``limit`` visible messages, oldest first."""
    return list(reversed(_visible(room).order_by("-seq")[:limit]))


@dataclass
class HistoryPage:
    messages: list[ChatMessage]
    older_than: int | None  # pass as ?before= for the previous page
    newer_than: int | None  # pass as ?after= for the next page


def history_page(
    room: Room, *, before: int | None = None, after: int | None = None, size: int = PAGE_SIZE
) -> HistoryPage:
    """One page of visible messages, oldest first, walked by id (keyset, constant cost)."""
    qs = _visible(room)
    if after is not None:
        rows = list(qs.filter(pk__gt=after).order_by("seq")[: size + 1])
        has_more_newer = len(rows) > size
        rows = rows[:size]
        has_more_older = bool(rows) or qs.filter(pk__lte=after).exists()
    else:
        if before is not None:
            qs = qs.filter(pk__lt=before)
        rows = list(qs.order_by("-seq")[: size + 1])
        has_more_older = len(rows) > size
        rows = list(reversed(rows[:size]))
        has_more_newer = before is not None
    return HistoryPage(
        messages=rows,
        older_than=rows[0].pk if rows and has_more_older else None,
        newer_than=rows[-1].pk if rows and has_more_newer else None,
    )


@dataclass
class Snapshot:
    """What a socket sends right after it opens."""

    last_seq: int
    payloads: list[dict]
    hidden_ids: list[int]
    room_frame: dict


def room_frame(room: Room, member: User) -> dict:
    mute = active_mute(member, room)
    return {
        "type": "room",
        "slug": room.slug,
        "title": room.title,
        "locked": room.is_locked,
        "slow_mode_seconds": room.slow_mode_seconds,
        "read_only": is_read_only(room),
        "muted_until": mute.until.isoformat() if mute else None,
        "moderator": can_moderate_chat(member),
    }


def connect_snapshot(room: Room, member: User, *, after: int | None) -> Snapshot:
    """History for a socket: the last 50 messages, or every message after id ``after``.

    ``last_seq`` is read first: anything committed later arrives through the group (the socket
    joined before calling this) or through the heartbeat catch-up.
    """
    room = Room.objects.select_related("mentorship").get(pk=room.pk)
    last_seq = room.last_seq
    visible = _visible(room).filter(seq__lte=last_seq)
    hidden_ids: list[int] = []
    if after is None:
        payloads = [message_payload(m) for m in reversed(visible.order_by("-seq")[:HISTORY_LIMIT])]
    else:
        payloads = [message_payload(m) for m in visible.filter(pk__gt=after).order_by("seq")]
        # Messages the client may still show that were hidden while it was away.
        hidden_ids = list(
            ChatMessage.objects.exclude(state=ContentState.PUBLISHED)
            .filter(
                room=room,
                pk__lte=after,
                hidden_at__gte=timezone.now() - timedelta(days=1),
            )
            .order_by("-pk")
            .values_list("pk", flat=True)[:200]
        )
    return Snapshot(
        last_seq=last_seq,
        payloads=payloads,
        hidden_ids=hidden_ids,
        room_frame=room_frame(room, member),
    )


def messages_between(room_id: int, *, after_seq: int, upto_seq: int | None = None) -> list[dict]:
    """Catch-up for a socket: every message with seq in (after_seq, upto_seq], hidden ones as
    ``{"seq": n, "hidden": True}`` so the socket can step over them."""
    qs = ChatMessage.objects.filter(room_id=room_id, seq__gt=after_seq).select_related("author")
    if upto_seq is not None:
        qs = qs.filter(seq__lte=upto_seq)
    out = []
    for message in qs.order_by("seq")[:BACKFILL_CHUNK]:
        if message.is_hidden:
            out.append({"seq": message.seq, "hidden": True})
        else:
            out.append(message_payload(message))
    return out


@dataclass(frozen=True)
class SendTarget:
    """A room as a send needs it, read in one query: the room (with its mentorship), what its
    rules need about the sender (``facts``), and the id of the message the sender already
    stored with this ``client_id`` (a resend), if any."""

    room: Room
    facts: SendFacts
    resent_id: int | None


def _send_room_query(*, room: int, member: int, client_id: str | None = None) -> QuerySet:
    resent = {}
    if client_id is not None:
        resent["resent_id"] = Subquery(
            ChatMessage.objects.filter(
                room=OuterRef("pk"), author_id=member, client_id=client_id
            ).values("pk")[:1]
        )
    return (
        Room.objects.filter(pk=room)
        .annotate(
            sender_mute_until=Subquery(
                RoomMute.objects.filter(room=OuterRef("pk"), member_id=member)
                .order_by("-until")
                .values("until")[:1]
            ),
            meeting_live=Exists(
                Meeting.objects.filter(room=OuterRef("pk"), status=Meeting.Status.LIVE)
            ),
            **resent,
        )
        .values(
            *_ROOM_FIELDS,
            *(f"mentorship__{name}" for name in _MENTORSHIP_FIELDS[1:]),
            "sender_mute_until",
            "meeting_live",
            *resent,
        )
    )


_ROOM_FIELDS = [field.attname for field in Room._meta.concrete_fields]
_MENTORSHIP_FIELDS = ("id", "status", "mentor_id", "mentee_id")  # what the send's rules read
# Compiled once per process and connection (``forum/selectors/prepared.py``): building and
# compiling this queryset was about 40 % of a send's Python time.
_SEND_ROOM = PreparedQuery(lambda shape, **slots: _send_room_query(**slots))


def room_for_send(*, room_id: int, member_id: int, client_id: str) -> SendTarget | None:
    """The room afresh (it may have been locked since the socket opened); None if it is gone."""
    slots = {"room": room_id, "member": member_id}
    if client_id:
        slots["client_id"] = client_id
    row = next(iter(_SEND_ROOM.rows((bool(client_id),), **slots)), None)
    if row is None:
        return None
    room = Room.from_db("default", _ROOM_FIELDS, [row[name] for name in _ROOM_FIELDS])
    if room.mentorship_id is not None:
        read = {"id": room.mentorship_id}
        read.update((n, row[f"mentorship__{n}"]) for n in _MENTORSHIP_FIELDS[1:])
        names = [f.attname for f in Mentorship._meta.concrete_fields if f.attname in read]
        room.mentorship = Mentorship.from_db("default", names, [read[n] for n in names])
    return SendTarget(
        room=room,
        facts=SendFacts(mute_until=row["sender_mute_until"], meeting_live=row["meeting_live"]),
        resent_id=row.get("resent_id"),
    )


def rooms_last_seq(*, room_ids) -> dict[int, int]:
    """Each room's last sequence number, in one query (the process-wide heartbeat)."""
    return dict(Room.objects.filter(pk__in=list(room_ids)).values_list("pk", "last_seq"))
