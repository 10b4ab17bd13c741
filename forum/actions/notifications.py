"""The one way to notify a member. Every part of the code calls ``notify``.

``notify`` decides whether the member wants it (per-kind preferences, blocks), stores the row,
and after the transaction commits rings the member's sockets through the channel layer, so a
member connected to any server process sees the count and a toast at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from accounts.permissions import block_applies, blocked_ids
from accounts.session_members import forget_values
from forum.mentions import find_mentions
from forum.models import (
    Notification,
    NotificationKind,
    NotificationPreference,
    TopicWatch,
    TopicWatchLevel,
)
from forum.models.notifications import ALWAYS_ON_KINDS, OPT_IN_KINDS
from forum.realtime.events import member_group, send_event_on_commit

TEXT_MAX_LENGTH = 300
NOTIFICATION_EVENT = "notification.created"
NOTIFICATIONS_READ_EVENT = "notification.read"


def unread_count_cache_key(member_id: int) -> str:
    return f"notifications:unread:{member_id}"


def _forget_unread_count(member_id: int) -> None:
    key = unread_count_cache_key(member_id)
    forget_values([key])


def wants(member: User, kind: str) -> bool:
    if kind in ALWAYS_ON_KINDS:
        return True
    if kind in OPT_IN_KINDS:
        return NotificationPreference.objects.filter(
            member_id=member.pk, kind=kind, enabled=True
        ).exists()
    return not NotificationPreference.objects.filter(
        member_id=member.pk, kind=kind, enabled=False
    ).exists()


def _truncate(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= TEXT_MAX_LENGTH else text[: TEXT_MAX_LENGTH - 1] + "…"


def notify(
    *,
    recipient: User,
    kind: str,
    text: str,
    url: str = "",
    actor: User | None = None,
    anonymous: bool = False,
) -> Notification | None:
    """Notify ``recipient``; returns the stored row, or None when nothing was sent.

    Nothing is sent to oneself, to a deactivated account, for a kind the member switched off,
    or when the actor is someone the recipient blocked (the actor is not told either way) —
    unless the actor acted ``anonymous``ly: a block never applies to anonymous content.
    """
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind: {kind!r}")
    if recipient is None or not recipient.is_active:
        return None
    if actor is not None and actor.pk == recipient.pk:
        return None
    if actor is not None and block_applies(
        blocked_ids(recipient), author_id=actor.pk, anonymous=anonymous
    ):
        return None
    if not wants(recipient, kind):
        return None
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        actor=actor,
        text=_truncate(text),
        url=url[:300],
        created_at=timezone.now(),
    )
    _forget_unread_count(recipient.pk)
    send_event_on_commit(
        member_group(recipient.pk),
        {
            "type": NOTIFICATION_EVENT,
            "notification_id": notification.pk,
        },
    )
    return notification


def notify_mentions(
    *,
    author: User,
    text: str,
    url: str,
    where: str,
    exclude_ids: Iterable[int] = (),
    only_ids: Iterable[int] | None = None,
    author_label: str | None = None,
    anonymous: bool = False,
) -> list[Notification]:
    """Notify every existing member @mentioned in ``text``. ``where`` reads "in a post" etc.

    Unknown pseudonyms, the author themself and members who blocked the author get nothing
    (blocks do not apply to ``anonymous`` content). ``only_ids`` limits it to members who can
    see the place (the two of a private room); ``author_label`` replaces the pseudonym in the
    text (anonymous posts).
    """
    names = find_mentions(text)
    if not names:
        return []
    excluded = set(exclude_ids) | {author.pk}
    members = (
        User.objects.annotate(pseudonym_lower=Lower("username"))
        .filter(is_active=True, pseudonym_lower__in=names)
        .exclude(pk__in=excluded)
    )
    if only_ids is not None:
        members = members.filter(pk__in=list(only_ids))
    who = author_label or author.username
    sent = []
    for member in members:
        row = notify(
            recipient=member,
            kind=NotificationKind.MENTION,
            actor=author,
            text=f"{who} mentioned you {where}.",
            url=url,
            anonymous=anonymous,
        )
        if row is not None:
            sent.append(row)
    return sent


ANONYMOUS_AUTHOR = "A member posting anonymously"


def notify_post_published(*, post) -> list[Notification]:
    """A post became visible to others: tell the topic's author (for a reply) and @mentions.

    Called by the boards actions when a post is stored without waiting for approval, and by
    moderation when a waiting post is approved. An anonymous post never names its author.
    """
    author = post.author
    if author is None:
        return []
    topic = post.topic
    who = ANONYMOUS_AUTHOR if post.is_anonymous else author.username
    url = post.get_absolute_url()
    sent: list[Notification] = []
    muted = muted_member_ids(topic_id=topic.pk)
    if post.number != 1 and topic.author_id and topic.author_id not in {author.pk, *muted}:
        row = notify(
            recipient=topic.author,
            kind=NotificationKind.TOPIC_REPLY,
            actor=author,
            text=f"{who} replied to your topic “{topic.title}”.",
            url=url,
            anonymous=post.is_anonymous,
        )
        if row is not None:
            sent.append(row)
    sent += notify_mentions(
        author=author,
        text=post.body,
        url=url,
        where="in a post",
        author_label=who,
        anonymous=post.is_anonymous,
        exclude_ids=[*muted, *(row.recipient_id for row in sent)],
    )
    sent += _notify_followers(post=post, who=who, url=url, already={r.recipient_id for r in sent})
    return sent


def muted_member_ids(*, topic_id: int) -> set[int]:
    """Members who muted the topic: nothing from it reaches them."""
    return set(
        TopicWatch.objects.filter(topic_id=topic_id, level=TopicWatchLevel.MUTED).values_list(
            "member_id", flat=True
        )
    )


def _notify_followers(*, post, who: str, url: str, already: set[int]) -> list[Notification]:
    """A reply tells the topic's followers; a new topic tells the board's followers.

    Each member is told once per post (a mention or a reply to their own topic counts), and
    ``notify`` applies their per-kind choice and their blocks.
    """
    topic = post.topic
    if post.number == 1:
        kind = NotificationKind.FOLLOWED_BOARD_TOPIC
        text = f"{who} started “{topic.title}” on {topic.board.name}."
        followers = User.objects.filter(board_follows__board_id=topic.board_id)
    else:
        kind = NotificationKind.FOLLOWED_TOPIC_REPLY
        text = f"{who} replied in “{topic.title}”, a topic you follow."
        followers = User.objects.filter(
            topic_watches__topic_id=topic.pk, topic_watches__level=TopicWatchLevel.FOLLOWING
        )
    sent = []
    for member in followers.exclude(pk__in=already | {post.author_id}).order_by("pk"):
        row = notify(
            recipient=member,
            kind=kind,
            actor=post.author,
            anonymous=post.is_anonymous,
            text=text,
            url=url,
        )
        if row is not None:
            sent.append(row)
    return sent


def notify_chat_message(*, message) -> list[Notification]:
    """@mentions in a chat message. In a private room only the other member can be notified:
    nobody else may learn the room exists."""
    room = message.room
    if message.author_id is None:
        return []
    only_ids = None
    where = f"in the chat room “{room.title}”"
    if room.mentorship_id is not None:
        mentorship = room.mentorship
        only_ids = [mentorship.mentor_id, mentorship.mentee_id]
        where = "in your mentoring room"
    return notify_mentions(
        author=message.author,
        text=message.body,
        url=f"{room.get_absolute_url()}#m-{message.pk}",
        where=where,
        only_ids=only_ids,
    )


def mark_read(*, member: User, notification_id: int) -> bool:
    """Mark one of the member's notifications read; False if it is not theirs (or unknown)."""
    updated = Notification.objects.filter(
        pk=notification_id, recipient_id=member.pk, read_at__isnull=True
    ).update(read_at=timezone.now())
    exists = (
        updated or Notification.objects.filter(pk=notification_id, recipient_id=member.pk).exists()
    )
    if updated:
        _read_changed(member)
    return bool(exists)


def mark_all_read(*, member: User) -> int:
    updated = Notification.objects.filter(recipient_id=member.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if updated:
        _read_changed(member)
    return updated


def mark_read_from(*, member: User, actor_id: int, kind: str) -> int:
    """Mark read the member's unread notifications of ``kind`` from one actor (e.g. a request
    that no longer asks anything)."""
    updated = Notification.objects.filter(
        recipient_id=member.pk, actor_id=actor_id, kind=kind, read_at__isnull=True
    ).update(read_at=timezone.now())
    if updated:
        _read_changed(member)
    return updated


def _read_changed(member: User) -> None:
    """Other open tabs of the member update their count too."""
    _forget_unread_count(member.pk)
    send_event_on_commit(member_group(member.pk), {"type": NOTIFICATIONS_READ_EVENT})


@transaction.atomic
def set_preferences(*, member: User, enabled_kinds: Iterable[str]) -> None:
    """Store the member's on/off choice for every kind (kinds not listed are switched off)."""
    enabled = set(enabled_kinds)
    unknown = enabled - set(NotificationKind.values)
    if unknown:
        raise ValueError(f"unknown notification kinds: {sorted(unknown)}")
    for kind in NotificationKind.values:
        NotificationPreference.objects.update_or_create(
            member=member,
            kind=kind,
            defaults={"enabled": kind in enabled or kind in ALWAYS_ON_KINDS},
        )
