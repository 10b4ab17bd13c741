"""Following and muting topics, following boards, bookmarking posts: private to the member."""

from __future__ import annotations

from django.http import Http404

from forum.models import Board, BoardFollow, Bookmark, Post, Topic, TopicWatch, TopicWatchLevel
from forum.permissions.posts import can_view_board, can_view_post_body, can_view_topic


def set_topic_watch(*, member, topic: Topic, level: str | None) -> None:
    """Follow (``"following"``), mute (``"muted"``) or go back to neither (None)."""
    if not can_view_topic(topic, member):
        raise Http404("No such topic.")
    if level is None:
        TopicWatch.objects.filter(member=member, topic=topic).delete()
        return
    if level not in TopicWatchLevel.values:
        raise ValueError(f"unknown watch level: {level!r}")
    TopicWatch.objects.update_or_create(member=member, topic=topic, defaults={"level": level})


def set_board_follow(*, member, board: Board, follow: bool) -> None:
    if not can_view_board(board, member):
        raise Http404("No such board.")
    if follow:
        BoardFollow.objects.get_or_create(member=member, board=board)
    else:
        BoardFollow.objects.filter(member=member, board=board).delete()


def set_bookmark(*, member, post: Post, bookmarked: bool) -> None:
    """Only a post whose text the member may read can be bookmarked; removing always works."""
    if not bookmarked:
        Bookmark.objects.filter(member=member, post=post).delete()
        return
    if not (can_view_topic(post.topic, member) and can_view_post_body(post, member)):
        raise Http404("No such post.")
    Bookmark.objects.get_or_create(member=member, post=post)
