"""Mentoring: an experienced member guiding a newcomer one to one (a sponsor, in 12-step terms)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Mentorship(models.Model):
    """A mentor and a mentee working together; their private room hangs off this row."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentor"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentee"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

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

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def involves(self, member) -> bool:
        return member.pk in (self.mentor_id, self.mentee_id)
