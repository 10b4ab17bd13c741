"""Moderation and member safety: reports, the append-only audit log, watched words, crisis path.

Reports point at their item with a small target type + id rather than one foreign key per kind:
the reported item may be a topic, a post, a chat message, a meeting share or a member, and the report must outlive
the item (a deleted post's report still belongs in the log). ``subject`` is the member the item
belongs to, so moderators can act on the author even of an anonymous post.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

# Named permissions of the "Moderators" group (see accounts/actions/roles.py grant_moderator).
MODERATOR_PERMISSIONS = (
    ("review_reports", "Can see the review queue and dismiss reports"),
    ("moderate_content", "Can hide, delete, edit, lock, pin, move and approve content"),
    ("moderate_members", "Can warn, mute, suspend and ban members"),
    ("view_audit_log", "Can read the moderation audit log"),
    ("manage_safety_lists", "Can manage watched words and crisis phrases"),
)
MODERATOR_PERMISSION_CODENAMES = tuple(codename for codename, _ in MODERATOR_PERMISSIONS)


class TargetKind(models.TextChoices):
    TOPIC = "topic", "Topic"
    POST = "post", "Post"
    CHAT_MESSAGE = "chat_message", "Chat message"
    MEMBER = "member", "Member"
    MEETING_SHARE = "meeting_share", "Meeting share"


class Report(models.Model):
    """One member's (or the system's) report about one item."""

    class Reason(models.TextChoices):
        MEMBER_AT_RISK = "member_at_risk", "Member at risk"
        SPAM = "spam", "Spam"
        HARASSMENT = "harassment", "Harassment or hate"
        PERSONAL_INFO = "personal_info", "Personal information about someone"
        OFF_TOPIC = "off_topic", "Off-topic"
        OTHER = "other", "Other"
        NEEDS_APPROVAL = "needs_approval", "Waiting for approval"
        REPORT_BURST = "report_burst", "Burst of reports from new accounts"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACTIONED = "actioned", "Action taken"
        DISMISSED = "dismissed", "Dismissed"

    target_kind = models.CharField(max_length=20, choices=TargetKind.choices)
    target_id = models.PositiveBigIntegerField()
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_about",
        help_text="The member the reported item belongs to.",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_made",
    )
    is_system = models.BooleanField(
        default=False, help_text="Raised by Homegroup itself (a crisis phrase matched)."
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        permissions = MODERATOR_PERMISSIONS
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_kind", "target_id"],
                condition=models.Q(status="open", reporter__isnull=False),
                name="report_one_open_per_member_per_item",
            ),
            models.UniqueConstraint(
                fields=["target_kind", "target_id", "reason"],
                condition=models.Q(status="open", is_system=True),
                name="report_one_open_system_report_per_item",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "target_kind", "target_id"], name="report_open_item_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} report on {self.target_kind} #{self.target_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


# Reasons a member may choose; NEEDS_APPROVAL is only ever raised by the system.
MEMBER_REPORT_REASONS = [
    (value, label) for value, label in Report.Reason.choices if value != "needs_approval"
]


class AuditLogRefused(Exception):
    """The audit log is append-only: nothing may change or delete an entry."""


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogRefused("Audit log entries cannot be changed.")

    def delete(self):
        raise AuditLogRefused("Audit log entries cannot be deleted.")


class AuditLogEntry(models.Model):
    """One moderation action, written in the same transaction as the action itself.

    Pseudonyms are copied in so the entry reads the same after an account is deleted. There is
    deliberately no email or IP address here.
    """

    class Action(models.TextChoices):
        DISMISS = "dismiss", "Dismissed reports"
        HIDE = "hide", "Hid"
        UNHIDE = "unhide", "Unhid"
        DELETE = "delete", "Deleted"
        EDIT = "edit", "Edited"
        LOCK = "lock", "Locked"
        UNLOCK = "unlock", "Unlocked"
        PIN = "pin", "Pinned"
        UNPIN = "unpin", "Unpinned"
        MOVE = "move", "Moved"
        WARN = "warn", "Warned"
        MUTE = "mute", "Muted in chat"
        SUSPEND = "suspend", "Suspended"
        BAN = "ban", "Banned"
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        ADD_WATCHED_WORD = "add_watched_word", "Added a watched word"
        REMOVE_WATCHED_WORD = "remove_watched_word", "Removed a watched word"
        ADD_CRISIS_PHRASE = "add_crisis_phrase", "Added a crisis phrase"
        REMOVE_CRISIS_PHRASE = "remove_crisis_phrase", "Removed a crisis phrase"
        LIFT_SUSPENSION = "lift_suspension", "Lifted the suspension of"
        UNMUTE = "unmute", "Unmuted in chat"
        UNBAN = "unban", "Unbanned"
        HIDE_ALL = "hide_all", "Hid everything written by"
        KEEP_ON_APPEAL = "keep_on_appeal", "Kept a measure on appeal"
        NOTE = "note", "Wrote a moderator note about"
        GRANT_ROLE = "grant_role", "Granted a role to"
        REMOVE_ROLE = "remove_role", "Removed a role from"
        DEACTIVATE = "deactivate", "Deactivated the account of"
        CHECK_IN = "check_in", "Sent a private check-in to"
        SLOW_MODE = "slow_mode", "Changed slow mode in"
        MEETING_MUTE = "meeting_mute", "Muted for this meeting"
        MEETING_REMOVE = "meeting_remove", "Removed from a meeting"
        MEETING_LOCK = "meeting_lock", "Locked or unlocked a meeting"
        MEETING_LOBBY = "meeting_lobby", "Turned a meeting's lobby on or off"
        MEETING_ADMIT = "meeting_admit", "Admitted from a meeting's lobby"
        MEETING_END = "meeting_end", "Ended a meeting"
        MEETING_FORMAT = "meeting_format", "Changed a meeting format's texts in"

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
    )
    moderator_name = models.CharField(max_length=150)
    action = models.CharField(max_length=30, choices=Action.choices)
    target_kind = models.CharField(max_length=20, choices=TargetKind.choices, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_description = models.CharField(max_length=300)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_log_entries",
        help_text="The member the action concerned, if any.",
    )
    member_name = models.CharField(max_length=150, blank=True)
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit log entries"

    def __str__(self) -> str:
        return (
            f"{self.moderator_name} {self.get_action_display().lower()} {self.target_description}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogRefused("Audit log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogRefused("Audit log entries cannot be deleted.")


NOTE_MAX_LENGTH = 2000


class MemberNote(models.Model):
    """A moderator's note about a member: seen by moderators only, never by the member, never
    exported; each one is also in the audit log."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notes_written",
    )
    author_name = models.CharField(max_length=150)
    text = models.TextField(max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note #{self.pk} by {self.author_name}"


class CheckIn(models.Model):
    """A moderator's private check-in with a member who may be at risk, and the member's answer.

    Care, not a warning: only the member and moderators read it; the audit log records that it
    was sent, not what it says.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="check_ins_sent",
    )
    moderator_name = models.CharField(max_length=150)
    target_kind = models.CharField(max_length=20, choices=TargetKind.choices)
    target_id = models.PositiveBigIntegerField()
    text = models.TextField(max_length=NOTE_MAX_LENGTH)
    reply = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Check-in #{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("forum:check_in", args=[self.pk])


APPEAL_MAX_LENGTH = 2000


class Appeal(models.Model):
    """A member asks for another look at a measure taken on them (once per measure).

    It goes to a moderator other than the one who acted (``assigned_to``); the text is seen by
    moderators only.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a moderator"
        KEPT = "kept", "The measure stays"
        LIFTED = "lifted", "The measure was lifted"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals"
    )
    entry = models.OneToOneField(
        AuditLogEntry,
        on_delete=models.PROTECT,
        related_name="appeal",
        help_text="The measure appealed (its audit log entry).",
    )
    text = models.TextField(max_length=APPEAL_MAX_LENGTH)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals_assigned",
        help_text="A moderator other than the one who acted.",
    )
    response = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals_resolved",
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Appeal #{self.pk} ({self.get_status_display()})"


class ListEntry(models.Model):
    """A line of a moderators' list (watched words, crisis phrases): who added it, and when."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class WatchedWord(ListEntry):
    """A word or phrase moderators watch for in titles, posts and chat messages."""

    class Mode(models.TextChoices):
        BLOCK = "block", "Block: refuse the text"
        REVIEW = "review", "Review: publish only after a moderator approves"

    word = models.CharField(max_length=100)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.REVIEW)

    class Meta:
        ordering = [Lower("word")]
        constraints = [models.UniqueConstraint(Lower("word"), name="watchedword_word_ci_unique")]

    def __str__(self) -> str:
        return f"{self.word} ({self.mode})"


class CrisisPhrase(ListEntry):
    """A phrase suggesting a member may be at risk: the author is offered help, moderators told."""

    phrase = models.CharField(max_length=100)

    class Meta:
        ordering = [Lower("phrase")]
        constraints = [
            models.UniqueConstraint(Lower("phrase"), name="crisisphrase_phrase_ci_unique")
        ]

    def __str__(self) -> str:
        return self.phrase


class CrisisResource(models.Model):
    """A service listed on /crisis/ and in the crisis panel. Admins edit them in the admin."""

    name = models.CharField(max_length=100)
    detail = models.CharField(max_length=300)
    contact = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name
