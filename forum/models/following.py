"""What a member keeps track of: followed or muted topics, followed boards, bookmarks, drafts.

All of it is private to the member: nobody else (moderators included) is shown any of it, it is
part of the member's export, and it goes with the account (``on_delete=CASCADE``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

DRAFT_KEY_MAX_LENGTH = 80


class TopicWatchLevel(models.TextChoices):
    FOLLOWING = "following", "Following"
    MUTED = "muted", "Muted"


class TopicWatch(models.Model):
    """A member follows a topic (notified of each reply) or mutes it (never notified, and it
    leaves their Latest and Unread lists). No row means the default: neither."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_watches"
    )
    topic = models.ForeignKey("forum.Topic", on_delete=models.CASCADE, related_name="watches")
    level = models.CharField(max_length=16, choices=TopicWatchLevel.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "topic"], name="forum_topicwatch_once"),
        ]
        indexes = [models.Index(fields=["topic", "level"], name="forum_topicwatch_topic")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.level} topic {self.topic_id}"


class BoardFollow(models.Model):
    """A member is notified of each new topic on a board."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_follows"
    )
    board = models.ForeignKey("forum.Board", on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "board"], name="forum_boardfollow_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} follows board {self.board_id}"


class Bookmark(models.Model):
    """A post a member keeps for later, listed only to them at /me/bookmarks/."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "post"], name="forum_bookmark_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} bookmarked post {self.post_id}"


class Draft(models.Model):
    """A reply or a new topic being written, saved as the member types.

    ``key`` names the composer: ``reply:<topic id>`` or ``topic:<board slug>:<kind>``.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    key = models.CharField(max_length=DRAFT_KEY_MAX_LENGTH)
    title = models.CharField(max_length=150, blank=True)
    body = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "key"], name="forum_draft_once"),
        ]

    def __str__(self) -> str:
        return f"Draft {self.key} of {self.member_id}"


def reply_draft_key(topic_id: int) -> str:
    return f"reply:{topic_id}"


def topic_draft_key(board_slug: str, kind: str) -> str:
    return f"topic:{board_slug}:{kind}"
