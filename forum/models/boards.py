"""Boards and their topics: one board per step plus a few general boards."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone

TITLE_MIN_LENGTH = 5
TITLE_MAX_LENGTH = 150
CONTENT_NOTE_MAX_LENGTH = 60


class Board(models.Model):
    """A place for topics. A step board is the step page itself (``/steps/<n>/``)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    step = models.OneToOneField(
        "forum.Step", null=True, blank=True, on_delete=models.PROTECT, related_name="board"
    )
    is_public = models.BooleanField(
        default=True, help_text="Visitors who are not logged in may read a public board."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.step_id is not None:
            return reverse("forum:step", kwargs={"number": self.step_id})
        return reverse("forum:board", kwargs={"slug": self.slug})

    @property
    def is_step_board(self) -> bool:
        return self.step_id is not None


class TopicKind(models.TextChoices):
    """The product's central distinction (shared DOMAIN.md, "Two kinds of service")."""

    HELPING = "helping", "Helping others"
    MESSAGE = "message", "Carrying the message"


class Topic(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="topics")
    kind = models.CharField(max_length=16, choices=TopicKind.choices, default=TopicKind.HELPING)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topics",
    )
    is_anonymous = models.BooleanField(default=False)
    content_note = models.CharField(max_length=CONTENT_NOTE_MAX_LENGTH, blank=True)
    is_locked = models.BooleanField(default=False)
    is_pinned = models.BooleanField(default=False)
    # Moderation (issue 6): hidden by a moderator, or waiting for approval (a new member's topic).
    is_hidden = models.BooleanField(default=False)
    is_pending_approval = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Denormalized so board pages stay at a constant number of queries.
    reply_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(default=timezone.now)
    last_post = models.ForeignKey(
        "forum.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The title's own search index, so a topic stays findable whatever happens to its opening
    # post (PostgreSQL only, GIN-indexed there; the SQLite fallback matches the title itself).
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-is_pinned", "-last_activity_at", "-id"]
        indexes = [
            # Keyset pages (forum/selectors/paging.py): each list's whole order, id last.
            models.Index(
                fields=["board", "kind", "-is_pinned", "-last_activity_at", "-id"],
                name="forum_topic_board_pages",
            ),
            models.Index(fields=["kind", "-created_at", "-id"], name="forum_topic_kind_pages"),
            models.Index(fields=["-last_activity_at", "-id"], name="forum_topic_latest"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:topic", kwargs={"topic_id": self.pk})

    @property
    def post_count(self) -> int:
        return self.reply_count + 1

    @property
    def is_share(self) -> bool:
        return self.kind == TopicKind.MESSAGE
