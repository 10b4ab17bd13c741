"""Live chat: rooms, their messages, and per-room mutes.

Message order: every message gets ``seq``, a number that increases by one per room (assigned
under a row lock on the room, so ``seq`` order is commit order). The primary key ``id`` is a
global autoincrement; because of the same lock it also increases within a room, so clients may
compare ids of one room (``?after=<id>``) but never ids of different rooms.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

BODY_MAX_LENGTH = 2000
CLIENT_ID_MAX_LENGTH = 64


class Room(models.Model):
    """A chat room. Rooms with a mentorship are private to its mentor and mentee."""

    title = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, max_length=500)
    step = models.ForeignKey(
        "forum.Step", null=True, blank=True, on_delete=models.SET_NULL, related_name="rooms"
    )
    slow_mode_seconds = models.PositiveIntegerField(
        default=0, help_text="Seconds a member waits between two messages; 0 turns slow mode off."
    )
    is_locked = models.BooleanField(default=False)
    mentorship = models.OneToOneField(
        "accounts.Mentorship",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="room",
    )
    position = models.PositiveSmallIntegerField(default=100)
    last_seq = models.PositiveBigIntegerField(default=0, editable=False)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:chat_room", kwargs={"slug": self.slug})

    @property
    def is_private(self) -> bool:
        return self.mentorship_id is not None


class ContentState(models.TextChoices):
    """One state per item, in place of separate booleans: what others may see is one rule."""

    PUBLISHED = "published", "Published"
    HELD = "held", "Held until a moderator reviews it"
    HIDDEN = "hidden", "Hidden by a moderator"


class ChatMessageQuerySet(models.QuerySet):
    def published(self):
        """The one visibility rule for chat: history, catch-up and sockets all use it."""
        return self.filter(state=ContentState.PUBLISHED)


class ChatMessage(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="chat_messages",
    )
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    client_id = models.CharField(max_length=CLIENT_ID_MAX_LENGTH, blank=True)
    state = models.CharField(
        max_length=10, choices=ContentState.choices, default=ContentState.PUBLISHED
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(default=timezone.now)

    objects = ChatMessageQuerySet.as_manager()

    class Meta:
        ordering = ["room", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="chat_message_seq_unique"),
            models.UniqueConstraint(
                fields=["room", "author", "client_id"],
                condition=~models.Q(client_id=""),
                name="chat_message_client_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room} #{self.seq}"

    @property
    def author_name(self) -> str:
        return self.author.username if self.author_id else "former member"

    @property
    def is_hidden(self) -> bool:
        """Out of others' sight: held for review or hidden by a moderator."""
        return self.state != ContentState.PUBLISHED

    @property
    def is_held(self) -> bool:
        return self.state == ContentState.HELD


class RoomMute(models.Model):
    """A member may read but not write in a room until ``until``."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="mutes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_mutes"
    )
    until = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "member"], name="room_mute_one_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} muted in {self.room} until {self.until:%Y-%m-%d %H:%M}"
