"""Mentoring: an experienced member guiding a newcomer one to one (a sponsor, in 12-step terms)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

DEFAULT_CAPACITY = 3
MAX_CAPACITY = 10
INTRO_MAX_LENGTH = 600
REQUEST_MESSAGE_MAX_LENGTH = 600
NOTE_MAX_LENGTH = 400


class MentorProfile(models.Model):
    """A member's opt-in to mentoring: what they offer and how many mentees they can take.

    The row only says what the member *offers*; whether they may mentor at all is decided by
    ``accounts.permissions.can_mentor`` every time it matters, so moving back a step or a
    moderator revoking the role takes effect at once.
    """

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile"
    )
    intro = models.TextField(max_length=INTRO_MAX_LENGTH)
    focus_steps = models.JSONField(
        default=list, blank=True, help_text="Step numbers the mentor likes to help with."
    )
    capacity = models.PositiveSmallIntegerField(
        default=DEFAULT_CAPACITY,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
        help_text="Most active mentees at once.",
    )
    is_paused = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="mentor_profile_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"mentor profile of {self.member}"

    @property
    def focus_label(self) -> str:
        steps = sorted(int(n) for n in self.focus_steps or [])
        return ", ".join(f"Step {n}" for n in steps) if steps else "Any step"


class MentorRole(models.Model):
    """A moderator's grant of the mentor role to a member who does not meet the usual rule."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_role"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.member} may mentor"


FORMER_MEMBER = "former member"


class Mentorship(models.Model):
    """A mentor and a mentee working together; their private room hangs off this row."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    # SET_NULL: when one of the two deletes their account, the other keeps the room and their
    # own messages (read-only, since deletion ends the mentorship); the gone side shows as
    # "former member".
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="mentorships_as_mentor",
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="mentorships_as_mentee",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("mentee")), name="mentorship_not_self"
            ),
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                condition=models.Q(status="active"),
                name="mentorship_one_active_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentors {self.mentee}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounts:mentorship", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def involves(self, member) -> bool:
        return member.pk is not None and member.pk in (self.mentor_id, self.mentee_id)

    def other(self, member):
        """The other member of the pair, or None once they have deleted their account."""
        return self.mentee if member.pk == self.mentor_id else self.mentor

    def other_name(self, member) -> str:
        other = self.other(member)
        return other.username if other is not None else FORMER_MEMBER

    @property
    def mentor_name(self) -> str:
        return self.mentor.username if self.mentor_id else FORMER_MEMBER

    @property
    def mentee_name(self) -> str:
        return self.mentee.username if self.mentee_id else FORMER_MEMBER


class MentorRequest(models.Model):
    """A member asking for a mentor: addressed to one mentor, or open to any available mentor."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_requests_sent"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mentor_requests_received",
        help_text="Empty for an open request any available mentor can take.",
    )
    message = models.TextField(max_length=REQUEST_MESSAGE_MAX_LENGTH)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    note = models.TextField(
        max_length=NOTE_MAX_LENGTH, blank=True, help_text="The mentor's optional kind note."
    )
    mentorship = models.OneToOneField(
        Mentorship, on_delete=models.SET_NULL, null=True, blank=True, related_name="request"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("mentee")), name="mentor_request_not_self"
            ),
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=models.Q(status="pending"),
                name="mentor_request_one_pending_per_pair",
            ),
            models.UniqueConstraint(
                fields=["mentee"],
                condition=models.Q(status="pending", mentor__isnull=True),
                name="mentor_request_one_open_per_member",
            ),
        ]
        indexes = [models.Index(fields=["status", "mentor"], name="mentor_request_inbox")]

    def __str__(self) -> str:
        target = self.mentor or "any mentor"
        return f"{self.mentee} asks {target}"

    @property
    def is_open(self) -> bool:
        return self.mentor_id is None

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
