"""Blocking: a member's own shield against another member. The blocked member is never told."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Block(models.Model):
    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="block_not_self"
            ),
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocked {self.blocked}"
