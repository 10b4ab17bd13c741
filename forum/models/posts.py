"""Posts (a topic's opening post and its replies), their earlier versions, reactions and reading."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone

BODY_MAX_LENGTH = 20_000


class PostState(models.TextChoices):
    """One state per post, in place of five booleans. Others read the text only when it is
    published; the labels are the badges moderators see."""

    PUBLISHED = "published", "Published"
    # A new member's first posts and posts with a "review" watched word wait for approval.
    PENDING = "pending", "Waiting for approval"
    # Reported by enough members, or edited to include a review word: out of sight until reviewed.
    HELD = "held", "Held until reviewed"
    HIDDEN = "hidden", "Hidden"
    REMOVED_BY_AUTHOR = "removed_by_author", "Removed by its author"
    REMOVED_BY_MODERATOR = "removed_by_moderator", "Removed by a moderator"


# What a moderator may hide (a waiting post is approved or rejected instead), or show again.
HIDEABLE_POST_STATES = (PostState.PUBLISHED, PostState.HELD)
UNHIDEABLE_POST_STATES = (PostState.HIDDEN, PostState.HELD)


class PostQuerySet(models.QuerySet):
    def published(self):
        """Posts whose text anyone who can see the topic may read (see forum/permissions/posts.py
        for what a member sees of their own)."""
        return self.filter(state=PostState.PUBLISHED)


class Post(models.Model):
    """One message in a topic. ``body`` is Markdown; ``body_html`` is rendered and sanitized on save."""

    topic = models.ForeignKey("forum.Topic", on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    number = models.PositiveIntegerField(help_text="1 for the opening post, then 2, 3, ...")
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    body_html = models.TextField()
    is_anonymous = models.BooleanField(default=False)
    content_note = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by_moderator = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=PostState.choices, default=PostState.PUBLISHED)
    # When others could first see it: a post rejected or withdrawn while it waited never was, so
    # it leaves no placeholder behind (see filter_placed_posts).
    published_at = models.DateTimeField(null=True, blank=True)
    # Denormalized reaction counts: the topic page never counts reactions row by row.
    thank_you_count = models.PositiveIntegerField(default=0)
    me_too_count = models.PositiveIntegerField(default=0)
    strength_count = models.PositiveIntegerField(default=0)
    # Kept up to date by the actions on PostgreSQL (GIN-indexed there); unused on SQLite.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["topic", "number"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "number"], name="forum_post_topic_number"),
        ]
        indexes = [models.Index(fields=["author", "-created_at"], name="forum_post_author")]

    def __str__(self) -> str:
        return f"Post {self.pk} in topic {self.topic_id}"

    def get_absolute_url(self) -> str:
        return reverse("forum:post", kwargs={"post_id": self.pk})

    @property
    def is_opening(self) -> bool:
        return self.number == 1

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None

    @property
    def is_published(self) -> bool:
        return self.state == PostState.PUBLISHED

    @property
    def is_pending(self) -> bool:
        return self.state == PostState.PENDING

    def reaction_count(self, kind: str) -> int:
        return getattr(self, REACTION_COUNT_FIELDS[kind])


class PostRevision(models.Model):
    """A previous version of a post, kept when it is edited. Only moderators see these."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=150, blank=True)
    body = models.TextField()
    content_note = models.CharField(max_length=60, blank=True)
    written_at = models.DateTimeField(help_text="When this version was written.")
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["post", "-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"Revision of post {self.post_id} from {self.written_at:%Y-%m-%d %H:%M}"


class ReactionKind(models.TextChoices):
    THANK_YOU = "thank_you", "Thank you"
    ME_TOO = "me_too", "Me too"
    STRENGTH = "strength", "Sending strength"


REACTION_COUNT_FIELDS = {
    ReactionKind.THANK_YOU: "thank_you_count",
    ReactionKind.ME_TOO: "me_too_count",
    ReactionKind.STRENGTH: "strength_count",
}


class Reaction(models.Model):
    """One kind of reaction from one member on one post; there are no downvotes."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=16, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "member", "kind"], name="forum_reaction_once_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on post {self.post_id}"


class TopicRead(models.Model):
    """How far a member has read a topic, for "new replies" and "jump to first unread"."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_reads"
    )
    topic = models.ForeignKey("forum.Topic", on_delete=models.CASCADE, related_name="reads")
    last_read_number = models.PositiveIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "topic"], name="forum_topicread_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} read topic {self.topic_id} to {self.last_read_number}"
