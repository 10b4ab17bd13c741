"""Read side of a topic page: the topic, one page of its posts, the viewer's reactions."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import Http404

from forum.models import Post, Reaction, ReactionKind, Topic
from forum.models.following import reply_draft_key
from forum.permissions.posts import filter_placed_posts
from forum.selectors.boards import with_read_marker
from forum.selectors.following import with_bookmarked, with_draft, with_watch_level
from forum.selectors.paging import PageNumbers

# What a topic page shows of a post: not its Markdown source or search index (``body_html`` is
# the text), and only the author's pseudonym.
POST_ROW_FIELDS = (
    "topic_id",
    "author__username",
    "number",
    "body_html",
    "is_anonymous",
    "content_note",
    "created_at",
    "edited_at",
    "edited_by_moderator",
    "state",
    "thank_you_count",
    "me_too_count",
    "strength_count",
)
# The topic's last post is read for its number only.
LAST_POST_TEXT_FIELDS = ("body", "body_html", "search_vector")


def posts_per_page() -> int:
    return settings.HOMEGROUP["POSTS_PER_PAGE"]


@dataclass(frozen=True)
class PageInfo(PageNumbers):
    number: int
    num_pages: int

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1


def page_of_number(number: int) -> int:
    """Posts are paged by their number in the topic, so a post's page never depends on others."""
    return (max(number, 1) - 1) // posts_per_page() + 1


# Far past any list's end, and far below what the database's 64-bit OFFSET holds.
MAX_PAGE_NUMBER = 10_000_000


def parse_page(raw: str | None) -> int:
    try:
        page = int(raw or 1)
    except (TypeError, ValueError):
        raise Http404("No such page.") from None
    if not 1 <= page <= MAX_PAGE_NUMBER:
        raise Http404("No such page.")
    return page


def get_topic(topic_id: int, viewer) -> Topic:
    """The topic with the viewer's read marker, follow state and reply draft, in one query."""
    queryset = with_read_marker(Topic.objects.filter(pk=topic_id), viewer)
    queryset = with_draft(with_watch_level(queryset, viewer), viewer, reply_draft_key(topic_id))
    topic = (
        queryset.select_related("board", "last_post")
        .defer("search_vector", *(f"last_post__{name}" for name in LAST_POST_TEXT_FIELDS))
        .first()
    )
    if topic is None:
        raise Http404("No such topic.")
    return topic


def topic_page(topic: Topic, page: int, viewer) -> tuple[list[Post], PageInfo]:
    """One page of posts in one query: authors joined, the viewer's own reactions annotated.

    Removed and hidden posts keep their place (as placeholders), so a post's page never moves.
    """
    last_number = topic.last_post.number if topic.last_post_id else topic.post_count
    num_pages = max(math.ceil(last_number / posts_per_page()), 1)
    if page > num_pages:
        raise Http404("No such page.")
    first = (page - 1) * posts_per_page() + 1
    posts = (
        filter_placed_posts(
            Post.objects.filter(
                topic=topic, number__gte=first, number__lt=first + posts_per_page()
            ),
            viewer,
        )
        .select_related("author")
        .only(*POST_ROW_FIELDS)
    )
    if viewer.is_authenticated:
        posts = with_bookmarked(posts, viewer).annotate(
            **{
                f"mine_{kind.value}": Exists(
                    Reaction.objects.filter(post=OuterRef("pk"), member_id=viewer.pk, kind=kind)
                )
                for kind in ReactionKind
            }
        )
    # The LIMIT is what the number range already implies; without it the planner guesses the
    # range holds most of a long topic and reads every member to join their names.
    return list(posts.order_by("number")[: posts_per_page()]), PageInfo(
        number=page, num_pages=num_pages
    )


def viewer_reactions(viewer, posts: list[Post]) -> set[tuple[int, str]]:
    """The viewer's reactions on these posts, read from ``topic_page``'s annotations."""
    return {
        (post.pk, kind.value)
        for post in posts
        for kind in ReactionKind
        if getattr(post, f"mine_{kind.value}", False)
    }


def get_post(post_id: int) -> Post:
    post = Post.objects.select_related("topic", "topic__board").filter(pk=post_id).first()
    if post is None:
        raise Http404("No such post.")
    return post


def first_unread_post(topic: Topic, last_read_number: int | None) -> Post | None:
    return (
        Post.objects.filter(topic=topic, number__gt=last_read_number or 0)
        .order_by("number")
        .first()
    )


def member_revisions(post: Post):
    return post.revisions.select_related("replaced_by").all()
