"""The private step workbook: what a member writes while working a step, encrypted at rest.

Only the writer reads an entry. A member may share one entry, or a step's work, with their
active mentor (``WorkbookShare``); the rule is ``accounts.permissions.can_read_shared_work``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models.fields import EncryptedJSONField, EncryptedTextField
from accounts.models.members import STEP_VALIDATORS
from accounts.models.mentoring import Mentorship

NOTE_MAX_LENGTH = 2000


class EntryKind(models.TextChoices):
    WRITING = "writing", "Writing"
    RESENTMENT = "resentment", "Inventory: a resentment"
    FEAR = "fear", "Inventory: a fear"
    HARM = "harm", "Inventory: harm I have done"
    AMENDS_LIST = "amends_list", "Someone I harmed"
    AMENDS = "amends", "An amends"
    NIGHTLY_REVIEW = "nightly_review", "Nightly review"
    REFLECTION_LOG = "reflection_log", "Prayer or meditation"
    CHECK_IN = "check_in", "Daily check-in"
    STEP_REFLECTION = "step_reflection", "Moving on: what this step gave me"


class WorkbookEntry(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workbook_entries"
    )
    step = models.PositiveSmallIntegerField(validators=STEP_VALIDATORS)
    kind = models.CharField(max_length=20, choices=EntryKind.choices, default=EntryKind.WRITING)
    content = EncryptedJSONField(default=dict, blank=True)
    is_draft = models.BooleanField(
        default=True, help_text="Saved as the member types; no longer a draft once they save it."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["member", "step", "-created_at"], name="workbook_member_step"),
        ]

    def __str__(self) -> str:
        return f"workbook entry {self.pk} (step {self.step}, {self.kind})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounts:workbook_entry", kwargs={"number": self.step, "entry_id": self.pk})


class WorkbookShare(models.Model):
    """One entry, or one step's whole work, shown read-only to the mentor of a mentorship.

    Access lasts while the mentorship is active and the row exists: un-sharing deletes the row.
    """

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="workbook_shares"
    )
    entry = models.ForeignKey(
        WorkbookEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="shares"
    )
    step = models.PositiveSmallIntegerField(null=True, blank=True, validators=STEP_VALIDATORS)
    mentor_note = EncryptedTextField(blank=True, default="")
    noted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entry__isnull=True, step__isnull=False)
                | models.Q(entry__isnull=False, step__isnull=True),
                name="workbook_share_entry_or_step",
            ),
            models.UniqueConstraint(
                fields=["mentorship", "entry"],
                condition=models.Q(entry__isnull=False),
                name="workbook_share_entry_once",
            ),
            models.UniqueConstraint(
                fields=["mentorship", "step"],
                condition=models.Q(step__isnull=False),
                name="workbook_share_step_once",
            ),
        ]

    def __str__(self) -> str:
        return f"workbook share {self.pk}"


class StepMoveRequest(models.Model):
    """ "Ask my mentor first": a move forward waiting for the mentor's note.

    The member can still move on alone at any time; the reflection is already written.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for your mentor"
        ANSWERED = "answered", "Your mentor answered"
        CLOSED = "closed", "Closed"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="step_move_requests"
    )
    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="step_move_requests"
    )
    from_step = models.PositiveSmallIntegerField(validators=STEP_VALIDATORS)
    reflection = models.ForeignKey(WorkbookEntry, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    mentor_note = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"step move request {self.pk} ({self.status})"

    @property
    def to_step(self) -> int:
        return self.from_step + 1
