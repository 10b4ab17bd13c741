"""Who may see and write what on the boards.

One place decides visibility: the topic page, the board lists, search and the export all go
through these functions, so moderation rules (pending approval, hidden) are added here once.
``check_*`` raise, ``can_*`` answer for templates, ``filter_*`` narrow querysets.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from accounts.roles import capabilities
from accounts.standing import may_participate
from accounts.step_rules import can_carry_message
from forum.models import Board, Post, PostState, Topic, TopicKind, TopicState


class WritingNotAllowed(PermissionDenied):
    """Visitors, suspended and banned members cannot post or react."""


class ShareNotAllowed(PermissionDenied):
    """Only a member at Step 12 may start a carrying-the-message share."""


class TopicLocked(PermissionDenied):
    """A locked topic refuses new replies."""


class NotYourPost(PermissionDenied):
    pass


# Boards and topics -------------------------------------------------------------------------


def can_view_board(board: Board, viewer) -> bool:
    return board.is_public or bool(viewer.is_authenticated)


def can_search_engines_index(board: Board | None) -> bool:
    """Tradition 11: nothing is indexed unless the group opened its public boards to search
    engines (``INDEX_PUBLIC_BOARDS``); ``None`` is an overview of boards (home, lists)."""
    if not settings.HOMEGROUP["INDEX_PUBLIC_BOARDS"]:
        return False
    return board is None or board.is_public


def filter_visible_boards(queryset: QuerySet[Board], viewer) -> QuerySet[Board]:
    if viewer.is_authenticated:
        return queryset
    return queryset.filter(is_public=True)


def filter_visible_topics(queryset: QuerySet[Topic], viewer) -> QuerySet[Topic]:
    """Topics in lists: a hidden topic is gone; one waiting for approval shows to its author."""
    if viewer.is_authenticated:
        return queryset.filter(_published_or_own_pending(viewer))
    return queryset.published().filter(board__is_public=True)


def can_view_topic(topic: Topic, viewer) -> bool:
    """The topic page: hidden topics only for moderators, pending ones for the author too."""
    if not can_view_board(topic.board, viewer):
        return False
    if topic.is_published:
        return True  # the common case decides without asking for the viewer's role
    if capabilities(viewer).is_moderator:
        return True
    return topic.is_pending and is_own(topic, viewer)


# Posts ---------------------------------------------------------------------------------------


def _published_or_own_pending(viewer, path: str = "") -> Q:
    """Published, or waiting for approval and written by the viewer (a member's own waiting
    post or topic shows to them, marked "waiting for a moderator"). Topics share the values."""
    return Q(**{f"{path}state": PostState.PUBLISHED}) | Q(
        **{f"{path}state": PostState.PENDING, f"{path}author_id": viewer.pk}
    )


def can_view_post_body(post: Post, viewer) -> bool:
    """Whether the viewer may read this post's text (its place in the topic always shows)."""
    return post.is_published or (post.is_pending and is_own(post, viewer))


def is_own(item: Post | Topic, viewer) -> bool:
    return (
        bool(viewer.is_authenticated) and item.author_id is not None and item.author_id == viewer.pk
    )


def filter_placed_posts(queryset: QuerySet[Post], viewer) -> QuerySet[Post]:
    """Posts that have a place on the topic page: one published at some time keeps it (held,
    hidden and removed as placeholders). One never published (waiting, or rejected or withdrawn
    while it waited) has none, not even for moderators (they have the queue and the log), except
    for its author."""
    placed = Q(published_at__isnull=False)
    if viewer.is_authenticated:
        placed |= Q(author_id=viewer.pk)
    return queryset.filter(placed)


def _unseen_topics(viewer) -> QuerySet[Topic]:
    """The topics whose posts the viewer may not read: hidden ones, and those waiting for approval
    unless the viewer wrote them. They are few (the partial index ``forum_topic_unpublished``
    holds them), so a search never has to look up the topic of each of its matches."""
    if viewer.is_authenticated:
        return Topic.objects.exclude(_published_or_own_pending(viewer)).values("pk")
    return Topic.objects.exclude(state=TopicState.PUBLISHED).values("pk")


def filter_visible_posts(queryset: QuerySet[Post], viewer) -> QuerySet[Post]:
    """Posts whose text the viewer may read, in topics they may see in lists: the rule search,
    bookmarks and reports share with ``can_view_post_body``.

    The topic's part is an anti-join against the few topics the viewer may not see (and, for
    visitors, those on members-only boards), not a join to every post's topic."""
    if not viewer.is_authenticated:
        members_only = Topic.objects.filter(board__is_public=False).values("pk")
        return (
            queryset.published()
            .exclude(topic_id__in=_unseen_topics(viewer))
            .exclude(topic_id__in=members_only)
        )
    return queryset.filter(_published_or_own_pending(viewer)).exclude(
        topic_id__in=_unseen_topics(viewer)
    )


def can_see_author(post: Post, viewer) -> bool:
    """Anonymous posts hide even the pseudonym, except from the author themself."""
    if not post.is_anonymous:
        return True
    return bool(viewer.is_authenticated) and post.author_id == viewer.pk


# Writing -------------------------------------------------------------------------------------


def check_can_write(member) -> None:
    if not may_participate(member):
        raise WritingNotAllowed("You cannot post or react right now.")


def can_write(member) -> bool:
    return may_participate(member)


def can_start_topic_of_kind(member, kind: str) -> bool:
    if kind == TopicKind.MESSAGE:
        return can_carry_message(member)
    return kind == TopicKind.HELPING


def check_can_start_topic(member, *, board: Board, kind: str) -> None:
    check_can_write(member)
    if kind not in TopicKind.values:
        raise PermissionDenied("Unknown kind of topic.")
    if kind == TopicKind.MESSAGE and not can_carry_message(member):
        raise ShareNotAllowed("Carrying the message is for members who have reached Step 12.")


def check_can_reply(member, *, topic: Topic) -> None:
    check_can_write(member)
    if topic.is_locked:
        raise TopicLocked("This topic is locked, so it cannot take new replies.")


def can_reply(member, topic: Topic) -> bool:
    return can_write(member) and not topic.is_locked


# The author may change their post while it waits or is held (not once a moderator hid it),
# and remove it unless it is gone already.
EDITABLE_STATES = (PostState.PUBLISHED, PostState.PENDING, PostState.HELD)
DELETABLE_STATES = (PostState.PUBLISHED, PostState.PENDING, PostState.HELD, PostState.HIDDEN)


def can_edit_post(member, post: Post) -> bool:
    return can_write(member) and is_own(post, member) and post.state in EDITABLE_STATES


def check_can_edit_post(member, *, post: Post) -> None:
    check_can_write(member)
    if not can_edit_post(member, post):
        raise NotYourPost("Only the author can change this post.")


def can_delete_post(member, post: Post) -> bool:
    return is_own(post, member) and post.state in DELETABLE_STATES


def check_can_delete_post(member, *, post: Post) -> None:
    if not can_delete_post(member, post):
        raise NotYourPost("Only the author can remove this post.")


def can_react(member, post: Post) -> bool:
    return can_write(member) and can_view_post_body(post, member)


def check_can_react(member, *, post: Post) -> None:
    check_can_write(member)
    if not can_view_post_body(post, member):
        raise PermissionDenied("This post cannot take reactions.")


def can_view_revisions(member) -> bool:
    """Moderators who may act on content see earlier versions of edited posts.

    Asked through Django's permission cache, which the page layout loads anyway (the
    moderation link), so the topic page spends no extra query on it.
    """
    return capabilities(member).moderate_content
