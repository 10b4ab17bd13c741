"""Live meetings held in a chat room: a chair, a format, a raise-hand queue, no transcript.

Everything a meeting is doing right now (phase, queue, current sharer, the share timer's
deadline, who waits in the lobby) lives in these rows, never in one process's memory, so any
server process can answer a reconnecting member and any can advance an expired timer.
Shares are deleted when the meeting ends; a share someone reported is kept (``reported``) for
moderators only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

DEFAULT_SHARE_SECONDS = 180
SHARE_MAX_LENGTH = 2000
TEXT_MAX_LENGTH = 1000

DEFAULT_TEXTS = {
    "welcome": (
        "Welcome. However you got here today, we are glad you came. This meeting is one of "
        "many held in this room; nobody here is in charge of anyone else."
    ),
    "purpose": (
        "We meet to share our own experience, strength and hope with each other, so that we "
        "can stay clean today and help whoever still suffers."
    ),
    "anonymity": (
        "Who you meet here and what you hear here stays here. Use only your pseudonym, speak "
        "about yourself, and leave others' stories in the room when you go."
    ),
    "reading": (
        "Nobody has to do this alone. We found that by meeting, listening and being honest, "
        "one day at a time, something changed for us that we could not change alone."
    ),
    "topic_intro": (
        "The chair brings a topic for today. Share on it if it speaks to you, or on whatever "
        "is on your mind: your own experience is always on topic."
    ),
    "newcomer": (
        "If this is one of your first meetings, welcome: you are the most important person "
        "here. You do not have to share; listening is enough."
    ),
    "closing": (
        "Thank you for sharing and for listening. What was said here stays here. Keep coming "
        "back; the room stays open between meetings."
    ),
}


class MeetingFormat(models.Model):
    """One room's format: the texts its chair reads out, which the group may edit."""

    room = models.OneToOneField(
        "forum.Room", on_delete=models.CASCADE, related_name="meeting_format"
    )
    welcome = models.TextField(max_length=TEXT_MAX_LENGTH, default=DEFAULT_TEXTS["welcome"])
    purpose = models.TextField(max_length=TEXT_MAX_LENGTH, default=DEFAULT_TEXTS["purpose"])
    anonymity = models.TextField(max_length=TEXT_MAX_LENGTH, default=DEFAULT_TEXTS["anonymity"])
    reading = models.TextField(max_length=TEXT_MAX_LENGTH, default=DEFAULT_TEXTS["reading"])
    topic_intro = models.TextField(max_length=TEXT_MAX_LENGTH, default=DEFAULT_TEXTS["topic_intro"])
    newcomer = models.TextField(max_length=TEXT_MAX_LENGTH, default=DEFAULT_TEXTS["newcomer"])
    closing = models.TextField(max_length=TEXT_MAX_LENGTH, default=DEFAULT_TEXTS["closing"])
    open_chat_between_shares = models.BooleanField(default=False)
    share_seconds = models.PositiveIntegerField(default=DEFAULT_SHARE_SECONDS)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Format of {self.room}"


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        LIVE = "live", "Live"
        ENDED = "ended", "Ended"

    class Phase(models.TextChoices):
        OPENING = "opening", "Opening"
        READING = "reading", "Reading"
        TOPIC = "topic", "Topic"
        SHARES = "shares", "Shares"
        NEWCOMERS = "newcomers", "Welcome for newcomers"
        CLOSING = "closing", "Closing"

    room = models.ForeignKey("forum.Room", on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=80)
    topic = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField()
    repeats_weekly = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.OPENING)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    cohost = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sharer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    share_ends_at = models.DateTimeField(null=True, blank=True)
    thanks = models.PositiveIntegerField(default=0, help_text="Quiet thank-yous for this share.")
    share_number = models.PositiveIntegerField(default=0, help_text="Shares called so far.")
    auto_advance = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False, help_text="Nobody new may join.")
    lobby_on = models.BooleanField(default=False, help_text="First-time attendees wait.")
    version = models.PositiveBigIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["room"], condition=models.Q(status="live"), name="meeting_one_live_per_room"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE


class MeetingAttendee(models.Model):
    class Status(models.TextChoices):
        LOBBY = "lobby", "Waiting in the lobby"
        IN = "in", "In the meeting"
        REMOVED = "removed", "Removed from the meeting"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_attendances"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.IN)
    is_muted = models.BooleanField(default=False)
    hand_raised_at = models.DateTimeField(null=True, blank=True)
    connections = models.IntegerField(default=0)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="meeting_attendee_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.meeting}"


class MeetingShare(models.Model):
    """What the sharer writes (and, between shares, open chat when the format allows it)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="shares")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=SHARE_MAX_LENGTH)
    is_open_chat = models.BooleanField(default=False)
    reported = models.BooleanField(default=False, help_text="Kept for moderators after the end.")
    is_hidden = models.BooleanField(default=False, help_text="Hidden by a moderator.")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Share #{self.pk} in {self.meeting}"

    @property
    def state(self) -> str:
        """In the words posts and chat messages use, so moderation reads every item alike (a
        share lives only as long as its meeting, so hidden or not is all it can be)."""
        return "hidden" if self.is_hidden else "published"
