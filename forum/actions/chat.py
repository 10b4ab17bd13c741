"""Every write to chat lives here, and only here are chat events sent (after commit).

The moderation queue (issue 6) calls ``hide_message``, ``mute_member``, ``lock_room``,
``set_slow_mode`` and ``disconnect_member``; the mentoring flow calls ``open_mentorship_room``
when a mentor accepts.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import Mentorship, User
from forum import ratelimits
from forum.actions.notifications import notify_chat_message
from forum.actions.safety import record_chat_screening, screen_chat_message
from forum.errors import ChatError
from forum.mentions import find_mentions
from forum.models import ChatMessage, Room, RoomMute, Step
from forum.models.chat import ContentState
from forum.permissions.chat import (
    REFUSAL_TEXT,
    can_create_room,
    can_moderate_chat,
    send_refusal,
    skips_slow_mode,
)
from forum.realtime.events import member_group, send_event_on_commit
from forum.realtime.protocol import check_body, message_payload, room_group
from forum.selectors.chat import SendTarget, room_for_send


@dataclass(frozen=True)
class SendResult:
    message: ChatMessage
    created: bool


def _existing(room: Room, member: User, client_id: str) -> ChatMessage | None:
    """The message ``member`` stored with ``client_id`` in ``room`` just now, in another
    transaction (two copies of a resend raced); it joins no author: the author is ``member``.
    """
    if not client_id:
        return None
    message = ChatMessage.objects.filter(room=room, author=member, client_id=client_id).first()
    if message is not None:
        message.author = member
    return message


def check_send(*, member: User, target: SendTarget | None, now=None) -> Room:
    """Apply every rule to the room as just read (it may have been locked since the socket
    opened); ``target`` is None when the room is gone."""
    if target is None:
        raise ChatError("invalid", "This room no longer exists.")
    refusal = send_refusal(member, target.room, now=now, facts=target.facts)
    if refusal:
        raise ChatError(refusal, REFUSAL_TEXT[refusal])
    return target.room


def chat_rate_limit() -> ratelimits.Limit:
    """At most CHAT_RATE_LIMIT messages per CHAT_RATE_WINDOW seconds per member, all rooms."""
    conf = settings.HOMEGROUP
    return ratelimits.Limit(conf.get("CHAT_RATE_LIMIT", 5), conf.get("CHAT_RATE_WINDOW", 5))


def slow_mode_limit(*, member: User, room: Room) -> ratelimits.Limit | None:
    """One message per ``slow_mode_seconds`` per member in a slow-mode room; None when off."""
    if room.slow_mode_seconds <= 0 or skips_slow_mode(member, room):
        return None
    return ratelimits.Limit(1, room.slow_mode_seconds)


def send_message(*, member: User, room: Room, body: str, client_id: str = "") -> SendResult:
    """Store one message and ring the room's doorbell after commit.

    A resend with a ``client_id`` already stored for this member and room returns the original
    message (``created`` False) without counting against the rate limit. Only ``room``'s id is
    read: the row is read afresh, with the sender's mute, a live meeting and a resend, in one
    query.
    """
    body = check_body(body)
    target = room_for_send(room_id=room.pk, member_id=member.pk, client_id=client_id)
    if target is not None and target.resent_id is not None:
        existing = ChatMessage.objects.get(pk=target.resent_id)
        existing.author = member
        _check_still_visible(existing)
        return SendResult(existing, created=False)
    room = check_send(member=member, target=target)
    screening = screen_chat_message(body)  # moderation (issue 6): ChatError "blocked"
    limited = ratelimits.hit(
        "chat",
        member.pk,
        chat_rate_limit(),
        recent=ratelimits.writes_since(ChatMessage.objects.filter(author=member), "created"),
    )
    if limited:
        raise ChatError(
            "rate_limited",
            f"You are sending quickly. Take a breath and try again in {limited.retry_after} s.",
            retry_after=limited.retry_after,
        )
    slow = slow_mode_limit(member=member, room=room)
    limited = slow and ratelimits.hit(
        "chat-slow",
        f"{room.pk}:{member.pk}",
        slow,
        count_refused=False,
        recent=ratelimits.writes_since(
            ChatMessage.objects.filter(room=room, author=member), "created"
        ),
    )
    if limited:
        raise ChatError(
            "slow_mode",
            f"Slow mode is on here: you can send again in {limited.retry_after} s.",
            retry_after=limited.retry_after,
        )
    try:
        message = do_store_message(
            room=room, member=member, body=body, client_id=client_id, screening=screening
        )
    except IntegrityError:
        if slow:
            ratelimits.release("chat-slow", f"{room.pk}:{member.pk}", slow)
        existing = _existing(room, member, client_id)
        if existing is None:
            raise
        return SendResult(existing, created=False)
    if message.is_hidden:
        raise ChatError("held_for_review", HELD_TEXT)
    return SendResult(message, created=True)


HELD_TEXT = "Your message is waiting for a moderator: others will see it once it is approved."


def _check_still_visible(message: ChatMessage) -> None:
    """A resend of a message that is hidden must not hand it back as if it were published."""
    if not message.is_hidden:
        return
    if message.is_held:
        raise ChatError("held_for_review", HELD_TEXT)
    raise ChatError("invalid", "A moderator removed that message.")


def do_store_message(
    *, room: Room, member: User, body: str, client_id: str, screening=None
) -> ChatMessage:
    """Take the room's next ``seq`` and store the message: ``seq`` and the id increase in
    commit order per room, as the room's row stays locked from taking the number to commit.

    A message with a "review" watched word is stored hidden, announced to nobody, and waits in
    the moderation queue (``screening`` comes from forum/actions/safety.py). A plain message
    (no watched word, no @mention) is one statement on PostgreSQL (``_insert_plain``).
    """
    plain = (screening is None or not screening.records) and not find_mentions(body)
    if plain and connection.vendor == "postgresql" and connection.get_autocommit():
        message = _insert_plain(room=room, member=member, body=body, client_id=client_id)
        publish_message(message=message)
        return message
    return _store_in_transaction(
        room=room, member=member, body=body, client_id=client_id, screening=screening
    )


@transaction.atomic
def _store_in_transaction(
    *, room: Room, member: User, body: str, client_id: str, screening=None
) -> ChatMessage:
    """``_next_seq`` holds the room's row lock until commit; the screening's records and the
    mentions' notifications are written in the same transaction."""
    seq = _next_seq(room.pk)
    held = screening is not None and screening.needs_review
    message = ChatMessage.objects.create(
        room=room,
        seq=seq,
        author=member,
        body=body,
        client_id=client_id,
        state=ContentState.HELD if held else ContentState.PUBLISHED,
        hidden_at=timezone.now() if held else None,
    )
    if screening is not None:
        record_chat_screening(screening=screening, message=message)
    if not held:
        publish_message(message=message)
    return message


def _insert_plain(*, room: Room, member: User, body: str, client_id: str) -> ChatMessage:
    """Take the next ``seq`` and insert the message in one statement, outside a transaction:
    the room's row is locked for that statement alone, and a send makes three round trips to
    PostgreSQL fewer (BEGIN, the separate INSERT, COMMIT). In a transaction, sends made at
    once (by members on the other process) queued on the lock for the INSERT's and COMMIT's
    round trips and the Python between them on a busy process. A failed insert (a resend's
    ``client_id``) rolls the number back with it."""
    created = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT_PLAIN_SQL,
            [room.pk, room.pk, member.pk, body, client_id, ContentState.PUBLISHED, created],
        )
        row = cursor.fetchone()
    if row is None:
        raise Room.DoesNotExist
    message = ChatMessage(
        pk=row[0],
        room=room,
        seq=row[1],
        author=member,
        body=body,
        client_id=client_id,
        state=ContentState.PUBLISHED,
        created=created,
    )
    message._state.adding, message._state.db = False, connection.alias
    return message


def _next_seq(room_id: int) -> int:
    """Add one to the room's ``last_seq`` and return it in one statement (the ORM's ``update``
    cannot return it): the update locks the row until the transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute(NEXT_SEQ_SQL, [room_id])
        row = cursor.fetchone()
    if row is None:
        raise Room.DoesNotExist
    return row[0]


NEXT_SEQ_SQL = (
    'UPDATE "forum_room" SET "last_seq" = "last_seq" + 1 WHERE "id" = %s RETURNING "last_seq"'
)
# Constants only (the values are parameters).
INSERT_PLAIN_SQL = (
    'WITH "next" AS (' + NEXT_SEQ_SQL + ") " + 'INSERT INTO "forum_chatmessage" '  # noqa: S608
    '("room_id", "seq", "author_id", "body", "client_id", "state", "created") '
    'SELECT %s, "last_seq", %s, %s, %s, %s, %s FROM "next" RETURNING "id", "seq"'
)


def announce_message(message: ChatMessage, *, returning: bool = False) -> None:
    """Every open socket in the room receives the message (after commit).

    A ``returning`` message (approved, unhidden, released) is older than what open sockets have
    seen, so it travels as ``chat.shown``, which sockets pass on whatever its ``seq``.
    """
    send_event_on_commit(
        room_group(message.room_id),
        {
            "type": "chat.shown" if returning else "chat.message",
            "message": message_payload(message),
        },
    )


def publish_message(*, message: ChatMessage, returning: bool = False) -> None:
    """A message became visible to the room, on sending or on approval: the one place that
    announces it to open sockets and notifies the members it @mentions."""
    announce_message(message, returning=returning)
    notify_chat_message(message=message)


def _announce_hidden(message: ChatMessage) -> None:
    send_event_on_commit(
        room_group(message.room_id), {"type": "chat.hidden", "id": message.pk, "seq": message.seq}
    )


def _check_moderator(by: User) -> None:
    if not can_moderate_chat(by):
        raise PermissionDenied("Only moderators can do that.")


@transaction.atomic
def hide_message(*, message: ChatMessage, by: User) -> bool:
    """Hide a message from history and from every open client at once.

    A message held for review (hidden by nobody) becomes hidden by this moderator.
    """
    _check_moderator(by)
    now = timezone.now()
    changed = (
        ChatMessage.objects.filter(pk=message.pk)
        .exclude(state=ContentState.HIDDEN)
        .update(state=ContentState.HIDDEN, hidden_at=now, hidden_by=by)
    )
    if changed:
        if not message.is_hidden:
            _announce_hidden(message)
        message.state, message.hidden_at, message.hidden_by = ContentState.HIDDEN, now, by
    return bool(changed)


@transaction.atomic
def unhide_message(*, message: ChatMessage, by: User) -> bool:
    """Bring a hidden message back into history and to every open client at once."""
    _check_moderator(by)
    changed = (
        ChatMessage.objects.filter(pk=message.pk)
        .exclude(state=ContentState.PUBLISHED)
        .update(state=ContentState.PUBLISHED, hidden_at=None, hidden_by=None)
    )
    if changed:
        message.state, message.hidden_at, message.hidden_by = ContentState.PUBLISHED, None, None
        announce_message(message, returning=True)
    return bool(changed)


@transaction.atomic
def hold_message(*, message: ChatMessage) -> bool:
    """Out of sight until a moderator reviews it (reports reached the threshold)."""
    changed = ChatMessage.objects.filter(pk=message.pk, state=ContentState.PUBLISHED).update(
        state=ContentState.HELD, hidden_at=timezone.now(), hidden_by=None
    )
    if changed:
        _announce_hidden(message)
    return bool(changed)


@transaction.atomic
def release_message(*, message: ChatMessage) -> bool:
    """A hold (never a moderator's hide) is lifted: the message returns to open clients."""
    changed = ChatMessage.objects.filter(pk=message.pk, state=ContentState.HELD).update(
        state=ContentState.PUBLISHED, hidden_at=None
    )
    if changed:
        message.state, message.hidden_at = ContentState.PUBLISHED, None
        announce_message(message, returning=True)
    return bool(changed)


@transaction.atomic
def approve_message(*, message: ChatMessage) -> bool:
    """A message held for a review word is published: announced and its @mentions notified."""
    changed = ChatMessage.objects.filter(pk=message.pk, state=ContentState.HELD).update(
        state=ContentState.PUBLISHED, hidden_at=None
    )
    if changed:
        message.state, message.hidden_at = ContentState.PUBLISHED, None
        publish_message(message=message, returning=True)
    return bool(changed)


@transaction.atomic
def remove_message(*, message: ChatMessage) -> bool:
    """The message goes for good, from history and from open clients."""
    deleted, _ = ChatMessage.objects.filter(pk=message.pk).delete()
    if deleted:
        _announce_hidden(message)
    return bool(deleted)


@transaction.atomic
def mute_member(*, room: Room, member: User, until: datetime, by: User) -> RoomMute:
    """``member`` may read ``room`` but not write in it until ``until``."""
    _check_moderator(by)
    mute, _ = RoomMute.objects.update_or_create(
        room=room, member=member, defaults={"until": until, "by": by}
    )
    send_event_on_commit(
        member_group(member.pk),
        {"type": "chat.muted", "room_id": room.pk, "until": until.isoformat()},
    )
    return mute


@transaction.atomic
def unmute_member(*, room: Room, member: User, by: User) -> None:
    _check_moderator(by)
    RoomMute.objects.filter(room=room, member=member).delete()
    send_event_on_commit(
        member_group(member.pk), {"type": "chat.muted", "room_id": room.pk, "until": None}
    )


def _room_changed(room: Room) -> None:
    send_event_on_commit(
        room_group(room.pk),
        {
            "type": "chat.room",
            "locked": room.is_locked,
            "slow_mode_seconds": room.slow_mode_seconds,
        },
    )


@transaction.atomic
def lock_room(*, room: Room, locked: bool, by: User) -> Room:
    """A locked room can be read but only moderators can write in it."""
    _check_moderator(by)
    room.is_locked = locked
    Room.objects.filter(pk=room.pk).update(is_locked=locked)
    _room_changed(room)
    return room


@transaction.atomic
def set_slow_mode(*, room: Room, seconds: int, by: User) -> Room:
    _check_moderator(by)
    if seconds < 0:
        raise ValueError("slow mode seconds cannot be negative")
    room.slow_mode_seconds = seconds
    Room.objects.filter(pk=room.pk).update(slow_mode_seconds=seconds)
    _room_changed(room)
    return room


def disconnect_member(*, member: User, code: int = 4403) -> None:
    """Close every open socket of ``member`` (every process) with ``code``, after commit.

    Every consumer that joins ``member_group`` must handle the ``member.disconnect`` event.
    """
    send_event_on_commit(member_group(member.pk), {"type": "member.disconnect", "code": code})


@transaction.atomic
def create_room(
    *,
    by: User,
    title: str,
    slug: str,
    description: str = "",
    step: Step | None = None,
    slow_mode_seconds: int = 0,
) -> Room:
    if not can_create_room(by):
        raise PermissionDenied("Only moderators can create rooms.")
    return Room.objects.create(
        title=title,
        slug=slug,
        description=description,
        step=step,
        slow_mode_seconds=slow_mode_seconds,
    )


def close_mentorship_room(*, mentorship: Mentorship) -> None:
    """The mentorship ended: both members' open sockets switch the room to read-only now."""
    room = Room.objects.filter(mentorship=mentorship).first()
    if room is not None:
        send_event_on_commit(
            room_group(room.pk),
            {
                "type": "chat.room",
                "locked": room.is_locked,
                "slow_mode_seconds": room.slow_mode_seconds,
                "read_only": True,
            },
        )


@transaction.atomic
def open_mentorship_room(*, mentorship: Mentorship) -> Room:
    """The private room of a mentorship, created once (idempotent).

    Only the mentor and the mentee can see it; once the mentorship ends it stays readable to
    both of them but takes no new messages.
    """
    room = Room.objects.filter(mentorship=mentorship).first()
    if room is not None:
        return room
    return Room.objects.create(
        title=f"Mentoring: {mentorship.mentor.username} and {mentorship.mentee.username}",
        slug=f"mentoring-{secrets.token_hex(6)}",
        description="A private room for a mentor and their mentee.",
        mentorship=mentorship,
        position=1000,
    )
