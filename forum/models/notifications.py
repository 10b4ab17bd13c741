"""Notifications: short "something happened for you" rows, listed at /notifications/ and pushed live."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationKind(models.TextChoices):
    MENTOR_REQUEST_RECEIVED = "mentor_request_received", "Someone asks you to mentor them"
    MENTOR_REQUEST_ACCEPTED = "mentor_request_accepted", "A mentor accepts your request"
    MENTOR_REQUEST_DECLINED = "mentor_request_declined", "A mentor declines your request"
    MENTORSHIP_ENDED = "mentorship_ended", "A mentorship you are in ends"
    TOPIC_REPLY = "topic_reply", "A reply to your topic"
    FOLLOWED_TOPIC_REPLY = "followed_topic_reply", "A reply in a topic you follow"
    FOLLOWED_BOARD_TOPIC = "followed_board_topic", "A new topic on a board you follow"
    MENTION = "mention", "Someone mentions you in a post or chat message"
    REPORT_OUTCOME = "report_outcome", "The outcome of a report you made"
    MODERATOR_WARNING = "moderator_warning", "A warning from a moderator"
    MODERATION_NOTICE = "moderation_notice", "Moderators hid, held or restored your writing"
    APPEAL_RECEIVED = "appeal_received", "Appeals and check-in answers for you (moderators)"
    STEP_MOVE_ASKED = "step_move_asked", "A mentee asks for your word before moving on"
    STEP_MOVE_ANSWERED = "step_move_answered", "Your mentor answers before you move on"
    WORKBOOK_SHARED = "workbook_shared", "A mentee shares workbook writing with you"
    WORKBOOK_NOTE = "workbook_note", "Your mentor leaves a note on your workbook"
    MEETING_WANTED = (
        "meeting_wanted",
        "Someone is looking for a meeting (off unless you turn it on)",
    )


# What moderators tell a member about their own writing or account must reach them, so it
# cannot be switched off.
ALWAYS_ON_KINDS = frozenset(
    {
        NotificationKind.MODERATOR_WARNING,
        NotificationKind.MODERATION_NOTICE,
        NotificationKind.APPEAL_RECEIVED,
    }
)

# Kinds a member receives only after switching them on.
OPT_IN_KINDS = frozenset({NotificationKind.MEETING_WANTED})


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who caused it, when a member did; empty for moderators acting as a role.",
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_pages"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A member's on/off switch for one kind. No row means the kind is on."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="notification_pref_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.kind} {'on' if self.enabled else 'off'}"
