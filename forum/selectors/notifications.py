"""Read side of notifications: the list and the cheap unread count for the header."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, QuerySet, Value

from accounts.models import Block
from accounts.permissions import blocked_ids_cache_key
from accounts.session_members import read_with_member
from forum.actions.notifications import unread_count_cache_key
from forum.models import Notification, NotificationKind, NotificationPreference
from forum.models.notifications import ALWAYS_ON_KINDS, OPT_IN_KINDS

UNREAD_COUNT_TTL = 300
PAGE_SIZE = 50


def notifications_for(member) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=member.pk).order_by("-created_at", "-id")


def unread_count(member) -> int:
    """Cached per member; ``notify`` and the mark-read actions drop the cached value."""
    if not getattr(member, "is_authenticated", False):
        return 0
    key = unread_count_cache_key(member.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient_id=member.pk, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_COUNT_TTL)
    return count


def header_keys(member_pk: int) -> list[str]:
    """The cache keys of the header state, read with the member's row on each request."""
    return [unread_count_cache_key(member_pk), blocked_ids_cache_key(member_pk)]


def header_state(member) -> int:
    """The unread count, and the member's block list primed on the instance, for every page.

    Both are cached; when either is missing one UNION query reads both, so the header costs at
    most one query and pages that fold blocked members' posts or messages add none. The answer
    is kept on the instance for the rest of the request, so a view may ask before its template.
    """
    if not getattr(member, "is_authenticated", False):
        return 0
    if "_header_unread" in member.__dict__:  # a view asked first, to prime the block list
        return member.__dict__["_header_unread"]
    unread_key, blocks_key = header_keys(member.pk)
    cached = read_with_member(member)  # usually read with the member's row: no round trip
    if unread_key not in cached or blocks_key not in cached:
        cached = cache.get_many([unread_key, blocks_key])
    if unread_key in cached and blocks_key in cached:
        unread, blocked = cached[unread_key], cached[blocks_key]
    else:
        blocks = (
            Block.objects.filter(blocker_id=member.pk)
            .order_by()
            .annotate(row=Value("b"))
            .values_list("row", "blocked_id")
        )
        count = (
            Notification.objects.filter(recipient_id=member.pk, read_at__isnull=True)
            .order_by()
            .values("recipient_id")
            .annotate(row=Value("n"), number=Count("id"))
            .values_list("row", "number")
        )
        rows = list(blocks.union(count, all=True))
        blocked = [value for row, value in rows if row == "b"]
        unread = next((value for row, value in rows if row == "n"), 0)
        cache.set_many({unread_key: unread, blocks_key: blocked}, UNREAD_COUNT_TTL)
    member.__dict__.setdefault("_blocked_ids", frozenset(blocked))
    member.__dict__["_header_unread"] = unread
    return unread


def get_notification_for(member, notification_id: int) -> Notification | None:
    return Notification.objects.filter(pk=notification_id, recipient_id=member.pk).first()


def preferences_for(member) -> list[tuple[str, str, bool]]:
    """Every kind a member may switch, as (value, label, enabled), for the /me/ form."""
    chosen = dict(
        NotificationPreference.objects.filter(member_id=member.pk).values_list("kind", "enabled")
    )
    return [
        (kind.value, kind.label, chosen.get(kind.value, kind not in OPT_IN_KINDS))
        for kind in NotificationKind
        if kind not in ALWAYS_ON_KINDS
    ]


def notification_payload(notification: Notification, *, unread: int) -> dict:
    """What the live socket sends: plain text only; the browser inserts it as text."""
    return {
        "type": "notification",
        "id": notification.pk,
        "kind": notification.kind,
        "text": notification.text,
        "url": notification.url,
        "unread": unread,
    }
