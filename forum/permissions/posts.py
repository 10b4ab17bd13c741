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
from forum.models import Board, Post, Topic, TopicKind


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
    # Moderation: a hidden topic is gone from lists; a topic waiting for approval shows only
    # to its author.
    queryset = queryset.filter(is_hidden=False)
    if viewer.is_authenticated:
        return queryset.filter(Q(is_pending_approval=False) | Q(author_id=viewer.pk))
    return queryset.filter(board__is_public=True, is_pending_approval=False)


def can_view_topic(topic: Topic, viewer) -> bool:
    """The topic page: hidden topics only for moderators, pending ones for the author too."""
    if not can_view_board(topic.board, viewer):
        return False
    if not topic.is_hidden and not topic.is_pending_approval:
        return True  # the common case decides without asking for the viewer's role
    if capabilities(viewer).is_moderator:
        return True
    if topic.is_hidden:
        return False
    return bool(viewer.is_authenticated) and topic.author_id == viewer.pk


# Posts ---------------------------------------------------------------------------------------


def can_view_post_body(post: Post, viewer) -> bool:
    """Whether the viewer may read this post's text (its place in the topic always shows)."""
    if post.is_pending_approval and not is_own(post, viewer):
        return False
    return (
        not post.removed_by_author
        and not post.is_hidden
        and not post.is_held_for_review
        and not post.removed_by_moderator
    )


def is_own(post: Post, viewer) -> bool:
    return (
        bool(viewer.is_authenticated) and post.author_id is not None and post.author_id == viewer.pk
    )


def filter_placed_posts(queryset: QuerySet[Post], viewer) -> QuerySet[Post]:
    """Posts that have a place on the topic page: a post waiting for approval has none, except
    for its author (who sees it marked "waiting for a moderator")."""
    if viewer.is_authenticated:
        return queryset.filter(Q(is_pending_approval=False) | Q(author_id=viewer.pk))
    return queryset.filter(is_pending_approval=False)


def filter_visible_posts(queryset: QuerySet[Post], viewer) -> QuerySet[Post]:
    """Posts whose text the viewer may read: the rule search and listings share."""
    queryset = queryset.filter(
        removed_by_author=False,
        is_hidden=False,
        is_held_for_review=False,
        removed_by_moderator=False,
        topic__is_hidden=False,
    )
    if not viewer.is_authenticated:
        return queryset.filter(
            topic__board__is_public=True,
            is_pending_approval=False,
            topic__is_pending_approval=False,
        )
    own = Q(author_id=viewer.pk)
    return queryset.filter(Q(is_pending_approval=False) | own).filter(
        Q(topic__is_pending_approval=False) | Q(topic__author_id=viewer.pk)
    )


def visible_post_q() -> Q:
    """The same rule as ``filter_visible_posts`` for posts reached through a relation."""
    return Q(
        removed_by_author=False,
        is_hidden=False,
        is_held_for_review=False,
        removed_by_moderator=False,
        is_pending_approval=False,
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


def can_edit_post(member, post: Post) -> bool:
    return (
        can_write(member)
        and post.author_id is not None
        and post.author_id == member.pk
        and not post.removed_by_author
        and not post.is_hidden
    )


def check_can_edit_post(member, *, post: Post) -> None:
    check_can_write(member)
    if not can_edit_post(member, post):
        raise NotYourPost("Only the author can change this post.")


def can_delete_post(member, post: Post) -> bool:
    return (
        bool(member.is_authenticated)
        and post.author_id is not None
        and post.author_id == member.pk
        and not post.removed_by_author
    )


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
