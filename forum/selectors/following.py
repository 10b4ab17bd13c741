"""Read side of "what is new": Latest and Unread lists, a member's bookmarks, drafts and
follow states. The visibility rules are the ones in forum/permissions/posts.py."""

from __future__ import annotations

from django.db.models import CharField, Exists, F, OuterRef, QuerySet, Subquery, Value

from forum.models import Board, BoardFollow, Bookmark, Draft, Post, Topic, TopicWatch
from forum.models.following import TopicWatchLevel
from forum.permissions.posts import filter_visible_posts
from forum.selectors.boards import PreparedListReads, TopicList, listing
from forum.selectors.prepared import PreparedQuery

LATEST_ON_HOME = 8


def _without_muted(queryset: QuerySet[Topic], viewer) -> QuerySet[Topic]:
    if not viewer.is_authenticated:
        return queryset
    muted = TopicWatch.objects.filter(
        member_id=viewer.pk, topic=OuterRef("pk"), level=TopicWatchLevel.MUTED
    )
    return queryset.filter(~Exists(muted))


LATEST_LIST = TopicList(
    topics=lambda: Topic.objects.all(), order=("-last_activity_at", "-id"), hide=_without_muted
)


def latest_topics(viewer) -> QuerySet[Topic]:
    """Topics with the newest activity across every board the viewer may read, muted ones out."""
    return LATEST_LIST.queryset(viewer)


def latest_reads(viewer) -> PreparedListReads:
    """``latest_topics`` as row dicts (the Latest page)."""
    return LATEST_LIST.reads(viewer)


def unread_topics(viewer) -> QuerySet[Topic]:
    """Topics the member has opened that have posts after the place they read to."""
    if not viewer.is_authenticated:
        return Topic.objects.none()
    return _without_muted(
        listing(
            Topic.objects.filter(
                reads__member_id=viewer.pk, reads__last_read_number__lt=F("reply_count") + 1
            ),
            viewer,
        ),
        viewer,
    ).order_by("-last_activity_at", "-id")


def with_watch_level(queryset: QuerySet[Topic], viewer) -> QuerySet[Topic]:
    """Annotate ``watch_level`` ("following", "muted" or None) in the same query."""
    if not viewer.is_authenticated:
        return queryset.annotate(watch_level=Value(None, output_field=CharField()))
    level = TopicWatch.objects.filter(member_id=viewer.pk, topic=OuterRef("pk")).values("level")[:1]
    return queryset.annotate(watch_level=Subquery(level, output_field=CharField()))


def with_draft(queryset: QuerySet, viewer, key: str, *, name: str = "draft_body") -> QuerySet:
    """Annotate the member's draft body for the composer ``key`` (None without one)."""
    if not viewer.is_authenticated:
        return queryset.annotate(**{name: Value(None, output_field=CharField())})
    body = Draft.objects.filter(member_id=viewer.pk, key=key).values("body")[:1]
    return queryset.annotate(**{name: Subquery(body, output_field=CharField())})


def with_bookmarked(queryset: QuerySet[Post], viewer) -> QuerySet[Post]:
    if not viewer.is_authenticated:
        return queryset
    return queryset.annotate(
        bookmarked=Exists(Bookmark.objects.filter(member_id=viewer.pk, post=OuterRef("pk")))
    )


_BOARD_FOLLOWS = PreparedQuery(
    lambda shape, *, member, board: BoardFollow.objects.filter(
        member_id=member, board_id=board
    ).values("id")[:1]
)


def follows_board(board: Board, viewer) -> bool:
    return bool(viewer.is_authenticated) and bool(
        _BOARD_FOLLOWS.rows((), member=viewer.pk, board=board.pk)
    )


def get_draft(viewer, key: str) -> Draft | None:
    if not viewer.is_authenticated:
        return None
    return Draft.objects.filter(member_id=viewer.pk, key=key).first()


def bookmarks_of(member) -> QuerySet[Bookmark]:
    """The member's bookmarks whose post they may still read, newest first."""
    visible = filter_visible_posts(Post.objects.all(), member).values("pk")
    return (
        Bookmark.objects.filter(member_id=member.pk, post_id__in=visible)
        .select_related("post", "post__topic", "post__topic__board", "post__author")
        .defer("post__body", "post__search_vector", "post__topic__search_vector")
        .order_by("-created_at", "-id")
    )
