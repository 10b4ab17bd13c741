"""Read side of a topic page: the topic, one page of its posts, the viewer's reactions."""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from forum.models import Board, Post, Reaction, ReactionKind, Topic
from forum.models.following import reply_draft_key
from forum.permissions.posts import filter_placed_posts
from forum.selectors.boards import with_read_marker
from forum.selectors.following import with_bookmarked, with_draft, with_watch_level
from forum.selectors.paging import PageNumbers
from forum.selectors.prepared import PreparedQuery

# What a topic page shows of a post: not its Markdown source or search index (``body_html`` is
# the text), and only the author's pseudonym.
POST_ROW_FIELDS = (
    "topic_id",
    "author_id",
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


class _MemberById:
    """A member known only by id: what the read-side helpers ask of a viewer to shape a query."""

    is_authenticated = True

    def __init__(self, pk: int) -> None:
        self.pk = pk


def _topic_values(topic_id, viewer, draft_key) -> QuerySet:
    queryset = with_read_marker(Topic.objects.filter(pk=topic_id), viewer)
    queryset = with_draft(with_watch_level(queryset, viewer), viewer, draft_key)
    return queryset.order_by().values(
        *TOPIC_FIELDS,
        *(f"board__{name}" for name in BOARD_FIELDS),
        "last_post__number",
        "last_read_number",
        "watch_level",
        "draft_body",
    )


TOPIC_FIELDS = tuple(
    field.attname for field in Topic._meta.concrete_fields if field.name != "search_vector"
)
BOARD_FIELDS = tuple(field.attname for field in Board._meta.concrete_fields)
_TOPIC_FOR_MEMBER = PreparedQuery(
    lambda shape, *, topic_id, member_id, draft_key: _topic_values(
        topic_id, _MemberById(member_id), draft_key
    )
)
_TOPIC_FOR_VISITOR = PreparedQuery(
    lambda shape, *, topic_id: _topic_values(topic_id, AnonymousUser(), "")
)


def get_topic(topic_id: int, viewer) -> Topic:
    """The topic and its board, with the viewer's read marker, follow state and reply draft
    (``last_read_number``, ``watch_level``, ``draft_body``), in one query compiled once.

    ``last_post`` holds only its id and number (what the pages read of it)."""
    if viewer.is_authenticated:
        rows = _TOPIC_FOR_MEMBER.rows(
            topic_id=topic_id, member_id=viewer.pk, draft_key=reply_draft_key(topic_id)
        )
    else:
        rows = _TOPIC_FOR_VISITOR.rows(topic_id=topic_id)
    if not rows:
        raise Http404("No such topic.")
    row = rows[0]
    db = DEFAULT_DB_ALIAS
    topic = Topic.from_db(db, TOPIC_FIELDS, [row[name] for name in TOPIC_FIELDS])
    board = Board.from_db(db, BOARD_FIELDS, [row[f"board__{name}"] for name in BOARD_FIELDS])
    Topic.board.field.set_cached_value(topic, board)
    last_post = None
    if topic.last_post_id is not None:
        last_post = Post.from_db(
            db, ("id", "number"), (topic.last_post_id, row["last_post__number"])
        )
    Topic.last_post.field.set_cached_value(topic, last_post)
    topic.last_read_number = row["last_read_number"]
    topic.watch_level = row["watch_level"]
    topic.draft_body = row["draft_body"]
    return topic


class PostRow:
    """A post as the topic page reads it: one row of ``topic_page``'s query, read by attribute
    like a Post (forum/permissions and forum/presenters ask ``is_published``, ``author_id``...;
    the properties are the model's own), without building model instances."""

    is_opening = Post.is_opening
    is_published = Post.is_published
    is_pending = Post.is_pending
    reaction_count = Post.reaction_count

    def __init__(self, row: dict) -> None:
        self.__dict__ = row

    @property
    def author(self) -> SimpleNamespace | None:
        if self.author_id is None:
            return None
        return SimpleNamespace(pk=self.author_id, username=self.author__username)


def _page_values(topic_id, first, end, viewer, per_page: int) -> QuerySet:
    posts = filter_placed_posts(
        Post.objects.filter(topic_id=topic_id, number__gte=first, number__lt=end), viewer
    )
    names = ["pk", *POST_ROW_FIELDS]
    if viewer.is_authenticated:
        posts = with_bookmarked(posts, viewer).annotate(
            **{
                f"mine_{kind.value}": Exists(
                    Reaction.objects.filter(post=OuterRef("pk"), member_id=viewer.pk, kind=kind)
                )
                for kind in ReactionKind
            }
        )
        names += ["bookmarked", *(f"mine_{kind.value}" for kind in ReactionKind)]
    # The LIMIT is what the number range already implies; without it the planner guesses the
    # range holds most of a long topic and reads every member to join their names.
    return posts.values(*names).order_by("number")[:per_page]


# The page size is the shape: the LIMIT is printed into the SQL, not bound.
_PAGE_FOR_MEMBER = PreparedQuery(
    lambda shape, *, topic_id, first, end, member_id: _page_values(
        topic_id, first, end, _MemberById(member_id), *shape
    )
)
_PAGE_FOR_VISITOR = PreparedQuery(
    lambda shape, *, topic_id, first, end: _page_values(
        topic_id, first, end, AnonymousUser(), *shape
    )
)


def topic_page(topic: Topic, page: int, viewer) -> tuple[list[PostRow], PageInfo]:
    """One page of posts in one query compiled once: authors' pseudonyms joined, the viewer's
    own reactions and bookmark read along.

    Removed and hidden posts keep their place (as placeholders), so a post's page never moves.
    """
    last_number = topic.last_post.number if topic.last_post_id else topic.post_count
    num_pages = max(math.ceil(last_number / posts_per_page()), 1)
    if page > num_pages:
        raise Http404("No such page.")
    first = (page - 1) * posts_per_page() + 1
    per_page = posts_per_page()
    span = {"topic_id": topic.pk, "first": first, "end": first + per_page}
    if viewer.is_authenticated:
        rows = _PAGE_FOR_MEMBER.rows((per_page,), member_id=viewer.pk, **span)
    else:
        rows = _PAGE_FOR_VISITOR.rows((per_page,), **span)
    return [PostRow(row) for row in rows], PageInfo(number=page, num_pages=num_pages)


_MINE = tuple((kind.value, f"mine_{kind.value}") for kind in ReactionKind)


def viewer_reactions(viewer, posts: list[PostRow]) -> set[tuple[int, str]]:
    """The viewer's reactions on these posts, read from ``topic_page``'s annotations."""
    return {(post.pk, kind) for post in posts for kind, mine in _MINE if getattr(post, mine, False)}


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
