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


class TopicState(models.TextChoices):
    """One state per topic, in place of two booleans; the labels are the badges moderators see."""

    PUBLISHED = "published", "Published"
    PENDING = "pending", "Waiting for approval"  # a new member's topic, or a review word
    HIDDEN = "hidden", "Hidden"


class TopicQuerySet(models.QuerySet):
    def published(self):
        """Topics anyone who can see the board may see (see forum/permissions/posts.py for what
        a member sees of their own)."""
        return self.filter(state=TopicState.PUBLISHED)


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
    state = models.CharField(
        max_length=10, choices=TopicState.choices, default=TopicState.PUBLISHED
    )
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

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["-is_pinned", "-last_activity_at", "-id"]
        indexes = [
            # Keyset pages (forum/selectors/paging.py): each list's whole order, id last.
            # The visibility rule's columns ride along (PostgreSQL), so the key before a typed
            # ``?page=N`` is read from this index alone, without visiting a topic row.
            models.Index(
                fields=["board", "kind", "-is_pinned", "-last_activity_at", "-id"],
                name="forum_topic_board_pages",
                include=["state", "author"],
            ),
            # The Step 12 shares and Latest, as the board pages: a deep ``?page=N`` from the index.
            models.Index(
                fields=["kind", "-created_at", "-id"],
                name="forum_topic_kind_pages",
                include=["state", "author", "board"],
            ),
            models.Index(
                fields=["-last_activity_at", "-id"],
                name="forum_topic_latest",
                include=["state", "author", "board"],
            ),
            # The few topics not published, which the visibility of posts excludes
            # (forum/permissions/posts.py) without reading every other topic.
            models.Index(
                fields=["id"],
                condition=~models.Q(state="published"),
                name="forum_topic_unpublished",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:topic", kwargs={"topic_id": self.pk})

    @property
    def post_count(self) -> int:
        return self.reply_count + 1

    @property
    def is_published(self) -> bool:
        return self.state == TopicState.PUBLISHED

    @property
    def is_pending(self) -> bool:
        return self.state == TopicState.PENDING

    @property
    def is_share(self) -> bool:
        return self.kind == TopicKind.MESSAGE
