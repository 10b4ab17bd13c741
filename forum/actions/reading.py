"""How far a member has read each topic."""

from __future__ import annotations

from django.utils import timezone

from forum.models import Topic, TopicRead

UNKNOWN = object()


def mark_topic_read(*, member, topic: Topic, up_to_number: int, previous=UNKNOWN) -> None:
    """Move the member's read marker forward (never back) to ``up_to_number``.

    ``previous`` is the marker the caller already read along with the topic (None: never
    opened); passing it saves a query on the topic page.
    """
    if not member.is_authenticated:
        return
    if previous is not UNKNOWN and previous is not None and previous >= up_to_number:
        return
    now = timezone.now()
    if previous is UNKNOWN or previous is not None:
        moved = TopicRead.objects.filter(
            member=member, topic=topic, last_read_number__lt=up_to_number
        ).update(last_read_number=up_to_number, read_at=now)
        if moved or previous is not UNKNOWN:
            return
    TopicRead.objects.bulk_create(
        [TopicRead(member=member, topic=topic, last_read_number=up_to_number, read_at=now)],
        ignore_conflicts=True,
    )
