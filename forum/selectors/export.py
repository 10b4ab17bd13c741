"""What a member has written in the forum, for their data export."""

from __future__ import annotations

from typing import Any


def _board_contributions(member) -> dict[str, Any]:
    """Topics the member started and every post they wrote, anonymous and removed ones included."""
    from forum.models import Post, PostState, Topic

    topics = Topic.objects.filter(author=member).select_related("board").order_by("created_at")
    posts = Post.objects.filter(author=member).select_related("topic").order_by("created_at")
    return {
        "topics": [
            {
                "id": topic.pk,
                "board": topic.board.slug,
                "kind": topic.kind,
                "title": topic.title,
                "created_at": topic.created_at.isoformat(),
                "anonymous": topic.is_anonymous,
                "content_note": topic.content_note,
            }
            for topic in topics
        ],
        "posts": [
            {
                "id": post.pk,
                "topic_id": post.topic_id,
                "topic_title": post.topic.title,
                "body": post.body,
                "created_at": post.created_at.isoformat(),
                "edited_at": post.edited_at.isoformat() if post.edited_at else None,
                "anonymous": post.is_anonymous,
                "content_note": post.content_note,
                "removed_by_author": post.state == PostState.REMOVED_BY_AUTHOR,
            }
            for post in posts
        ],
    }


def _reports_made(member) -> dict[str, Any]:
    """Reports the member made (moderation, issue 6). Reports about them are moderators' records
    and would point at who reported, so they are not part of the export."""
    from forum.models import Report

    reports = Report.objects.filter(reporter=member).order_by("created_at", "id")
    return {
        "reports_made": [
            {
                "about": report.target_kind,
                "item_id": report.target_id,
                "reason": report.reason,
                "note": report.note,
                "created_at": report.created_at.isoformat(),
                "status": report.status,
            }
            for report in reports
        ]
    }


def _chat_contributions(member) -> dict[str, Any]:
    """The member's own messages in the open rooms (hidden ones included, as with posts), and
    the whole conversation of each of their mentorship rooms, which only the pair could read."""
    from django.db.models import Q

    from forum.models import ChatMessage
    from forum.models.chat import ContentState

    own = (
        ChatMessage.objects.filter(author=member, room__mentorship__isnull=True)
        .select_related("room")
        .order_by("created", "id")
    )
    private = (
        ChatMessage.objects.filter(
            Q(room__mentorship__mentor=member) | Q(room__mentorship__mentee=member),
        )
        .filter(Q(state=ContentState.PUBLISHED) | Q(author=member))
        .select_related("room", "author")
        .order_by("room_id", "seq")
    )
    return {
        "chat_messages": [
            {
                "room": message.room.title,
                "body": message.body,
                "sent_at": message.created.isoformat(),
                "hidden_by_moderator": message.is_hidden,
            }
            for message in own
        ],
        "mentorship_room_messages": [
            {
                "mentorship_id": message.room.mentorship_id,
                "author": "you" if message.author_id == member.pk else message.author_name,
                "body": message.body,
                "sent_at": message.created.isoformat(),
            }
            for message in private
        ],
    }


def _keeping_track(member) -> dict[str, Any]:
    """Follows, mutes, bookmarks and drafts (issue 15): private to the member, so theirs."""
    from forum.models import BoardFollow, Bookmark, Draft, TopicWatch

    return {
        "topics_followed_or_muted": [
            {"topic_id": w.topic_id, "level": w.level, "since": w.created_at.isoformat()}
            for w in TopicWatch.objects.filter(member=member).order_by("created_at", "id")
        ],
        "boards_followed": [
            {"board": f.board.slug, "since": f.created_at.isoformat()}
            for f in BoardFollow.objects.filter(member=member).select_related("board")
        ],
        "bookmarks": [
            {"post_id": b.post_id, "created_at": b.created_at.isoformat()}
            for b in Bookmark.objects.filter(member=member).order_by("created_at", "id")
        ],
        "drafts": [
            {
                "composer": d.key,
                "title": d.title,
                "body": d.body,
                "saved_at": d.updated_at.isoformat(),
            }
            for d in Draft.objects.filter(member=member).order_by("updated_at", "id")
        ],
    }


def _moderation_conversations(member) -> dict[str, Any]:
    """The member's own appeals and check-ins (what they wrote and were told). Moderator notes
    about them are moderators' records and are not part of the export."""
    from forum.models import Appeal, CheckIn

    return {
        "appeals": [
            {
                "measure": appeal.entry.action,
                "text": appeal.text,
                "status": appeal.status,
                "reply": appeal.response,
                "created_at": appeal.created_at.isoformat(),
            }
            for appeal in Appeal.objects.filter(member=member).select_related("entry")
        ],
        "check_ins": [
            {
                "message": check_in.text,
                "answer": check_in.reply,
                "created_at": check_in.created_at.isoformat(),
            }
            for check_in in CheckIn.objects.filter(member=member)
        ],
    }


def member_contributions(member) -> dict[str, Any]:
    """Sections of the export owned by the forum app; each feature adds its own key here."""
    return {
        **_board_contributions(member),
        **_reports_made(member),
        **_chat_contributions(member),
        **_keeping_track(member),
        **_moderation_conversations(member),
    }
